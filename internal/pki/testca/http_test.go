package testca

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/digitorus/timestamp"
	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// newServer serves a new CA whose base URL is the server's own URL.
func newServer(t *testing.T, opts InitOptions) (*CA, *httptest.Server) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil) // listens on 127.0.0.1:0
	opts.BaseURL = "http://" + srv.Listener.Addr().String()
	ca := newCA(t, opts)
	srv.Config.Handler = ca.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return ca, srv
}

func do(t *testing.T, method, url, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, data
}

func TestHTTPSign(t *testing.T) {
	ca, srv := newServer(t, InitOptions{})
	key := ecKey(t)
	for _, tc := range []struct {
		name, query string
		body        []byte
		wantDays    int
	}{
		{"auth PEM", "?profile=auth", pemCSR(makeCSR(t, key, authSubject("DEV", "ss1"))), DefaultDays},
		{"sign DER with days", "?profile=sign&days=7", makeCSR(t, key, signSubject("DEV", "GOV", "1234")), 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := do(t, http.MethodPost, srv.URL+PathSign+tc.query, "application/pkcs10", tc.body)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/x-pem-file" {
				t.Fatalf("status %s, type %q: %s", res.Status, res.Header.Get("Content-Type"), body)
			}
			cert, err := pki.ParseCertificate(body)
			if err != nil {
				t.Fatal(err)
			}
			if err := pki.VerifyChain(cert, []*x509.Certificate{ca.Certificate()}, nil, time.Now()); err != nil {
				t.Error(err)
			}
			if days := cert.NotAfter.Sub(cert.NotBefore).Hours() / 24; int(days+0.5) != tc.wantDays {
				t.Errorf("validity %.2f days, want %d", days, tc.wantDays)
			}
			if _, err := ca.Status(cert.SerialNumber); err != nil {
				t.Errorf("not recorded: %v", err)
			}
		})
	}
}

func TestHTTPCertificateDownloads(t *testing.T) {
	ca, srv := newServer(t, InitOptions{})
	for path, want := range map[string]*x509.Certificate{
		PathCACert: ca.Certificate(), PathOCSPPEM: ca.OCSPCertificate(), PathTSAPEM: ca.TSACertificate(),
	} {
		res, body := do(t, http.MethodGet, srv.URL+path, "", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s", path, res.Status)
		}
		block, _ := pem.Decode(body)
		if block == nil || !bytes.Equal(block.Bytes, want.Raw) {
			t.Errorf("%s does not serve %s", path, want.Subject)
		}
	}
}

func TestHTTPOCSP(t *testing.T) {
	ca, srv := newServer(t, InitOptions{})
	issue := func(profile string) *x509.Certificate {
		subject := authSubject("DEV", "ss1")
		if profile == ProfileSign {
			subject = signSubject("DEV", "GOV", "1234")
		}
		der, err := ca.Sign(makeCSR(t, ecKey(t), subject), profile, 0)
		if err != nil {
			t.Fatal(err)
		}
		return mustParse(t, der)
	}
	// fetch asks by POST (pki.FetchOCSP) or by GET (escaped or raw base64).
	fetch := func(t *testing.T, how string, cert *x509.Certificate) []byte {
		t.Helper()
		if how == "POST" {
			_, der, err := pki.FetchOCSP(context.Background(), srv.Client(), ca.OCSPURL(), cert, ca.Certificate())
			if err != nil {
				t.Fatal(err)
			}
			return der
		}
		req, err := pki.OCSPRequest(cert, ca.Certificate())
		if err != nil {
			t.Fatal(err)
		}
		url := pki.OCSPGetURL(ca.OCSPURL(), req)
		if how == "GET raw" {
			url = ca.OCSPURL() + "/" + base64.StdEncoding.EncodeToString(req)
		}
		res, body := do(t, http.MethodGet, url, "", nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != pki.ContentTypeOCSPResponse {
			t.Fatalf("GET: %s %q", res.Status, res.Header.Get(ErrorHeader))
		}
		return body
	}
	good, revoked, held := issue(ProfileSign), issue(ProfileAuth), issue(ProfileSign)
	if err := ca.Revoke(revoked.SerialNumber, ocsp.KeyCompromise); err != nil {
		t.Fatal(err)
	}
	if err := ca.Revoke(held.SerialNumber, ocsp.CertificateHold); err != nil {
		t.Fatal(err)
	}
	// A certificate with this CA's signature that the index does not know.
	unrecorded := func() *x509.Certificate {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(777), Subject: authSubject("DEV", "ghost"),
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, ecKey(t).Public(), ca.key)
		if err != nil {
			t.Fatal(err)
		}
		return mustParse(t, der)
	}()
	for _, how := range []string{"POST", "GET", "GET raw"} {
		for _, tc := range []struct {
			name string
			cert *x509.Certificate
			want xroad.OcspStatus
		}{
			{"good", good, xroad.OcspGood},
			{"revoked", revoked, xroad.OcspRevoked},
			{"on hold", held, xroad.OcspSuspended},
			{"unknown", unrecorded, xroad.OcspUnknown},
		} {
			t.Run(how+" "+tc.name, func(t *testing.T) {
				now := time.Now()
				status, resp, err := pki.VerifyOCSPResponse(fetch(t, how, tc.cert), tc.cert, ca.Certificate(), now, 0)
				if err != nil || status != tc.want {
					t.Fatalf("status %s, err %v; want %s", status, err, tc.want)
				}
				if !resp.Certificate.Equal(ca.OCSPCertificate()) {
					t.Error("the response does not embed the OCSP responder certificate")
				}
				if d := now.Sub(resp.ThisUpdate); d < -time.Minute || d > time.Minute {
					t.Errorf("thisUpdate %v is not now (%v)", resp.ThisUpdate, now)
				}
				if resp.NextUpdate.Sub(resp.ThisUpdate) != time.Hour {
					t.Errorf("nextUpdate %v is not thisUpdate + 1h", resp.NextUpdate)
				}
			})
		}
	}
}

func TestHTTPTimestamp(t *testing.T) {
	ca, srv := newServer(t, InitOptions{})
	ts, reply, err := pki.RequestTimestamp(context.Background(), srv.Client(), ca.TSAURL(), []byte("stamp me"))
	if err != nil {
		t.Fatal(err)
	}
	if len(reply) == 0 || time.Since(ts.Time) > time.Minute || time.Until(ts.Time) > time.Minute {
		t.Errorf("reply %d bytes, time %v", len(reply), ts.Time)
	}
	if err := pki.VerifyTimestampSigner(ts, ca.TSACertificate()); err != nil {
		t.Errorf("VerifyTimestampSigner(TSA certificate): %v", err)
	}
	if err := pki.VerifyTimestampSigner(ts, ca.Certificate()); !xroad.IsCode(err, pki.CodeTimestampVerificationFailed) {
		t.Errorf("VerifyTimestampSigner(CA certificate) = %v, want TIMESTAMP_VERIFICATION_FAILED", err)
	}
}

func TestHTTPBadInput(t *testing.T) {
	ca, srv := newServer(t, InitOptions{})
	key := ecKey(t)
	badSig := makeCSR(t, key, authSubject("DEV", "ss1"))
	badSig[len(badSig)-3] ^= 0xff

	// An OCSP request about a certificate of another CA.
	otherCA := newCA(t, InitOptions{Name: "Other CA"})
	otherDER, err := otherCA.Sign(makeCSR(t, key, authSubject("DEV", "ss1")), ProfileAuth, 0)
	if err != nil {
		t.Fatal(err)
	}
	foreignReq, err := pki.OCSPRequest(mustParse(t, otherDER), otherCA.Certificate())
	if err != nil {
		t.Fatal(err)
	}
	sha1Query, err := (&timestamp.Request{HashAlgorithm: crypto.SHA1, HashedMessage: make([]byte, 20)}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	oversized := bytes.Repeat([]byte("A"), MaxBodySize+1)

	for _, tc := range []struct {
		name, method, path string
		body               []byte
		status             int
		want               string // in the text body, or in ErrorHeader
		wantBody           []byte // exact binary error response, if any
	}{
		{"garbage CSR", "POST", PathSign + "?profile=auth", []byte("garbage"), 400, "only PEM and DER", nil},
		{"CSR with bad signature", "POST", PathSign + "?profile=auth", badSig, 400, "signature", nil},
		{"unknown profile", "POST", PathSign + "?profile=tls", makeCSR(t, key, authSubject("DEV", "ss1")), 400, "Unknown certificate profile", nil},
		{"no profile", "POST", PathSign, makeCSR(t, key, authSubject("DEV", "ss1")), 400, "Unknown certificate profile", nil},
		{"bad days", "POST", PathSign + "?profile=auth&days=many", makeCSR(t, key, authSubject("DEV", "ss1")), 400, "days", nil},
		{"too many days", "POST", PathSign + "?profile=auth&days=99999", makeCSR(t, key, authSubject("DEV", "ss1")), 400, "between 1 and", nil},
		{"subject does not fit", "POST", PathSign + "?profile=auth", makeCSR(t, key, signSubject("DEV", "GOV", "1")), 400, "does not fit the authentication certificate profile", nil},
		{"empty body", "POST", PathSign + "?profile=sign", nil, 400, "empty", nil},
		{"oversized CSR", "POST", PathSign + "?profile=auth", oversized, 413, "larger than 64 KiB", nil},
		{"sign with GET", "GET", PathSign + "?profile=auth", nil, 405, "POST", nil},
		{"OCSP garbage", "POST", PathOCSP, []byte("not OCSP"), 400, "not a valid", ocsp.MalformedRequestErrorResponse},
		{"OCSP for another issuer", "POST", PathOCSP, foreignReq, 403, "only for certificates issued by", ocsp.UnauthorizedErrorResponse},
		{"OCSP GET garbage", "GET", PathOCSP + "/%2F%2Fz", nil, 400, "base64", ocsp.MalformedRequestErrorResponse},
		{"OCSP GET not a request", "GET", PathOCSP + "/AAAA", nil, 400, "not a valid", ocsp.MalformedRequestErrorResponse},
		{"OCSP GET not base64", "GET", PathOCSP + "/not*base64", nil, 400, "base64", ocsp.MalformedRequestErrorResponse},
		{"OCSP oversized", "POST", PathOCSP, oversized, 413, "larger than 64 KiB", nil},
		{"OCSP with PUT", "PUT", PathOCSP, []byte("x"), 405, "POST", nil},
		{"TSA garbage", "POST", PathTSA, []byte("not a query"), 400, "not a valid DER timestamp query", nil},
		{"TSA SHA-1", "POST", PathTSA, sha1Query, 400, "SHA-256", nil},
		{"TSA with GET", "GET", PathTSA, nil, 405, "POST", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := indexBytes(t, ca)
			res, body := do(t, tc.method, srv.URL+tc.path, "", tc.body)
			if res.StatusCode != tc.status {
				t.Fatalf("status %s, want %d (%s)", res.Status, tc.status, body)
			}
			msg := res.Header.Get(ErrorHeader)
			if msg == "" {
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
					t.Errorf("Content-Type %q, want text/plain", ct)
				}
				msg = string(body)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("message %q, want it to mention %q", msg, tc.want)
			}
			if tc.wantBody != nil && !bytes.Equal(body, tc.wantBody) {
				t.Errorf("body %x, want %x", body, tc.wantBody)
			}
			assertIndexUnchanged(t, ca, before)
		})
	}
}

func TestHTTPTimestampRejectionIsReadable(t *testing.T) {
	_, srv := newServer(t, InitOptions{})
	res, body := do(t, http.MethodPost, srv.URL+PathTSA, pki.ContentTypeTimestampQuery, []byte("junk"))
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %s", res.Status)
	}
	if _, err := timestamp.ParseResponse(body); err == nil || !strings.Contains(err.Error(), "rejected") {
		t.Errorf("ParseResponse of the error body = %v, want a rejection", err)
	}
}

// The CA's address shows a page saying what it offers and how to have a
// CSR signed, with this CA's own URLs and certificate.
func TestHTTPHomePage(t *testing.T) {
	ca, srv := newServer(t, InitOptions{Instance: "DEV"})
	res, body := do(t, http.MethodGet, srv.URL+PathHome, "", nil)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s: %s %q", PathHome, res.Status, res.Header.Get("Content-Type"))
	}
	page := string(body)
	for _, want := range []string{
		"<h1>" + ca.Name() + "</h1>",
		"curl --data-binary @auth_csr.pem '" + srv.URL + "/testca/sign?profile=auth'",
		srv.URL + "/testca/ocsp", srv.URL + "/testca/tsa", `href="` + srv.URL + `/testca/ca.pem"`,
		pki.SHA256Hex(ca.Certificate().Raw), "never use it for production",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
	res, _ = do(t, http.MethodGet, srv.URL+"/testca", "", nil) // the client follows the redirect
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != PathHome {
		t.Errorf("GET /testca: %s at %s", res.Status, res.Request.URL.Path)
	}
	if res, _ := do(t, http.MethodGet, srv.URL+"/testca/nothing", "", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /testca/nothing: %s, want 404", res.Status)
	}
}
