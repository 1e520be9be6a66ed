package security

// Automatic renewal of certificates ordered with ACME (UG-SS §24,
// "Automatic certificate renewal"). The job orders a certificate for a new
// key of the same token from the same CA and account, naming the one it
// replaces (RFC 9773), when the CA's renewal information says so or a
// number of days before expiry. A renewed authentication certificate is
// sent for registration (authCertReg) with the old one's address; once the
// central server approved it and it is active (by --auto-activate or by an
// administrator), the old one is unregistered (authCertDeletion) and, when
// the configuration no longer lists it, deleted with its key. A renewed
// signing certificate replaces the old one once it is active with a good
// OCSP status. The state lives on the certificate being renewed, so the job
// carries on after a restart; failures are recorded with the reason and
// retried with back-off while the old certificate keeps working.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/go-acme/lego/v5/acme"
	"github.com/go-acme/lego/v5/acme/api"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Defaults of the renewal job (X-Road's acme-renewal-* system parameters).
const (
	// DefaultRenewalInterval is how often the job looks for certificates
	// due for renewal (acme-renewal-interval, 3600 s).
	DefaultRenewalInterval = time.Hour
	// DefaultRenewBefore is how long before expiry a certificate is renewed
	// when its CA gives no renewal information
	// (acme-renewal-time-before-expiration-date, 14 days).
	DefaultRenewBefore = 14 * 24 * time.Hour
	// DefaultRenewalRetryDelay is the first wait after a failed attempt
	// (acme-renewal-retry-delay, 60 s); it doubles with each failure in a
	// row, up to maxRenewalRetryDelay.
	DefaultRenewalRetryDelay = time.Minute
	maxRenewalRetryDelay     = 24 * time.Hour
	// expiryWarningEvery is how often a certificate that expires soon
	// without an automatic renewal is announced again.
	expiryWarningEvery = 24 * time.Hour
)

// Audit events of the renewal job.
const (
	evRenewalStarted = "Start automatic certificate renewal"
	evRenewalFailed  = "Automatic certificate renewal"
	evRenewalDone    = "Finish automatic certificate renewal"
	evExpiring       = "Certificate expires soon"
)

// RenewalStatus is how the renewal job sees a certificate (UG-SS §24: "N/A",
// "Next planned renewal on", "Renewal in progress", "Renewal error").
type RenewalStatus string

// Renewal statuses.
const (
	RenewalNotApplicable RenewalStatus = "NOT_APPLICABLE"
	RenewalPlanned       RenewalStatus = "PLANNED"
	RenewalInProgress    RenewalStatus = "IN_PROGRESS"
	RenewalFailed        RenewalStatus = "FAILED"
)

// RenewalStep is what a renewal in progress waits for or does next.
type RenewalStep string

// Renewal steps, in order.
const (
	StepRegister          RenewalStep = "REGISTERING"            // send the renewed certificate's authCertReg
	StepAwaitApproval     RenewalStep = "WAITING_FOR_APPROVAL"   // the central server has the request
	StepAwaitOCSP         RenewalStep = "WAITING_FOR_OCSP"       // a renewed signing certificate's OCSP status is not good yet
	StepAwaitActivation   RenewalStep = "WAITING_FOR_ACTIVATION" // registered (or OCSP good), not active
	StepUnregisterOld     RenewalStep = "UNREGISTERING_OLD"      // send the old certificate's authCertDeletion
	StepAwaitRemoval      RenewalStep = "WAITING_FOR_REMOVAL"    // the configuration still lists the old certificate
	StepDeleteOld         RenewalStep = "DELETING_OLD"           // delete the old certificate and its key
	stepDeclined          RenewalStep = "declined"               // the central server declined the renewed certificate
	stepRenewedUnusable   RenewalStep = "unusable"               // the renewed certificate is in no state to go on
	stepRenewedDisappears RenewalStep = "gone"                   // the renewed certificate was deleted
)

// Renewal is a certificate's renewal state.
type Renewal struct {
	Status RenewalStatus
	// Step is set while a renewed certificate exists.
	Step RenewalStep
	// DueAt is when the certificate is (or was) to be renewed.
	DueAt *time.Time
	// StartedAt is when the renewed certificate was ordered.
	StartedAt *time.Time
	// Error is the last failure's reason; RetryAt when the job tries again.
	Error    *string
	RetryAt  *time.Time
	Failures int
	// RenewedByID is the certificate ordered to replace this one.
	RenewedByID *int
}

// renewable reports whether the job renews c: ordered with ACME and in use.
func renewable(c *ent.Certificate) bool {
	return c.AcmeCaName != nil && c.Status == xroad.CertRegistered
}

// RenewalOf is the renewal state of c; renewed is the certificate ordered
// to replace it (nil when there is none).
func RenewalOf(c, renewed *ent.Certificate) Renewal {
	r := Renewal{DueAt: c.RenewalDueAt, StartedAt: c.RenewalStartedAt, Error: c.RenewalError, RetryAt: c.RenewalRetryAt,
		Failures: c.RenewalFailures, RenewedByID: c.RenewalCertificateID}
	switch {
	case c.RenewalCertificateID != nil:
		r.Status, r.Step = RenewalInProgress, nextStep(c, renewed)
		if c.RenewalError != nil {
			r.Status = RenewalFailed
		}
	case !renewable(c):
		r.Status = RenewalNotApplicable
	case c.RenewalError != nil:
		r.Status = RenewalFailed
	default:
		r.Status = RenewalPlanned
	}
	return r
}

// nextStep is what the renewal of old does next, given the renewed
// certificate.
func nextStep(old, renewed *ent.Certificate) RenewalStep {
	if renewed == nil {
		return stepRenewedDisappears
	}
	if renewed.Usage == xroad.UsageSigning {
		switch {
		case renewed.Status != xroad.CertRegistered:
			return stepRenewedUnusable
		case renewed.OcspStatus != xroad.OcspGood:
			return StepAwaitOCSP
		case !renewed.Active:
			return StepAwaitActivation
		}
		return StepDeleteOld
	}
	switch renewed.Status {
	case xroad.CertSaved:
		if renewed.DeclineComment != nil {
			return stepDeclined
		}
		return StepRegister
	case xroad.CertRegistrationInProgress:
		return StepAwaitApproval
	case xroad.CertRegistered:
	default:
		return stepRenewedUnusable
	}
	if !renewed.Active {
		return StepAwaitActivation
	}
	switch old.Status {
	case xroad.CertRegistered, xroad.CertRegistrationInProgress:
		return StepUnregisterOld
	case xroad.CertDeletionInProgress:
		return StepAwaitRemoval
	}
	return StepDeleteOld
}

// renewalDue is when c is to be renewed: a time inside the window the CA's
// renewal information suggests (kept while it stays inside), otherwise
// before ahead of its expiry.
func renewalDue(c *ent.Certificate, window *acme.Window, before time.Duration, pick func(time.Duration) time.Duration) time.Time {
	if window == nil || !window.End.After(window.Start) {
		return c.NotAfter.Add(-before)
	}
	if d := c.RenewalDueAt; d != nil && !d.Before(window.Start) && d.Before(window.End) {
		return *d
	}
	return window.Start.Add(pick(window.End.Sub(window.Start)))
}

// retryDelay is the wait after the n-th failure in a row (n ≥ 1): first
// doubled each time up to a day, and never less than the CA asked for.
func retryDelay(first time.Duration, n int, caAsked time.Duration) time.Duration {
	d := first
	for i := 1; i < n && d < maxRenewalRetryDelay; i++ {
		d *= 2
	}
	d = min(d, maxRenewalRetryDelay)
	return max(d, caAsked)
}

// oidBusinessCategory is businessCategory (X.520).
var oidBusinessCategory = asn1.ObjectIdentifier{2, 5, 4, 15}

// renewalSubject gives the profile's fields the values of the certificate
// being renewed, so the renewed one names the same server or member.
func renewalSubject(fields []pki.SubjectField, old *x509.Certificate) []SubjectValue {
	first := func(v []string) string {
		if len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var out []SubjectValue
	for _, f := range fields {
		if f.ReadOnly {
			continue
		}
		var v string
		switch f.ID {
		case pki.FieldCountry:
			v = first(old.Subject.Country)
		case pki.FieldOrganization:
			v = first(old.Subject.Organization)
		case pki.FieldCommonName:
			v = old.Subject.CommonName
		case pki.FieldSerialNumber:
			v = old.Subject.SerialNumber
		case pki.FieldBusinessCategory:
			for _, n := range old.Subject.Names {
				if s, ok := n.Value.(string); ok && n.Type.Equal(oidBusinessCategory) {
					v = s
				}
			}
		case pki.FieldSubjectAltName:
			v = first(old.DNSNames)
			if v == "" && len(old.IPAddresses) > 0 {
				v = old.IPAddresses[0].String()
			}
		}
		if v != "" {
			out = append(out, SubjectValue{ID: f.ID, Value: v})
		}
	}
	return out
}

// RenewalFor returns the renewal state of a certificate (view_keys).
func (s *Service) RenewalFor(ctx context.Context, c *ent.Certificate) (Renewal, error) {
	if err := viewer.Require(ctx, viewer.SSViewKeys); err != nil {
		return Renewal{}, err
	}
	var renewed *ent.Certificate
	if c.RenewalCertificateID != nil {
		var err error
		if renewed, err = s.client.Certificate.Get(system(ctx), *c.RenewalCertificateID); err != nil && !ent.IsNotFound(err) {
			return Renewal{}, err
		}
	}
	return RenewalOf(c, renewed), nil
}

// renewalLoop runs the job: every RenewalInterval in full (due dates,
// new renewals, expiry warnings), and the renewals in progress whenever
// the status checker ran or the job is woken.
func (s *Service) renewalLoop(ctx context.Context) {
	full := time.NewTicker(s.opts.RenewalInterval)
	defer full.Stop()
	follow := time.NewTicker(s.opts.CheckInterval)
	defer follow.Stop()
	s.RunRenewal(ctx, true)
	for {
		select {
		case <-ctx.Done():
			return
		case <-full.C:
			s.RunRenewal(ctx, true)
		case <-follow.C:
			s.RunRenewal(ctx, false)
		case <-s.renewCh:
			s.RunRenewal(ctx, false)
		}
	}
}

// wakeRenewal makes the job look at the renewals in progress soon.
func (s *Service) wakeRenewal() {
	select {
	case s.renewCh <- struct{}{}:
	default:
	}
}

// RunRenewal runs the renewal job once: the renewals in progress go on;
// with full, due dates are refreshed, due certificates are renewed and
// certificates that expire soon without renewal are announced. One run at
// a time.
func (s *Service) RunRenewal(ctx context.Context, full bool) {
	if !s.opts.AutoRenew {
		return
	}
	s.renewMu.Lock()
	defer s.renewMu.Unlock()
	sys := viewer.SystemContext(ctx, viewer.Security)
	certs, err := s.client.Certificate.Query().Where(certificate.Or(
		certificate.RenewalCertificateIDNotNil(), certificate.AcmeCaNameNotNil(), certificate.StatusEQ(xroad.CertRegistered),
	)).Order(ent.Asc(certificate.FieldID)).All(sys)
	if err != nil {
		if ctx.Err() == nil {
			slog.ErrorContext(ctx, "renewal job", "err", err)
		}
		return
	}
	now := s.now()
	for _, c := range certs {
		if ctx.Err() != nil {
			return
		}
		if full && c.Status == xroad.CertRegistered && c.Active && (c.AcmeCaName == nil || c.RenewalError != nil) {
			s.warnExpiry(sys, c, now)
		}
		if c.RenewalRetryAt != nil && now.Before(*c.RenewalRetryAt) {
			continue
		}
		switch {
		case c.RenewalCertificateID != nil:
			s.followRenewal(sys, c)
		case renewable(c) && (full || c.RenewalRetryAt != nil): // a failed attempt is tried again when its time comes
			s.maybeRenew(sys, c)
		}
	}
}

// maybeRenew refreshes c's due date and renews it when due.
func (s *Service) maybeRenew(ctx context.Context, c *ent.Certificate) {
	x, err := x509.ParseCertificate(c.Der)
	if err != nil {
		return
	}
	window := s.renewalWindow(ctx, c, x)
	due := renewalDue(c, window, s.opts.RenewBefore, func(d time.Duration) time.Duration { return time.Duration(mrand.Int64N(int64(d))) })
	if c.RenewalDueAt == nil || !c.RenewalDueAt.Equal(due) {
		if err := s.client.Certificate.UpdateOneID(c.ID).SetRenewalDueAt(due).Exec(ctx); err != nil {
			slog.ErrorContext(ctx, "renewal job", "certificate", c.Sha256, "err", err)
			return
		}
		s.publish(events.CertificateChanged, c.ID)
	}
	if s.now().Before(due) {
		return // the job asks again at its next run
	}
	s.startRenewal(ctx, c, x)
}

// renewalWindow asks the CA's ACME server for c's renewal information (RFC
// 9773); nil when the CA offers none or cannot be asked now.
func (s *Service) renewalWindow(ctx context.Context, c *ent.Certificate, x *x509.Certificate) *acme.Window {
	snap := s.snap.Load()
	if snap == nil || snap.Shared == nil {
		return nil
	}
	ca, err := approvedCA(snap, *c.AcmeCaName, c.Usage)
	if err != nil || ca.ACMEServer == nil {
		return nil
	}
	id, err := api.MakeARICertID(x)
	if err != nil {
		return nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil
	}
	core, err := api.New(s.acmeHTTPClient(), "roadreg", ca.ACMEServer.DirectoryURL, "", key)
	if err != nil {
		slog.InfoContext(ctx, "renewal information unavailable", "certificate", c.Sha256, "err", err)
		return nil
	}
	info, err := core.Certificates.GetRenewalInfo(ctx, id)
	if err != nil {
		if !errors.Is(err, api.ErrNoARI) {
			slog.InfoContext(ctx, "renewal information unavailable", "certificate", c.Sha256, "err", err)
		}
		return nil
	}
	return &info.SuggestedWindow
}

// startRenewal orders the renewed certificate for a new key of c's token
// and goes on with it.
func (s *Service) startRenewal(ctx context.Context, c *ent.Certificate, x *x509.Certificate) {
	data := map[string]any{"certificateHash": c.Sha256, "keyUsage": c.Usage, "caName": *c.AcmeCaName}
	s.announce(ctx, evRenewalStarted, false, c.ID, data)
	renewed, err := s.orderRenewal(ctx, c, x)
	if err != nil {
		s.renewalFailed(ctx, c, "ordering the renewed certificate", err)
		return
	}
	err = db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		if err := tx.Certificate.UpdateOneID(renewed.ID).SetRenewsSha256(c.Sha256).Exec(ctx); err != nil {
			return err
		}
		return tx.Certificate.UpdateOneID(c.ID).SetRenewalCertificateID(renewed.ID).SetRenewalStartedAt(s.now()).
			ClearRenewalError().ClearRenewalRetryAt().SetRenewalFailures(0).Exec(ctx)
	})
	if err != nil {
		slog.ErrorContext(ctx, "renewal job", "certificate", c.Sha256, "err", err)
		return
	}
	s.publish(events.CertificateChanged, c.ID)
	s.publish(events.CertificateChanged, renewed.ID)
	if c, err = s.client.Certificate.Get(ctx, c.ID); err == nil {
		s.followRenewal(ctx, c)
	}
}

// orderRenewal generates a key like c's on its token and orders the
// renewed certificate for it; on failure the new key goes again.
func (s *Service) orderRenewal(ctx context.Context, c *ent.Certificate, x *x509.Certificate) (*ent.Certificate, error) {
	k, err := c.QueryKey().WithToken().Only(ctx)
	if err != nil {
		return nil, err
	}
	label := KeyName(k)
	if suffix := " renewed " + s.now().UTC().Format("2006-01-02"); len(label)+len(suffix) <= xroad.MaxIdentifierPartLength {
		label += suffix
	}
	nk, err := s.GenerateKey(ctx, k.Edges.Token.ID, label, k.Algorithm)
	if err != nil {
		return nil, err
	}
	member := xroad.Deref(c.MemberID)
	fields, err := s.CSRSubjectFields(ctx, *c.AcmeCaName, c.Usage, member)
	if err == nil {
		var renewed *ent.Certificate
		renewed, err = s.OrderACMECertificate(ctx, ACMEOrder{
			CSRInput: CSRInput{KeyID: nk.ID, Usage: c.Usage, CAName: *c.AcmeCaName, MemberID: member, SubjectFields: renewalSubject(fields, x)},
			Replaces: x,
		})
		if err == nil {
			return renewed, nil
		}
	}
	if _, derr := s.DeleteKey(ctx, nk.ID, true); derr != nil {
		slog.WarnContext(ctx, "deleting the key of a failed renewal", "key", nk.KeyID, "err", derr)
	}
	return nil, err
}

// followRenewal takes the renewal of c one or more steps further.
func (s *Service) followRenewal(ctx context.Context, c *ent.Certificate) {
	for range 4 { // a step that succeeds may make the next one possible at once
		renewed, err := s.client.Certificate.Get(ctx, *c.RenewalCertificateID)
		if err != nil && !ent.IsNotFound(err) {
			return
		}
		if err != nil {
			renewed = nil
		}
		step := nextStep(c, renewed)
		if err := s.renewalStep(ctx, c, renewed, step); err != nil {
			s.renewalFailed(ctx, c, stepWhat(step), err)
			return
		}
		if step == StepDeleteOld || !s.stepActs(renewed, step) {
			return
		}
		if c.RenewalError != nil { // the step that failed before went through
			if err := s.client.Certificate.UpdateOneID(c.ID).ClearRenewalError().ClearRenewalRetryAt().SetRenewalFailures(0).Exec(ctx); err != nil {
				return
			}
		}
		if c, err = s.client.Certificate.Get(ctx, c.ID); err != nil || c.RenewalCertificateID == nil {
			return
		}
	}
}

// stepActs reports whether the step does something now (the others wait
// for the central server, the configuration or an administrator).
func (s *Service) stepActs(renewed *ent.Certificate, step RenewalStep) bool {
	switch step {
	case StepRegister, StepUnregisterOld, StepDeleteOld:
		return true
	case StepAwaitActivation:
		return s.autoActivates(renewed)
	}
	return false
}

// autoActivates reports whether the server activates the renewed
// certificate by itself (automatic-activate-auth-certificate,
// automatic-activate-acme-sign-certificate).
func (s *Service) autoActivates(renewed *ent.Certificate) bool {
	if renewed.Usage == xroad.UsageAuthentication {
		return s.opts.AutoActivate
	}
	return s.opts.AutoActivateACMESign
}

func stepWhat(step RenewalStep) string {
	switch step {
	case StepRegister:
		return "registering the renewed certificate"
	case StepAwaitActivation:
		return "activating the renewed certificate"
	case StepUnregisterOld:
		return "unregistering the old certificate"
	case StepDeleteOld:
		return "deleting the old certificate"
	}
	return "renewing"
}

// renewalStep does what step needs; an error is a failed attempt.
func (s *Service) renewalStep(ctx context.Context, c, renewed *ent.Certificate, step RenewalStep) error {
	switch step {
	case StepRegister:
		address := xroad.Deref(c.RegisteredAddress)
		if address == "" {
			address = s.opts.ServerAddress
		}
		if address == "" {
			return xroad.Errorf(xroad.CodeActionNotPossible, "The old certificate has no registered address and the server has none configured (--server-address)")
		}
		_, err := s.RegisterAuthCertificate(ctx, renewed.ID, address)
		return err
	case StepAwaitActivation:
		if !s.autoActivates(renewed) {
			return nil
		}
		// The status checker activates automatically too (the same
		// settings): whichever comes first activates, the other is done.
		if s.active(ctx, renewed.ID) {
			return nil
		}
		if _, err := s.ActivateCertificate(ctx, renewed.ID); err != nil && !s.active(ctx, renewed.ID) {
			return err
		}
	case StepUnregisterOld:
		_, err := s.UnregisterAuthCertificate(ctx, c.ID)
		return err
	case StepDeleteOld:
		return s.finishRenewal(ctx, c, renewed)
	case stepDeclined:
		s.dropRenewed(ctx, c, renewed)
		return xroad.Errorf(CodeRenewalDeclined, "The central server declined the registration of the renewed certificate: %s", *renewed.DeclineComment)
	case stepRenewedUnusable:
		s.dropRenewed(ctx, c, renewed)
		return xroad.Errorf(CodeRenewalFailed, "The renewed certificate is %s", renewed.Status)
	case stepRenewedDisappears:
		s.dropRenewed(ctx, c, nil)
		return xroad.Errorf(CodeRenewalFailed, "The renewed certificate was deleted")
	}
	return nil
}

// active says whether the certificate is active now.
func (s *Service) active(ctx context.Context, id int) bool {
	c, err := s.client.Certificate.Get(system(ctx), id)
	return err == nil && c.Active
}

// dropRenewed ends a renewal that cannot go on: the renewed certificate's
// key goes (it was never in use) and the next attempt starts afresh.
func (s *Service) dropRenewed(ctx context.Context, c, renewed *ent.Certificate) {
	if renewed != nil {
		if k, err := renewed.QueryKey().Only(ctx); err == nil {
			if _, err := s.DeleteKey(ctx, k.ID, true); err != nil {
				slog.WarnContext(ctx, "deleting the key of a failed renewal", "certificate", renewed.Sha256, "err", err)
			}
		}
	}
	if err := s.client.Certificate.UpdateOneID(c.ID).ClearRenewalCertificateID().ClearRenewalStartedAt().Exec(ctx); err != nil {
		slog.ErrorContext(ctx, "renewal job", "certificate", c.Sha256, "err", err)
	}
}

// finishRenewal deletes the old certificate — with its key when the key
// holds nothing else — and announces the renewal done.
func (s *Service) finishRenewal(ctx context.Context, c, renewed *ent.Certificate) error {
	k, err := c.QueryKey().WithCertificates().WithCsrs().Only(ctx)
	if err != nil {
		return err
	}
	if len(k.Edges.Certificates) == 1 && len(k.Edges.Csrs) == 0 {
		_, err = s.DeleteKey(ctx, k.ID, true)
	} else {
		_, err = s.DeleteCertificate(ctx, c.ID)
	}
	if err != nil {
		return err
	}
	s.announce(ctx, evRenewalDone, false, renewed.ID, map[string]any{"certificateHash": c.Sha256, "renewedByHash": renewed.Sha256,
		"keyUsage": c.Usage, "caName": xroad.Deref(c.AcmeCaName)})
	return nil
}

// renewalFailed records a failed attempt: the reason, one more failure in
// a row and when to try again.
func (s *Service) renewalFailed(ctx context.Context, c *ent.Certificate, what string, err error) {
	var xe *xroad.Error
	reason, code, caAsked := err.Error(), xroad.CodeInternal, time.Duration(0)
	if errors.As(err, &xe) {
		reason, code, caAsked = xe.Message, xe.Code, xe.RetryAfter
	}
	n := c.RenewalFailures + 1
	retry := s.now().Add(retryDelay(s.opts.RenewalRetryDelay, n, caAsked))
	msg := fmt.Sprintf("%s failed: %s", what, reason)
	if uerr := s.client.Certificate.UpdateOneID(c.ID).SetRenewalError(msg).SetRenewalFailures(n).SetRenewalRetryAt(retry).Exec(ctx); uerr != nil {
		slog.ErrorContext(ctx, "renewal job", "certificate", c.Sha256, "err", uerr)
	}
	s.announce(ctx, evRenewalFailed, true, c.ID, map[string]any{"certificateHash": c.Sha256, "keyUsage": c.Usage,
		"reason": msg, "code": code, "failures": n, "retryAt": retry.UTC().Format(time.RFC3339)})
	s.publish(events.CertificateChanged, c.ID)
}

// warnExpiry announces, at most daily, an active certificate that expires
// within RenewBefore and is not renewed automatically.
func (s *Service) warnExpiry(ctx context.Context, c *ent.Certificate, now time.Time) {
	if now.Before(c.NotAfter.Add(-s.opts.RenewBefore)) || (c.ExpiryWarnedAt != nil && now.Sub(*c.ExpiryWarnedAt) < expiryWarningEvery) {
		return
	}
	if err := s.client.Certificate.UpdateOneID(c.ID).SetExpiryWarnedAt(now).Exec(ctx); err != nil {
		return
	}
	days := int(c.NotAfter.Sub(now).Hours() / 24)
	s.announce(ctx, evExpiring, false, c.ID, map[string]any{"certificateHash": c.Sha256, "keyUsage": c.Usage,
		"notAfter": c.NotAfter.UTC().Format(time.RFC3339), "daysLeft": days})
}

// announce records a renewal event in the audit log and publishes it to
// the certificateRenewal subscription.
func (s *Service) announce(ctx context.Context, event string, failed bool, certID int, data map[string]any) {
	data["certificateId"] = certID
	if id := audit.Record(ctx, s.client, audit.Entry{Event: event, Failed: failed, Data: data}); id != 0 {
		s.publish(events.CertificateRenewal, id)
	}
}

// RenewalEventKind is what a renewal job event says.
type RenewalEventKind string

// Renewal event kinds.
const (
	RenewalStartedEvent RenewalEventKind = "STARTED"
	RenewalFailedEvent  RenewalEventKind = "FAILED"
	RenewalDoneEvent    RenewalEventKind = "DONE"
	ExpiringEvent       RenewalEventKind = "EXPIRING"
)

// RenewalEvent is one event of the renewal job, read from its audit entry.
type RenewalEvent struct {
	Kind RenewalEventKind
	// SHA256 is the certificate renewed or expiring; RenewedBy (DONE) the
	// one that replaced it.
	SHA256, RenewedBy string
	// CertificateID is the certificate the event is about (DONE: the
	// replacement); it may be deleted by now.
	CertificateID int
	Message       string
	At            time.Time
	AuditEventID  int
}

// RenewalEventByID reads the renewal job event of an audit entry (view_keys);
// ok is false when the entry is not one.
func (s *Service) RenewalEventByID(ctx context.Context, id int) (RenewalEvent, bool, error) {
	if err := viewer.Require(ctx, viewer.SSViewKeys); err != nil {
		return RenewalEvent{}, false, err
	}
	a, err := s.client.AuditEvent.Get(system(ctx), id)
	if err != nil {
		return RenewalEvent{}, false, err
	}
	kinds := map[string]RenewalEventKind{evRenewalStarted: RenewalStartedEvent, evRenewalFailed + " failed": RenewalFailedEvent,
		evRenewalDone: RenewalDoneEvent, evExpiring: ExpiringEvent}
	kind, ok := kinds[a.Event]
	if !ok {
		return RenewalEvent{}, false, nil
	}
	var d struct {
		CertificateHash, RenewedByHash, CaName, Reason, NotAfter, RetryAt string
		KeyUsage                                                          xroad.KeyUsage
		CertificateID, DaysLeft                                           int
	}
	if err := json.Unmarshal([]byte(xroad.Deref(a.Data)), &d); err != nil {
		return RenewalEvent{}, false, err
	}
	e := RenewalEvent{Kind: kind, SHA256: d.CertificateHash, RenewedBy: d.RenewedByHash, CertificateID: d.CertificateID, At: a.CreatedAt, AuditEventID: a.ID}
	what := fmt.Sprintf("the %s certificate %s", strings.ToLower(string(d.KeyUsage)), shortHash(d.CertificateHash))
	switch kind {
	case RenewalStartedEvent:
		e.Message = fmt.Sprintf("Renewal of %s started: ordering its successor from %s", what, d.CaName)
	case RenewalFailedEvent:
		e.Message = fmt.Sprintf("Renewal of %s: %s; the certificate keeps working, the next attempt is at %s", what, d.Reason, d.RetryAt)
	case RenewalDoneEvent:
		e.Message = fmt.Sprintf("Renewal of %s done: certificate %s replaces it", what, shortHash(d.RenewedByHash))
	case ExpiringEvent:
		e.Message = fmt.Sprintf("%s expires on %s (in %d days) and is not renewed automatically", upperFirst(what), d.NotAfter, d.DaysLeft)
	}
	return e, true, nil
}

func shortHash(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
