package security

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"strings"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/ent/certificatesigningrequest"
	"github.com/roadreg/roadreg/ent/key"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// importPermission is the permission importing a certificate of the usage
// needs.
func importPermission(u xroad.KeyUsage) viewer.Permission {
	if u == xroad.UsageAuthentication {
		return viewer.SSImportAuthCert
	}
	return viewer.SSImportSignCert
}

// certPlan is a checked certificate import.
type certPlan struct {
	cert   *x509.Certificate
	usage  xroad.KeyUsage
	member xroad.ClientID // signing certificates
	key    *ent.Key
}

// ImportCertificate imports a certificate from a file (SS_30), PEM or DER,
// with the checks of UC-SS SS_30 in X-Road's order. A signing certificate becomes
// REGISTERED, and active when its OCSP status is good; an authentication
// certificate SAVED and inactive. The key's matching CSRs are deleted and an
// undefined key usage is fixed.
func (s *Service) ImportCertificate(ctx context.Context, data []byte) (*ent.Certificate, error) {
	if err := viewer.Require(ctx, viewer.SSImportAuthCert, viewer.SSImportSignCert); err != nil {
		return nil, err
	}
	auditData := map[string]any{}
	snap, err := s.validConf()
	if err != nil {
		return nil, s.failed(ctx, evImportCert, auditData, err)
	}
	p, err := s.planImport(ctx, snap, data, auditData)
	if err != nil {
		return nil, s.failed(ctx, evImportCert, auditData, err)
	}

	status, active, ocspStatus := xroad.CertSaved, false, xroad.OcspDisabled
	var check ocspCheck
	if p.usage == xroad.UsageSigning {
		status = xroad.CertRegistered
		check = s.checkOCSP(ctx, snap, p.cert, nil)
		if check.Err == nil {
			active, ocspStatus = true, xroad.OcspGood
		}
	}
	sys := system(ctx)
	var row *ent.Certificate
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		if p.key.Usage == nil {
			if err := tx.Key.UpdateOneID(p.key.ID).SetUsage(p.usage).Exec(sys); err != nil {
				return err
			}
		}
		c := tx.Certificate.Create().SetKeyID(p.key.ID).SetDer(p.cert.Raw).SetSha256(pki.SHA256Hex(p.cert.Raw)).
			SetUsage(p.usage).SetStatus(status).SetActive(active).SetOcspStatus(ocspStatus).
			SetSubject(pki.SubjectDN(p.cert)).SetIssuer(pki.IssuerDN(p.cert)).SetSerialNumber(p.cert.SerialNumber.String()).
			SetNotBefore(p.cert.NotBefore).SetNotAfter(p.cert.NotAfter)
		if p.usage == xroad.UsageSigning {
			c.SetMemberID(p.member.String())
		}
		if check.DER != nil {
			c.SetOcspResponse(check.DER).SetOcspUpdatedAt(s.now())
		}
		if check.Err != nil {
			c.SetOcspError("Failed to verify OCSP responses for certificate " + pki.SubjectDN(p.cert) + ": " + check.Err.Message)
		}
		var err error
		if row, err = c.Save(sys); err != nil {
			if ent.IsConstraintError(err) {
				return errCertExists(p.key)
			}
			return err
		}
		csrs := tx.CertificateSigningRequest.Delete().Where(
			certificatesigningrequest.HasKeyWith(key.ID(p.key.ID)), certificatesigningrequest.UsageEQ(p.usage))
		if p.usage == xroad.UsageSigning {
			csrs.Where(certificatesigningrequest.MemberID(p.member.String()))
		}
		if _, err := csrs.Exec(sys); err != nil {
			return err
		}
		record(ctx, tx.Client(), evImportCert, auditData)
		s.publishAfterCommit(tx, events.CertificateChanged, row.ID)
		return nil
	})
	if err != nil {
		return nil, s.failed(ctx, evImportCert, auditData, err)
	}
	return row.Unwrap(), nil // created in the transaction: detach it from it
}

// planImport runs checks 2–8 of UC-SS SS_30 (check 1, a valid configuration, is the
// caller's): readable certificate, usage, the caller's permission for it, the
// member of a signing certificate, the key, duplicates, the key's usage, an
// approved CA and the validity period.
func (s *Service) planImport(ctx context.Context, snap *globalconf.Snapshot, data []byte, auditData map[string]any) (certPlan, error) {
	var p certPlan
	var err error
	if p.cert, err = pki.ParseCertificate(data); err != nil {
		return p, xroad.Errorf(xroad.CodeInvalidCertificate, "The file is not a certificate: only PEM and DER files are allowed").Wrap(err)
	}
	hash := pki.SHA256Hex(p.cert.Raw)
	auditData["certificateHash"] = hash
	if p.usage, err = pki.CertUsage(p.cert); err != nil {
		return p, err
	}
	auditData["keyUsage"] = p.usage
	if err := viewer.Require(ctx, importPermission(p.usage)); err != nil {
		return p, err
	}
	sys := system(ctx)
	_, server, err := s.initialized(sys)
	if err != nil {
		return p, err
	}
	if p.usage == xroad.UsageSigning {
		if p.member, err = (pki.Profile{}).DecodeSignMemberID(p.cert); err != nil {
			return p, err
		}
		auditData["memberId"] = p.member.String()
		if err := s.requireLocalMember(sys, p.member, server); xroad.IsCode(err, xroad.CodeClientNotFound) {
			return p, xroad.Errorf(xroad.CodeClientNotFound, "Certificate issued to an unknown member '%s'; it is not a client of this security server", p.member).
				WithMetadata(p.member.String())
		} else if err != nil {
			return p, err
		}
	}
	if p.key, err = s.keyOf(sys, p.cert); err != nil {
		return p, err
	}
	auditData["keyId"] = p.key.KeyID
	exists, err := s.client.Certificate.Query().Where(certificate.Sha256(hash)).Exist(sys)
	if err != nil {
		return p, err
	}
	if exists {
		return p, errCertExists(p.key)
	}
	if u := p.key.Usage; u != nil && *u != p.usage {
		md := "wrong_cert_usage.sign_to_auth"
		if p.usage == xroad.UsageAuthentication {
			md = "wrong_cert_usage.auth_to_sign"
		}
		return p, xroad.Errorf(xroad.CodeWrongCertUsage, "The certificate is %s certificate but key %q is %s key",
			usageArticle(p.usage), KeyName(p.key), usageArticle(*u)).WithMetadata(md)
	}
	return p, verifyIssuer(snap, p.cert, s.now())
}

// keyOf finds the key whose public key the certificate certifies.
func (s *Service) keyOf(ctx context.Context, cert *x509.Certificate) (*ent.Key, error) {
	pub, err := x509.MarshalPKIXPublicKey(cert.PublicKey)
	if err != nil {
		return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "The certificate's public key is of an unsupported type").Wrap(err)
	}
	keys, err := s.client.Key.Query().All(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if bytes.Equal(k.PublicKey, pub) {
			return k, nil
		}
	}
	return nil, xroad.Errorf(xroad.CodeKeyNotFound, "Could not find key corresponding to the certificate; generate its key and CSR on this server")
}

// verifyIssuer checks that an approved CA issued cert and that it is valid
// at now (CERT_NOT_FROM_APPROVED_CA, then CERT_NOT_VALID).
func verifyIssuer(snap *globalconf.Snapshot, cert *x509.Certificate, now time.Time) error {
	var roots, intermediates []*x509.Certificate
	for _, ca := range snap.Shared.ApprovedCAs {
		roots = append(roots, ca.TopCA.Cert)
		for _, i := range ca.IntermediateCAs {
			intermediates = append(intermediates, i.Cert)
		}
	}
	return pki.VerifyChain(cert, roots, intermediates, now)
}

func errCertExists(k *ent.Key) *xroad.Error {
	return xroad.Errorf(xroad.CodeCertExists, "Certificate already exists under key '%s'", KeyName(k))
}

// TokenCertificate finds a certificate of this server by its SHA-256 (hex
// of the DER, X-Road's certificate hash; either case); nil when there is
// none.
func (s *Service) TokenCertificate(ctx context.Context, hash string) (*ent.Certificate, error) {
	if err := viewer.Require(ctx, viewer.SSViewKeys); err != nil {
		return nil, err
	}
	h := strings.ToLower(xroad.Trim(hash))
	if _, err := hex.DecodeString(h); err != nil || len(h) != 2*sha256.Size {
		return nil, xroad.BadInput("hash", "hash must be the SHA-256 of the certificate: 64 hexadecimal digits")
	}
	c, err := s.client.Certificate.Query().Where(certificate.Sha256(h)).Only(system(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return c, err
}

// CertificateOCSP reads the OCSP response stored with a certificate (nil
// when there is none).
func CertificateOCSP(c *ent.Certificate) (*pki.OCSPResponseInfo, error) {
	if len(c.OcspResponse) == 0 {
		return nil, nil
	}
	info, err := pki.DescribeOCSPResponse(c.OcspResponse)
	if err != nil {
		return nil, err
	}
	return &info, nil
}

// certRow loads a certificate by its ent id.
func (s *Service) certRow(ctx context.Context, id int) (*ent.Certificate, error) {
	c, err := s.client.Certificate.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, xroad.Errorf(xroad.CodeCertificateNotFound, "Certificate with id %d was not found", id)
	}
	return c, err
}
