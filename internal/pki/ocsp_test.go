package pki

import (
	"context"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/xroad"
)

// ocspResponse signs an OCSP response about cert (issued by ca) with signer;
// responder, if not nil, is embedded.
func ocspResponse(t *testing.T, ca *testCA, cert, responder *x509.Certificate, signer crypto.Signer, tmpl ocsp.Response) []byte {
	t.Helper()
	tmpl.SerialNumber = cert.SerialNumber
	tmpl.Certificate = responder
	if tmpl.ThisUpdate.IsZero() {
		tmpl.ThisUpdate = time.Now().Add(-time.Minute)
	}
	respCert := responder
	if respCert == nil {
		respCert = ca.cert
	}
	der, err := ocsp.CreateResponse(ca.cert, respCert, tmpl, signer)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestVerifyOCSPResponse(t *testing.T) {
	ca, other := newTestCA(t, "OCSP CA"), newTestCA(t, "Other CA")
	cert, _ := ca.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageContentCommitment})
	second, _ := ca.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageContentCommitment})
	responder, responderKey := ca.leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "OCSP"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}})
	noEKU, noEKUKey := ca.leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "Not a responder"},
		KeyUsage: x509.KeyUsageDigitalSignature})
	foreignResponder, foreignKey := other.leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "Foreign OCSP"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}})
	expiredResponder, expiredKey := ca.leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "Old OCSP"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}})
	now := time.Now()
	good := ocsp.Response{Status: ocsp.Good, NextUpdate: now.Add(time.Hour)}
	forged := ocspResponse(t, ca, cert, nil, ca.key, good)
	forged[len(forged)-5] ^= 0x5a

	for _, tc := range []struct {
		name string
		der  []byte
		cert *x509.Certificate
		now  time.Time
		want xroad.OcspStatus
		fail string // part of the error message, "" = verified
	}{
		{"good, signed by the CA", ocspResponse(t, ca, cert, nil, ca.key, good), cert, now, xroad.OcspGood, ""},
		{"good, delegated responder", ocspResponse(t, ca, cert, responder, responderKey, good), cert, now, xroad.OcspGood, ""},
		{"good, CA certificate embedded", ocspResponse(t, ca, cert, ca.cert, ca.key, good), cert, now, xroad.OcspGood, ""},
		{"good, no nextUpdate", ocspResponse(t, ca, cert, nil, ca.key, ocsp.Response{Status: ocsp.Good}), cert, now, xroad.OcspGood, ""},
		{"revoked", ocspResponse(t, ca, cert, responder, responderKey,
			ocsp.Response{Status: ocsp.Revoked, RevokedAt: now.Add(-time.Hour), RevocationReason: ocsp.KeyCompromise}), cert, now, xroad.OcspRevoked, ""},
		{"suspended", ocspResponse(t, ca, cert, responder, responderKey,
			ocsp.Response{Status: ocsp.Revoked, RevokedAt: now.Add(-time.Hour), RevocationReason: ocsp.CertificateHold}), cert, now, xroad.OcspSuspended, ""},
		{"unknown", ocspResponse(t, ca, cert, responder, responderKey, ocsp.Response{Status: ocsp.Unknown}), cert, now, xroad.OcspUnknown, ""},
		{"stale", ocspResponse(t, ca, cert, nil, ca.key, ocsp.Response{Status: ocsp.Good, ThisUpdate: now.Add(-61 * time.Minute)}), cert, now, xroad.OcspUnknown, "too old"},
		{"nextUpdate passed", ocspResponse(t, ca, cert, nil, ca.key, ocsp.Response{Status: ocsp.Good, ThisUpdate: now.Add(-30 * time.Minute), NextUpdate: now.Add(-time.Minute)}), cert, now, xroad.OcspUnknown, "expired"},
		{"thisUpdate in the future", ocspResponse(t, ca, cert, nil, ca.key, ocsp.Response{Status: ocsp.Good, ThisUpdate: now.Add(time.Hour)}), cert, now, xroad.OcspUnknown, "future"},
		{"signed by another CA", ocspResponse(t, ca, cert, nil, other.key, good), cert, now, xroad.OcspUnknown, "not signed by its CA"},
		{"responder of another CA", ocspResponse(t, ca, cert, foreignResponder, foreignKey, good), cert, now, xroad.OcspUnknown, "not issued by the CA"},
		{"responder without OCSPSigning", ocspResponse(t, ca, cert, noEKU, noEKUKey, good), cert, now, xroad.OcspUnknown, "OCSP signing"},
		{"expired responder", ocspResponse(t, ca, cert, expiredResponder, expiredKey, good), cert, now, xroad.OcspUnknown, "not valid at"},
		{"forged signature", forged, cert, now, xroad.OcspUnknown, "signature"},
		{"other serial", ocspResponse(t, ca, second, nil, ca.key, good), cert, now, xroad.OcspUnknown, "no matching serial"},
		{"error response", ocsp.UnauthorizedErrorResponse, cert, now, xroad.OcspUnknown, "unauthorized"},
		{"garbage", []byte("garbage"), cert, now, xroad.OcspUnknown, "could not be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, resp, err := VerifyOCSPResponse(tc.der, tc.cert, ca.cert, tc.now, 0)
			if status != tc.want {
				t.Errorf("status %s, want %s", status, tc.want)
			}
			if tc.fail == "" {
				if err != nil || resp == nil {
					t.Fatalf("err %v, resp %v", err, resp)
				}
				return
			}
			assertCode(t, err, xroad.CodeOcspVerificationFailed)
			if !strings.Contains(err.Error(), tc.fail) {
				t.Errorf("message %q, want it to mention %q", err, tc.fail)
			}
		})
	}

	t.Run("certificate of another issuer", func(t *testing.T) {
		_, _, err := VerifyOCSPResponse(ocspResponse(t, ca, cert, nil, ca.key, good), cert, other.cert, now, 0)
		assertCode(t, err, xroad.CodeOcspVerificationFailed)
	})
	t.Run("freshness limit is the caller's", func(t *testing.T) {
		der := ocspResponse(t, ca, cert, nil, ca.key, ocsp.Response{Status: ocsp.Good, ThisUpdate: now.Add(-10 * time.Minute)})
		if _, _, err := VerifyOCSPResponse(der, cert, ca.cert, now, 5*time.Minute); !xroad.IsCode(err, xroad.CodeOcspVerificationFailed) {
			t.Errorf("5-minute freshness accepted a 10-minute-old response: %v", err)
		}
		if s, _, err := VerifyOCSPResponse(der, cert, ca.cert, now, 15*time.Minute); err != nil || s != xroad.OcspGood {
			t.Errorf("15-minute freshness: %s, %v", s, err)
		}
	})
}

func TestVerifyOCSPResponseXRoadSample(t *testing.T) {
	s := loadAuthCertReg(t)
	produced := time.Date(2022, 3, 29, 7, 44, 21, 0, time.UTC)
	status, resp, err := VerifyOCSPResponse(s.ocsp, s.signCert, s.ca, produced.Add(10*time.Minute), 0)
	if err != nil || status != xroad.OcspGood {
		t.Fatalf("at production time: %s, %v", status, err)
	}
	if resp.Certificate == nil || resp.Certificate.Subject.CommonName != "Test OCSP" {
		t.Errorf("responder %v, want the embedded Test OCSP certificate", resp.Certificate)
	}
	_, _, err = VerifyOCSPResponse(s.ocsp, s.signCert, s.ca, produced.Add(2*time.Hour), 0)
	assertCode(t, err, xroad.CodeOcspVerificationFailed)
	_, _, err = VerifyOCSPResponse(s.ocsp, s.authCert, s.ca, produced, 0)
	assertCode(t, err, xroad.CodeOcspVerificationFailed) // about another serial
}

func TestFetchOCSP(t *testing.T) {
	ca := newTestCA(t, "Fetch CA")
	cert, _ := ca.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageContentCommitment})
	goodDER := ocspResponse(t, ca, cert, nil, ca.key, ocsp.Response{Status: ocsp.Good})
	for _, tc := range []struct {
		name   string
		status int
		body   []byte
		code   string
		want   string
	}{
		{"good", 200, goodDER, "", ""},
		{"responder error status", 200, ocsp.TryLaterErrorResponse, CodeOcspRequestFailed, "refused"},
		{"HTTP error with OCSP body", 403, ocsp.UnauthorizedErrorResponse, CodeOcspRequestFailed, "HTTP 403 with the OCSP status unauthorized"},
		{"HTTP error", 500, []byte("oops"), CodeOcspRequestFailed, "HTTP 500"},
		{"garbage", 200, []byte("garbage"), xroad.CodeOcspVerificationFailed, "could not be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var gotReq *ocsp.Request
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.Header.Get("Content-Type") != ContentTypeOCSPRequest {
					http.Error(w, "bad request", 400)
					return
				}
				body := make([]byte, 4096)
				n, _ := r.Body.Read(body)
				gotReq, _ = ocsp.ParseRequest(body[:n])
				w.WriteHeader(tc.status)
				w.Write(tc.body)
			}))
			defer srv.Close()
			resp, der, err := FetchOCSP(context.Background(), srv.Client(), srv.URL, cert, ca.cert)
			if gotReq == nil || gotReq.SerialNumber.Cmp(cert.SerialNumber) != 0 {
				t.Errorf("the responder got request %+v", gotReq)
			}
			if tc.code != "" {
				assertCode(t, err, tc.code)
				if !strings.Contains(err.Error(), tc.want) {
					t.Errorf("message %q, want it to mention %q", err, tc.want)
				}
				return
			}
			if err != nil || resp.Status != ocsp.Good || string(der) != string(goodDER) {
				t.Errorf("resp %v, err %v", resp, err)
			}
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		_, _, err := FetchOCSP(context.Background(), nil, url, cert, ca.cert)
		assertCode(t, err, CodeOcspRequestFailed)
	})
}

func TestOCSPGetURL(t *testing.T) {
	// base64 of fb ff fe is "+//+": the slashes must be escaped.
	if got := OCSPGetURL("http://ocsp.example/", []byte{0xfb, 0xff, 0xfe}); got != "http://ocsp.example/+%2F%2F+" {
		t.Errorf("OCSPGetURL = %q", got)
	}
}
