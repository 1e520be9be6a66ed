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
	cert, data, err := s.certToSwitch(ctx, id)
	if err != nil {
		return nil, err
	}
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
	return s.switchActive(ctx, id, true, evEnableCert, data, "The certificate is already active", func(u *ent.CertificateUpdate) {
		u.SetOcspStatus(xroad.OcspGood).SetOcspResponse(check.DER).SetOcspUpdatedAt(s.now()).ClearOcspError()
	})
}

// DeactivateCertificate disables a certificate (SS_33): it is not used and
// its OCSP status is not followed (DISABLED).
func (s *Service) DeactivateCertificate(ctx context.Context, id int) (*ent.Certificate, error) {
	_, data, err := s.certToSwitch(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.switchActive(ctx, id, false, evDisableCert, data, "The certificate is not active", func(u *ent.CertificateUpdate) {
		u.SetOcspStatus(xroad.OcspDisabled)
	})
}

// certToSwitch loads a certificate to activate or disable, checks the
// caller's permission for its usage, and returns its audit data.
func (s *Service) certToSwitch(ctx context.Context, id int) (*ent.Certificate, map[string]any, error) {
	cert, err := s.certRow(system(ctx), id)
	if err != nil {
		return nil, nil, err
	}
	if err := viewer.Require(ctx, activatePermission(cert.Usage)); err != nil {
		return nil, nil, err
	}
	return cert, map[string]any{"certificateHash": cert.Sha256, "keyUsage": cert.Usage}, nil
}

// switchActive sets a certificate's active flag, with the other columns set
// adds, in one transaction with its audit record and event. A certificate
// whose flag is already so gets ACTION_NOT_POSSIBLE with notPossible.
func (s *Service) switchActive(ctx context.Context, id int, active bool, event string, data map[string]any,
	notPossible string, set func(*ent.CertificateUpdate)) (*ent.Certificate, error) {
	sys := system(ctx)
	err := db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		u := tx.Certificate.Update().Where(certificate.ID(id), certificate.Active(!active)).SetActive(active)
		set(u)
		n, err := u.Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return xroad.Errorf(xroad.CodeActionNotPossible, "%s", notPossible)
		}
		record(ctx, tx.Client(), event, data)
		s.publishAfterCommit(tx, events.CertificateChanged, id)
		return nil
	})
	if err != nil {
		return nil, s.failed(ctx, event, data, err)
	}
	return s.client.Certificate.Get(sys, id)
}
