package central

import (
	"context"
	"crypto/x509"
	"net/url"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/approvedcertificationservice"
	"github.com/roadreg/roadreg/ent/approvedtimestampingauthority"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// OCSPResponderInput is one OCSP responder of an approved CA.
type OCSPResponderInput struct {
	URL string
	// Certificate (PEM or base64 DER) when the responder is not the CA.
	Certificate string
}

// CAInput is addApprovedCertificationService's input.
type CAInput struct {
	CACertificate  string
	OCSPResponders []OCSPResponderInput
	// Settings left nil take the defaults: X-Road's default certificate
	// profile, PEM, not authentication only, no ACME.
	Settings CASettings
}

// AddApprovedCertificationService approves a certification authority with
// its settings (UG-CS §10.1).
func (s *Service) AddApprovedCertificationService(ctx context.Context, in CAInput) (*ent.ApprovedCertificationService, error) {
	if err := viewer.Require(ctx, viewer.CSAddApprovedCA); err != nil {
		return nil, err
	}
	ctx = viewer.Elevated(ctx)
	cert, err := parseCert("caCertificate", in.CACertificate)
	if err != nil {
		return nil, err
	}
	settings, err := in.Settings.apply(defaultCASettings())
	if err != nil {
		return nil, err
	}
	if !cert.BasicConstraintsValid || !cert.IsCA {
		return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "the certificate is not a CA certificate (basic constraints CA:true is missing)").WithField("caCertificate")
	}
	now := s.now()
	if now.After(cert.NotAfter) {
		return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "the CA certificate expired on %s", cert.NotAfter.UTC().Format(time.RFC3339)).WithField("caCertificate")
	}
	type responder struct {
		url  string
		cert *x509.Certificate
	}
	var responders []responder
	for i, r := range in.OCSPResponders {
		u := xroad.Trim(r.URL)
		if err := validateURL("ocspResponders.url", u); err != nil {
			return nil, err
		}
		var rc *x509.Certificate
		if xroad.Trim(r.Certificate) != "" {
			if rc, err = parseCert("ocspResponders.certificate", r.Certificate); err != nil {
				return nil, err
			}
			if rc.CheckSignatureFrom(cert) != nil {
				return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "the certificate of OCSP responder %d is not issued by this CA", i+1).WithField("ocspResponders.certificate")
			}
		}
		responders = append(responders, responder{u, rc})
	}
	if _, err := s.conf(ctx); err != nil {
		return nil, err
	}
	sha := pki.SHA256Hex(cert.Raw)
	var ca *ent.ApprovedCertificationService
	err = db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		if exists, err := tx.ApprovedCertificationService.Query().Where(approvedcertificationservice.Sha256(sha)).Exist(ctx); err != nil {
			return err
		} else if exists {
			return xroad.Errorf(xroad.CodeApprovedCAExists, "this certification authority is already approved")
		}
		name := cert.Subject.CommonName
		if name == "" {
			name = pki.SubjectDN(cert)
		}
		ca, err = tx.ApprovedCertificationService.Create().SetName(name).SetCertificate(cert.Raw).SetSha256(sha).
			SetSubjectDn(pki.SubjectDN(cert)).SetIssuerDn(pki.IssuerDN(cert)).SetNotBefore(cert.NotBefore).SetNotAfter(cert.NotAfter).
			SetAuthenticationOnly(settings.authOnly).SetCertificateProfileInfo(settings.profileInfo).SetDefaultCsrFormat(settings.csrFormat).
			SetNillableAcmeServerDirectoryURL(settings.directory).SetNillableAcmeServerIPAddress(settings.ips).
			SetNillableAuthenticationCertificateProfileID(settings.authProfile).SetNillableSigningCertificateProfileID(settings.signProfile).
			Save(ctx)
		if err != nil {
			return err
		}
		var urls []string
		for _, r := range responders {
			c := tx.OcspResponder.Create().SetURL(r.url).SetCertificationService(ca)
			if r.cert != nil {
				c.SetCertificate(r.cert.Raw)
			}
			if err := c.Exec(ctx); err != nil {
				return err
			}
			urls = append(urls, r.url)
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: "Add certification service", Data: settings.auditData(map[string]any{
			"name": name, "subject": pki.SubjectDN(cert), "ocspResponders": urls})})
		db.AfterCommit(tx, s.gen.trigger)
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, "Add certification service", err, nil)
		return nil, err
	}
	return ca.Unwrap(), nil
}

// TSAInput is addApprovedTimestampingAuthority's input.
type TSAInput struct {
	URL         string
	Certificate string
}

// AddApprovedTimestampingAuthority approves a timestamping authority.
func (s *Service) AddApprovedTimestampingAuthority(ctx context.Context, in TSAInput) (*ent.ApprovedTimestampingAuthority, error) {
	if err := viewer.Require(ctx, viewer.CSAddApprovedTSA); err != nil {
		return nil, err
	}
	ctx = viewer.Elevated(ctx)
	u := xroad.Trim(in.URL)
	if err := validateURL("url", u); err != nil {
		return nil, err
	}
	cert, err := parseCert("certificate", in.Certificate)
	if err != nil {
		return nil, err
	}
	if !hasEKU(cert, x509.ExtKeyUsageTimeStamping) {
		return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "the certificate is not a timestamping certificate (extended key usage timeStamping is missing)").WithField("certificate")
	}
	if _, err := s.conf(ctx); err != nil {
		return nil, err
	}
	sha := pki.SHA256Hex(cert.Raw)
	var tsa *ent.ApprovedTimestampingAuthority
	err = db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		if exists, err := tx.ApprovedTimestampingAuthority.Query().Where(approvedtimestampingauthority.URL(u), approvedtimestampingauthority.Sha256(sha)).Exist(ctx); err != nil {
			return err
		} else if exists {
			return xroad.Errorf(xroad.CodeApprovedTSAExists, "this timestamping authority is already approved with this URL")
		}
		name := cert.Subject.CommonName
		if name == "" {
			name = pki.SubjectDN(cert)
		}
		tsa, err = tx.ApprovedTimestampingAuthority.Create().SetName(name).SetURL(u).SetCertificate(cert.Raw).SetSha256(sha).
			SetNotBefore(cert.NotBefore).SetNotAfter(cert.NotAfter).Save(ctx)
		if err != nil {
			return err
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: "Add timestamping service", Data: map[string]any{"name": name, "url": u}})
		db.AfterCommit(tx, s.gen.trigger)
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, "Add timestamping service", err, map[string]any{"url": u})
		return nil, err
	}
	return tsa.Unwrap(), nil
}

func parseCert(field, s string) (*x509.Certificate, error) {
	if xroad.Trim(s) == "" {
		return nil, xroad.BadInput(field, "%s is required (PEM or base64 DER)", field)
	}
	c, err := pki.ParseCertificate([]byte(s))
	if err != nil {
		if xe, ok := err.(*xroad.Error); ok {
			xe.Field = field
		}
		return nil, err
	}
	return c, nil
}

func validateURL(field, s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > xroad.MaxIdentifierPartLength {
		return xroad.BadInput(field, "%s must be an http(s) URL of at most 255 characters, not %q", field, s)
	}
	return nil
}

func hasEKU(c *x509.Certificate, eku x509.ExtKeyUsage) bool {
	for _, e := range c.ExtKeyUsage {
		if e == eku {
			return true
		}
	}
	return false
}
