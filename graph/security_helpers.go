package graph

import (
	"context"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/graph/model"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/security"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Translations between the security server's domain values and the GraphQL
// models.

func anchorModel(a *security.AnchorInfo) *model.Anchor {
	return &model.Anchor{Hash: a.Hash, GeneratedAt: a.GeneratedAt, InstanceIdentifier: a.Instance}
}

func csrInput(in model.GenerateCsrInput) security.CSRInput {
	out := security.CSRInput{KeyID: in.KeyID, Usage: in.Usage, CAName: in.CaName, MemberID: deref(in.MemberID)}
	for _, f := range in.SubjectFields {
		out.SubjectFields = append(out.SubjectFields, security.SubjectValue{ID: f.ID, Value: f.Value})
	}
	return out
}

func approvedCAModel(ca globalconf.ApprovedCA) *model.ApprovedCa {
	m := &model.ApprovedCa{
		Name: ca.Name, AuthenticationOnly: ca.AuthenticationOnly, CertificateProfileInfo: ca.CertificateProfileInfo,
		DefaultCsrFormat: xroad.CSRFormatPEM, OcspResponderUrls: []string{}, AcmeServerIPAddresses: []string{},
	}
	if ca.DefaultCSRFormat == string(xroad.CSRFormatDER) {
		m.DefaultCsrFormat = xroad.CSRFormatDER
	}
	if a := ca.ACMEServer; a != nil {
		m.AcmeCapable, m.AcmeServerDirectoryURL = true, &a.DirectoryURL
		m.AcmeServerIPAddresses = ca.ACMEServerIPAddresses()
		m.AuthenticationCertificateProfileID, m.SigningCertificateProfileID = optional(a.AuthenticationCertificateProfileID), optional(a.SigningCertificateProfileID)
	}
	if c := ca.TopCA.Cert; c != nil {
		m.SubjectDn, m.IssuerDn, m.NotAfter = pki.SubjectDN(c), pki.IssuerDN(c), c.NotAfter
	}
	for _, info := range append([]globalconf.CAInfo{ca.TopCA}, ca.IntermediateCAs...) {
		for _, o := range info.OCSP {
			m.OcspResponderUrls = append(m.OcspResponderUrls, o.URL)
		}
	}
	return m
}

func subjectFieldModel(f pki.SubjectField) *model.CsrSubjectField {
	return &model.CsrSubjectField{ID: f.ID, Label: f.Label, DefaultValue: optional(f.DefaultValue), ReadOnly: f.ReadOnly, Required: f.Required}
}

func clientModel(c security.Client) *model.SecurityServerClient {
	return &model.SecurityServerClient{
		MemberID: c.ID.Member().String(), SubsystemCode: optional(c.ID.SubsystemCode),
		Name: optional(c.Name), Owner: c.Owner, Status: c.Status,
	}
}

// optional is nil for the empty string.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// mapSlice applies f to every element.
func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// certificateEvent loads the certificate of an event with the subscriber's
// context, so privacy rules apply; with only set, other certificates' events
// are skipped.
func (r *Resolver) certificateEvent(only *int) func(context.Context, events.Event) (*ent.Certificate, bool, error) {
	return func(ctx context.Context, e events.Event) (*ent.Certificate, bool, error) {
		if only != nil && *only != e.ID {
			return nil, false, nil
		}
		c, err := r.Client.Certificate.Get(ctx, e.ID)
		return c, err == nil, err
	}
}

// diagnosticsModel translates the diagnostics page's checks.
func diagnosticsModel(d security.Diagnostics) *model.SecurityServerDiagnostics {
	conf := &model.GlobalConfigurationDiagnostics{Status: confStatus(d.GlobalConf.Status),
		StatusClass: model.ConfigurationStatusClass(d.GlobalConf.StatusClass), SourceURL: optional(d.GlobalConf.SourceURL)}
	if t := d.GlobalConf.LastAttemptAt; !t.IsZero() {
		conf.LastAttemptAt = &t
	}
	if t := d.GlobalConf.NextUpdateAt; !t.IsZero() {
		conf.NextUpdateAt = &t
	}
	out := &model.SecurityServerDiagnostics{GlobalConfiguration: conf,
		TimestampingServices: mapSlice(d.Timestamping, serviceCheckModel), OcspResponders: mapSlice(d.OCSPResponders, serviceCheckModel)}
	if d.ManagementService != nil {
		out.ManagementService = serviceCheckModel(*d.ManagementService)
	}
	if d.Clock.Source != "" {
		out.ClockOffset = &model.ClockOffset{OffsetSeconds: d.Clock.Offset.Seconds(), Source: d.Clock.Source, ResolutionSeconds: d.Clock.Resolution.Seconds()}
	}
	return out
}

func serviceCheckModel(c security.ServiceCheck) *model.ServiceCheck {
	return &model.ServiceCheck{Name: optional(c.Name), URL: c.URL, Reachable: c.Reachable, Error: optional(c.Error), CheckedAt: c.CheckedAt}
}

// ceilSeconds is d in whole seconds, rounded up (a wait of 0.2 s is 1 s).
func ceilSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

func ocspResponseModel(o pki.OCSPResponseInfo) *model.OcspResponseInfo {
	m := &model.OcspResponseInfo{Status: o.Status, ProducedAt: o.ProducedAt, ThisUpdate: o.ThisUpdate, Responder: o.Responder}
	if !o.NextUpdate.IsZero() {
		m.NextUpdate = &o.NextUpdate
	}
	if !o.RevokedAt.IsZero() {
		m.RevokedAt = &o.RevokedAt
	}
	return m
}

// renewalModel translates a certificate's renewal state; the job's
// internal steps (a renewal about to be dropped) show as no step.
func (r *Resolver) renewalModel(ctx context.Context, rn security.Renewal) (*model.CertificateRenewal, error) {
	out := &model.CertificateRenewal{Status: model.CertificateRenewalStatus(rn.Status), NextRenewalAt: rn.DueAt, StartedAt: rn.StartedAt,
		LastError: rn.Error, Failures: rn.Failures, RetryAt: rn.RetryAt}
	if step := model.CertificateRenewalStep(rn.Step); step.IsValid() {
		out.Step = &step
	}
	if rn.RenewedByID != nil {
		c, err := r.Client.Certificate.Get(ctx, *rn.RenewedByID)
		if err != nil && !ent.IsNotFound(err) {
			return nil, err
		}
		out.RenewedBy = c
	}
	return out, nil
}

// renewalEvent loads the renewal job event an audit entry records.
func (r *Resolver) renewalEvent(ctx context.Context, e events.Event) (*model.CertificateRenewalEvent, bool, error) {
	ev, ok, err := r.Security.RenewalEventByID(ctx, e.ID)
	if !ok || err != nil {
		return nil, false, err
	}
	out := &model.CertificateRenewalEvent{Kind: model.CertificateRenewalEventKind(ev.Kind), CertificateSha256: ev.SHA256,
		RenewedBySha256: optional(ev.RenewedBy), Message: ev.Message, At: ev.At, AuditEventID: ev.AuditEventID}
	if c, err := r.Client.Certificate.Get(ctx, ev.CertificateID); err == nil {
		out.Certificate = c
	} else if !ent.IsNotFound(err) {
		return nil, false, err
	}
	return out, true, nil
}
