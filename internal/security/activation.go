package security

import (
	"context"
	"crypto/x509"
	"fmt"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// activatePermission is the permission activating or disabling a
// certificate of the usage needs.
func activatePermission(u xroad.KeyUsage) viewer.Permission {
	if u == xroad.UsageAuthentication {
		return viewer.SSActivateAuthCert
	}
	return viewer.SSActivateSignCert
}

// ActivateCertificate activates a certificate (SS_32) once a new OCSP
// response says it is good; otherwise the reason is kept on the certificate
// (ocsp_verify_before_activation_error) and OCSP_VERIFICATION_FAILED
// returned.
func (s *Service) ActivateCertificate(ctx context.Context, id int) (*ent.Certificate, error) {
	sys := system(ctx)
	cert, err := s.certRow(sys, id)
	if err != nil {
		return nil, err
	}
	if err := viewer.Require(ctx, activatePermission(cert.Usage)); err != nil {
		return nil, err
	}
	data := map[string]any{"certificateHash": cert.Sha256, "keyUsage": cert.Usage}
	if cert.Active {
		return nil, s.failed(ctx, evEnableCert, data, xroad.Errorf(xroad.CodeActionNotPossible, "The certificate is already active"))
	}
	snap, err := s.currentConf()
	if err != nil {
		return nil, s.failed(ctx, evEnableCert, data, err)
	}
	x, err := x509.ParseCertificate(cert.Der)
	if err != nil {
		return nil, err
	}
	// Activation is a deliberate act: ask the responder now rather than
	// trust a response fetched while the certificate was inactive.
	check := s.checkOCSP(ctx, snap, x, nil)
	if check.Err != nil {
		msg := fmt.Sprintf("Failed to verify OCSP responses for certificate %s: %s", cert.Subject, check.Err.Message)
		u := s.client.Certificate.UpdateOneID(id).SetOcspError(msg)
		if check.DER != nil {
			u.SetOcspResponse(check.DER).SetOcspUpdatedAt(s.now())
		}
		if err := u.Exec(sys); err != nil {
			return nil, err
		}
		s.publish(events.CertificateChanged, id)
		return nil, s.failed(ctx, evEnableCert, data, xroad.Errorf(xroad.CodeOcspVerificationFailed, "%s", msg))
	}
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		n, err := tx.Certificate.Update().Where(certificate.ID(id), certificate.Active(false)).
			SetActive(true).SetOcspStatus(xroad.OcspGood).SetOcspResponse(check.DER).
			SetOcspUpdatedAt(s.now()).ClearOcspError().Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return xroad.Errorf(xroad.CodeActionNotPossible, "The certificate is already active")
		}
		record(ctx, tx.Client(), evEnableCert, data)
		s.publishAfterCommit(tx, events.CertificateChanged, id)
		return nil
	})
	if err != nil {
		return nil, s.failed(ctx, evEnableCert, data, err)
	}
	return s.client.Certificate.Get(sys, id)
}

// DeactivateCertificate disables a certificate (SS_33): it is not used and
// its OCSP status is not followed (DISABLED).
func (s *Service) DeactivateCertificate(ctx context.Context, id int) (*ent.Certificate, error) {
	sys := system(ctx)
	cert, err := s.certRow(sys, id)
	if err != nil {
		return nil, err
	}
	if err := viewer.Require(ctx, activatePermission(cert.Usage)); err != nil {
		return nil, err
	}
	data := map[string]any{"certificateHash": cert.Sha256, "keyUsage": cert.Usage}
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		n, err := tx.Certificate.Update().Where(certificate.ID(id), certificate.Active(true)).
			SetActive(false).SetOcspStatus(xroad.OcspDisabled).Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return xroad.Errorf(xroad.CodeActionNotPossible, "The certificate is not active")
		}
		record(ctx, tx.Client(), evDisableCert, data)
		s.publishAfterCommit(tx, events.CertificateChanged, id)
		return nil
	})
	if err != nil {
		return nil, s.failed(ctx, evDisableCert, data, err)
	}
	return s.client.Certificate.Get(sys, id)
}
