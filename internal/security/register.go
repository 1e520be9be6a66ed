package security

import (
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// maxStatusAnswer bounds the central server's answer to a status query.
const maxStatusAnswer = 64 << 10

// Management request statuses the status query reports that send a
// certificate back to SAVED.
const (
	requestDeclined = "DECLINED"
	requestRevoked  = "REVOKED"
)

// RegisterAuthCertificate registers an authentication certificate with the
// central server (SS_34): it builds X-Road's authCertReg request, signed
// with the authentication key and the owner's signing key, and sends it to
// the management service of the configuration, pinning its TLS certificate.
// On success the certificate becomes REGISTRATION_IN_PROGRESS with the
// central server's request id; on any failure nothing changes.
func (s *Service) RegisterAuthCertificate(ctx context.Context, id int, address string) (*ent.Certificate, error) {
	if err := viewer.Require(ctx, viewer.SSSendAuthCertRegReq); err != nil {
		return nil, err
	}
	sys := system(ctx)
	address = xroad.Trim(address)
	data := map[string]any{"certificateId": id, "address": address}
	if err := xroad.ValidateHostAddress("address", address); err != nil {
		return nil, s.failed(ctx, evRegisterAuthCert, data, err)
	}
	s.regMu.Lock() // one request per certificate reaches the central server
	defer s.regMu.Unlock()
	cert, err := s.certRow(sys, id)
	if err != nil {
		return nil, s.failed(ctx, evRegisterAuthCert, data, err)
	}
	delete(data, "certificateId")
	data["certificateHash"] = cert.Sha256
	reg, err := s.buildRegistration(ctx, cert, address)
	if err != nil {
		return nil, s.failed(ctx, evRegisterAuthCert, data, err)
	}
	client, err := s.managementClient(reg.service)
	if err != nil {
		return nil, s.failed(ctx, evRegisterAuthCert, data, err)
	}
	var requestID int
	err = s.toManagementService(reg.service.AuthCertRegServiceAddress, func(address string) (err error) {
		requestID, err = mgmtreq.Send(ctx, client, address, reg.body, reg.contentType)
		return err
	})
	if err != nil {
		return nil, s.failed(ctx, evRegisterAuthCert, data, registrationError(err))
	}
	data["requestId"] = requestID
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		n, err := tx.Certificate.Update().Where(certificate.ID(id), certificate.StatusEQ(xroad.CertSaved)).
			SetStatus(xroad.CertRegistrationInProgress).SetManagementRequestID(requestID).
			SetRegisteredAddress(address).ClearDeclineComment().ClearDeletionRequestID().ClearUnregisteredAt().Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return xroad.Errorf(xroad.CodeActionNotPossible, "The certificate changed while it was being registered (request %d was sent)", requestID)
		}
		if err := s.keepOwnerOCSP(sys, tx, reg.owner, reg.ownerOCSP); err != nil {
			return err
		}
		record(ctx, tx.Client(), evRegisterAuthCert, data)
		s.publishAfterCommit(tx, events.CertificateChanged, id)
		return nil
	})
	if err != nil {
		return nil, s.failed(ctx, evRegisterAuthCert, data, err)
	}
	return s.client.Certificate.Get(sys, id)
}

// toManagementService runs send with the management service's address and,
// while it fails to reach the central server (no answer, or one that is not
// the management service's), with the same address on the other sources of
// the anchor: the central server's replicas serve the management service
// beside the configuration. The same signed request goes to each, and the
// central server answers a request it has stored already with the stored
// request's number, so a request whose answer was lost is neither lost nor
// stored twice. A refusal by the central server ends the tries.
func (s *Service) toManagementService(address string, send func(address string) error) error {
	var errs []error
	for _, a := range managementAddresses(address, s.anchor.Load()) {
		err := send(a)
		if err == nil || !xroad.IsCode(err, xroad.CodeManagementRequestSendFailed) {
			return err
		}
		errs = append(errs, err)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return xroad.Errorf(xroad.CodeManagementRequestSendFailed, "No replica of the central server answered: %s", xroad.Message(errs[0])).Wrap(errors.Join(errs...))
}

// managementAddresses is address, then address on the host of every other
// source of the anchor.
func managementAddresses(address string, a *globalconf.Anchor) []string {
	out := []string{address}
	u, err := url.Parse(address)
	if err != nil || a == nil {
		return out
	}
	for _, src := range a.Sources {
		su, err := url.Parse(src.DownloadURL)
		if err != nil || su.Host == "" {
			continue
		}
		alt := *u
		alt.Host = su.Host
		if v := alt.String(); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// keepOwnerOCSP stores the OCSP response sent with a management request
// when it is fresher than the owner certificate's stored one.
func (s *Service) keepOwnerOCSP(ctx context.Context, tx *ent.Tx, owner *ent.Certificate, ocspDER []byte) error {
	if bytes.Equal(owner.OcspResponse, ocspDER) {
		return nil
	}
	return tx.Certificate.UpdateOneID(owner.ID).SetOcspResponse(ocspDER).SetOcspUpdatedAt(s.now()).
		SetOcspStatus(xroad.OcspGood).ClearOcspError().Exec(ctx)
}

// registration is a signed authCertReg request ready to be sent.
type registration struct {
	body        []byte
	contentType string
	service     globalconf.ManagementService
	// owner is the owner's signing certificate used, ownerOCSP the OCSP
	// response sent with it.
	owner     *ent.Certificate
	ownerOCSP []byte
}

// buildRegistration runs the checks of UC-SS SS_34 and builds the signed request.
func (s *Service) buildRegistration(ctx context.Context, cert *ent.Certificate, address string) (*registration, error) {
	sys := system(ctx)
	if cert.Usage != xroad.UsageAuthentication {
		return nil, xroad.Errorf(xroad.CodeActionNotPossible, "Only authentication certificates are registered; signing certificates are registered when imported")
	}
	if cert.Status != xroad.CertSaved {
		return nil, xroad.Errorf(xroad.CodeActionNotPossible, "The certificate is %s; only a SAVED certificate can be registered", cert.Status)
	}
	snap, err := s.validConf()
	if err != nil {
		return nil, err
	}
	_, server, err := s.initialized(sys)
	if err != nil {
		return nil, err
	}
	authKey, err := cert.QueryKey().WithToken().Only(sys)
	if err != nil {
		return nil, err
	}
	authSigner, err := s.signerFor(authKey, authKey.Edges.Token)
	if xroad.IsCode(err, xroad.CodeTokenNotActive) {
		return nil, xroad.Errorf(xroad.CodeTokenNotActive,
			"The authentication key is on token %q, which is not logged in; log in to it first", authKey.Edges.Token.Name)
	}
	if err != nil {
		return nil, err
	}
	reg := &registration{service: snap.Private.ManagementService}
	var ownerSigner crypto.Signer
	if reg.owner, ownerSigner, reg.ownerOCSP, err = s.ownerSigningCert(ctx, snap, server.Owner); err != nil {
		return nil, err
	}
	req := mgmtreq.AuthCertReg{
		Client:   server.Owner,
		Service:  xroad.ServiceID{Client: reg.service.ManagementRequestServiceProviderID, ServiceCode: mgmtreq.ServiceCode},
		Server:   server,
		Address:  address,
		AuthCert: cert.Der,
	}
	reg.body, reg.contentType, err = mgmtreq.Build(req, authSigner, ownerSigner, reg.owner.Der, reg.ownerOCSP, 0)
	if err != nil {
		var xe *xroad.Error
		if errors.As(err, &xe) {
			return nil, err
		}
		return nil, xroad.Errorf(xroad.CodeRegistrationFailed, "Failed to register certificate: the request could not be signed").Wrap(err)
	}
	return reg, nil
}

// ownerSigningCert picks the owner's signing certificate for the request:
// active, REGISTERED, with a good and fresh OCSP response (fetched when the
// stored one is not), on a logged-in token.
func (s *Service) ownerSigningCert(ctx context.Context, snap *globalconf.Snapshot, owner xroad.ClientID) (*ent.Certificate, crypto.Signer, []byte, error) {
	sys := system(ctx)
	certs, err := s.client.Certificate.Query().Where(
		certificate.UsageEQ(xroad.UsageSigning), certificate.MemberID(owner.String()),
		certificate.StatusEQ(xroad.CertRegistered), certificate.Active(true),
	).WithKey(func(q *ent.KeyQuery) { q.WithToken() }).All(sys)
	if err != nil {
		return nil, nil, nil, err
	}
	var reasons []string
	var loggedOut string
	for _, c := range certs {
		sg, err := s.signerFor(c.Edges.Key, c.Edges.Key.Edges.Token)
		if err != nil {
			loggedOut = c.Edges.Key.Edges.Token.Name
			continue
		}
		x, err := x509.ParseCertificate(c.Der)
		if err != nil {
			continue
		}
		check := s.checkOCSP(ctx, snap, x, c.OcspResponse)
		if check.Err != nil {
			reasons = append(reasons, c.Subject+": "+check.Err.Message)
			continue
		}
		return c, sg, check.DER, nil
	}
	if len(reasons) == 0 && loggedOut != "" {
		return nil, nil, nil, xroad.Errorf(xroad.CodeTokenNotActive,
			"The signing key of member '%s' is on token %q, which is not logged in; log in to it first", owner, loggedOut)
	}
	msg := fmt.Sprintf("Member '%s' has no suitable certificates: an active, registered signing certificate with a good OCSP response is needed", owner)
	if len(reasons) > 0 {
		msg += " (" + strings.Join(reasons, "; ") + ")"
	}
	return nil, nil, nil, xroad.Errorf(xroad.CodeNoSuitableCertificates, "%s", msg).WithMetadata(owner.String())
}

// registrationError makes a failed send clear: the central server could not
// be reached (REGISTRATION_FAILED), or it refused the request (its code).
func registrationError(err error) error {
	var xe *xroad.Error
	if !errors.As(err, &xe) {
		return xroad.Errorf(xroad.CodeRegistrationFailed, "Failed to register certificate").Wrap(err)
	}
	if xe.Code == xroad.CodeManagementRequestSendFailed || xe.Code == xroad.CodeInternal {
		return xroad.Errorf(xroad.CodeRegistrationFailed, "Failed to register certificate: %s", xe.Message).Wrap(err)
	}
	return xroad.Errorf(xe.Code, "Failed to register certificate: the central server refused the request: %s", xe.Message).
		WithMetadata(xe.Metadata...).Wrap(err)
}

// managementClient returns the HTTP client for the management service: for
// https it accepts only the TLS certificate the configuration names
// (authCertRegServiceCert), as X-Road pins it; plain http is allowed as the
// configuration says (README.md, "HTTP surface").
func (s *Service) managementClient(ms globalconf.ManagementService) (*http.Client, error) {
	u, err := url.Parse(ms.AuthCertRegServiceAddress)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, xroad.Errorf(xroad.CodeRegistrationFailed,
			"The management service address %q in the global configuration is not an http(s) URL; contact the central server administrator", ms.AuthCertRegServiceAddress)
	}
	if u.Scheme == "http" {
		return s.http, nil
	}
	if ms.AuthCertRegServiceCert == nil {
		return nil, xroad.Errorf(xroad.CodeRegistrationFailed,
			"The global configuration names no TLS certificate for the management service at %s, so its identity cannot be checked; contact the central server administrator", ms.AuthCertRegServiceAddress)
	}
	pinned := ms.AuthCertRegServiceCert.Raw
	var tr *http.Transport
	if t, ok := s.http.Transport.(*http.Transport); ok {
		tr = t.Clone()
	} else {
		tr = http.DefaultTransport.(*http.Transport).Clone()
	}
	tr.TLSClientConfig = &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The chain is not checked against system roots: the one
		// certificate the configuration names is the only one accepted.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 || !bytes.Equal(cs.PeerCertificates[0].Raw, pinned) {
				return errors.New("the central server's TLS certificate is not the one in the global configuration")
			}
			return nil
		},
	}
	return &http.Client{Transport: tr, Timeout: s.http.Timeout}, nil
}

// checkPendingRegistrations asks the central server about every
// registration in progress (Roadreg's status query, signed with the
// authentication key) and moves declined or revoked ones back to SAVED with
// the central server's comment. Without a logged-in software token it
// skips silently and tries again later.
func (s *Service) checkPendingRegistrations(ctx context.Context) {
	certs, err := s.client.Certificate.Query().Where(
		certificate.StatusEQ(xroad.CertRegistrationInProgress), certificate.ManagementRequestIDNotNil(),
	).WithKey(func(q *ent.KeyQuery) { q.WithToken() }).All(ctx)
	if err != nil || len(certs) == 0 {
		return
	}
	snap := s.snap.Load()
	if snap == nil || snap.Private == nil {
		return
	}
	ms := snap.Private.ManagementService
	client, err := s.managementClient(ms)
	if err != nil {
		slog.WarnContext(ctx, "registration status query", "err", err)
		return
	}
	for _, c := range certs {
		sg, err := s.signerFor(c.Edges.Key, c.Edges.Key.Edges.Token)
		if err != nil {
			continue // the token is logged out: try again later
		}
		ans, err := s.queryStatus(ctx, client, ms.AuthCertRegServiceAddress, c, sg)
		if err != nil {
			slog.DebugContext(ctx, "registration status query", "certificate", c.Sha256, "err", err)
			continue
		}
		if ans.RequestID == *c.ManagementRequestID && (ans.Status == requestDeclined || ans.Status == requestRevoked) {
			s.registrationRefused(ctx, c, ans)
		}
	}
}

// queryStatus sends one status query.
func (s *Service) queryStatus(ctx context.Context, client *http.Client, address string, c *ent.Certificate, sg crypto.Signer) (mgmtreq.StatusAnswer, error) {
	var ans mgmtreq.StatusAnswer
	body, err := mgmtreq.BuildStatusQuery(*c.ManagementRequestID, c.Der, sg, s.now())
	if err != nil {
		return ans, err
	}
	u := strings.TrimSuffix(address, "/") + "/" + mgmtreq.StatusPath
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return ans, err
	}
	req.Header.Set("Content-Type", "application/json")
	s.regMu.Lock()
	resp, err := client.Do(req)
	s.regMu.Unlock()
	if err != nil {
		return ans, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return ans, fmt.Errorf("%s answered %s", u, resp.Status)
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, maxStatusAnswer)).Decode(&ans)
	return ans, err
}

// registrationRefused moves a certificate whose request the central server
// declined or revoked back to SAVED with the central server's comment.
func (s *Service) registrationRefused(ctx context.Context, c *ent.Certificate, ans mgmtreq.StatusAnswer) {
	comment := ans.Comments
	if comment == "" {
		comment = fmt.Sprintf("The central server %s registration request %d", strings.ToLower(ans.Status), ans.RequestID)
	}
	data := map[string]any{"certificateHash": c.Sha256, "requestId": ans.RequestID, "status": ans.Status, "comments": ans.Comments}
	err := db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		n, err := tx.Certificate.Update().Where(certificate.ID(c.ID), certificate.StatusEQ(xroad.CertRegistrationInProgress),
			certificate.ManagementRequestID(ans.RequestID)).
			SetStatus(xroad.CertSaved).SetNillableDeclineComment(nonEmpty(comment)).ClearManagementRequestID().ClearRegisteredAddress().Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		record(ctx, tx.Client(), evRegistrationRefuse, data)
		s.publishAfterCommit(tx, events.CertificateChanged, c.ID)
		return nil
	})
	if err != nil {
		slog.ErrorContext(ctx, "recording a declined registration", "certificate", c.Sha256, "err", err)
	}
	s.wakeRenewal() // the declined certificate may be a renewal
}
