package security

import (
	"bytes"
	"context"
	"crypto/x509"
	"log/slog"
	"strings"
	"time"

	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// ocspCheck is what OCSP says about a certificate now.
type ocspCheck struct {
	Status xroad.OcspStatus
	// DER is the verified response it came from (nil when none could be had).
	DER []byte
	// Err says why the certificate is not known to be good (nil when GOOD).
	Err *xroad.Error
}

// checkOCSP returns the certificate's OCSP status (UC-SS SS_32): the stored
// response when it still verifies, is fresh and says good; otherwise a new
// response from the responders the configuration lists for the issuing CA
// (or, when it lists none, the certificate's own AIA responders).
func (s *Service) checkOCSP(ctx context.Context, snap *globalconf.Snapshot, cert *x509.Certificate, stored []byte) ocspCheck {
	now := s.now()
	if now.After(cert.NotAfter) {
		return ocspCheck{Status: xroad.OcspExpired, Err: xroad.Errorf(xroad.CodeOcspVerificationFailed,
			"the certificate expired at %s", cert.NotAfter.UTC().Format(time.RFC3339))}
	}
	issuer := issuerOf(snap, cert)
	if issuer == nil {
		return ocspCheck{Status: xroad.OcspUnknown, Err: xroad.Errorf(xroad.CodeOcspVerificationFailed,
			"its issuer %q is not an approved certification authority in the global configuration", pki.IssuerDN(cert))}
	}
	freshness := time.Duration(snap.Shared.GlobalSettings.OCSPFreshnessSeconds) * time.Second
	if stored != nil {
		if st, _, err := pki.VerifyOCSPResponse(stored, cert, issuer, now, freshness); err == nil && st == xroad.OcspGood {
			return ocspCheck{Status: st, DER: stored}
		}
	}
	var urls []string
	for _, r := range snap.Shared.OCSPResponders(issuer) {
		urls = append(urls, r.URL)
	}
	if len(urls) == 0 {
		urls = cert.OCSPServer
	}
	if len(urls) == 0 {
		return ocspCheck{Status: xroad.OcspUnknown, Err: xroad.Errorf(xroad.CodeOcspVerificationFailed,
			"neither the global configuration nor the certificate names an OCSP responder")}
	}
	var reasons []string
	for _, u := range urls {
		_, der, err := pki.FetchOCSP(ctx, s.http, u, cert, issuer)
		if err == nil {
			var st xroad.OcspStatus
			if st, _, err = pki.VerifyOCSPResponse(der, cert, issuer, now, freshness); err == nil {
				return ocspCheck{Status: st, DER: der, Err: pki.OCSPStatusError(st)}
			}
		}
		reasons = append(reasons, u+": "+xroad.Message(err))
	}
	return ocspCheck{Status: xroad.OcspUnknown, Err: xroad.Errorf(xroad.CodeOcspVerificationFailed,
		"no OCSP responder gave a valid response (%s)", strings.Join(reasons, "; "))}
}

// issuerOf returns the approved CA certificate (top or intermediate) that
// issued cert, or nil.
func issuerOf(snap *globalconf.Snapshot, cert *x509.Certificate) *x509.Certificate {
	if snap == nil || snap.Shared == nil {
		return nil
	}
	for _, ca := range snap.Shared.CACerts() {
		if bytes.Equal(ca.RawSubject, cert.RawIssuer) && cert.CheckSignatureFrom(ca) == nil {
			return ca
		}
	}
	return nil
}

// RefreshOCSP asks for new OCSP responses for every active certificate now
// and stores status, response and error; a certificate past its end is
// EXPIRED. Changes of status or error are published. The background job
// calls it every quarter of ocspFreshnessSeconds.
func (s *Service) RefreshOCSP(ctx context.Context) {
	ctx = system(ctx)
	snap := s.snap.Load()
	if snap == nil || snap.Shared == nil {
		return
	}
	certs, err := s.client.Certificate.Query().Where(certificate.Active(true)).All(ctx)
	if err != nil {
		slog.ErrorContext(ctx, "OCSP refresh: listing certificates", "err", err)
		return
	}
	for _, c := range certs {
		x, err := x509.ParseCertificate(c.Der)
		if err != nil {
			continue
		}
		check := s.checkOCSP(ctx, snap, x, nil)
		if ctx.Err() != nil {
			return
		}
		msg := ""
		if check.Err != nil {
			msg = check.Err.Message
		}
		u := s.client.Certificate.UpdateOneID(c.ID).SetOcspStatus(check.Status).SetNillableOcspError(nonEmpty(msg))
		if check.DER != nil {
			u.SetOcspResponse(check.DER).SetOcspUpdatedAt(s.now())
		}
		if err := u.Exec(ctx); err != nil {
			slog.ErrorContext(ctx, "OCSP refresh: storing", "certificate", c.Sha256, "err", err)
			continue
		}
		if check.Status != c.OcspStatus || msg != xroad.Deref(c.OcspError) {
			s.publish(events.CertificateChanged, c.ID)
		}
	}
}

// OCSP refresh bounds: a quarter of ocspFreshnessSeconds, within these.
const (
	minOCSPRefresh = time.Minute
	maxOCSPRefresh = 20 * time.Minute
)

// ocspRefreshInterval is a quarter of the configuration's OCSP freshness.
func (s *Service) ocspRefreshInterval() time.Duration {
	d := pki.DefaultOCSPFreshness / 4
	if snap := s.snap.Load(); snap != nil && snap.Shared != nil && snap.Shared.GlobalSettings.OCSPFreshnessSeconds > 0 {
		d = time.Duration(snap.Shared.GlobalSettings.OCSPFreshnessSeconds) * time.Second / 4
	}
	return min(max(d, minOCSPRefresh), maxOCSPRefresh)
}
