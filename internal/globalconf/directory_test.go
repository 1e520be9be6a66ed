package globalconf_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/xroad"
)

var (
	testNow    = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	testExpiry = testNow.Add(10 * time.Minute)
)

func testDirectory(t testing.TB) globalconf.Directory {
	shared, private := realisticFiles(t)
	return globalconf.Directory{
		ExpireDate: testExpiry,
		Version:    6,
		Parts: []globalconf.Part{
			{ContentIdentifier: globalconf.ContentPrivateParameters, Instance: "DEV", ContentLocation: "/V6/1/private-params.xml", Data: private},
			{ContentIdentifier: globalconf.ContentSharedParameters, Instance: "DEV", ContentLocation: "/V6/1/shared-params.xml", Data: shared},
		},
	}
}

func signed(t testing.TB, k *testKey) []byte {
	t.Helper()
	b, err := globalconf.SignDirectory(testDirectory(t), k.signer, k.cert)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSignParseVerifyRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		name  string
		key   *testKey
		sigID string
	}{
		{"RSA", newRSAKey(t, "rsa signing"), "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"},
		{"EC", testPKI(t).signing, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := testDirectory(t)
			body := signed(t, tt.key)
			if !bytes.HasPrefix(body, []byte("Content-Type: multipart/related; charset=UTF-8; boundary=")) {
				t.Errorf("does not start with the MIME header: %q", body[:60])
			}
			if bytes.Contains(bytes.ReplaceAll(body, []byte("\r\n"), nil), []byte("\n")) {
				t.Error("a line ends with LF instead of CRLF")
			}
			if !bytes.Contains(body, []byte(`Content-identifier: SHARED-PARAMETERS; instance="DEV"`)) {
				t.Error("no double-quoted Content-identifier")
			}
			sd, err := globalconf.VerifyDirectory(body, "DEV", []*x509.Certificate{testPKI(t).rotated.cert, tt.key.cert}, testNow)
			if err != nil {
				t.Fatalf("VerifyDirectory: %v", err)
			}
			if sd.SignatureAlgorithmID != tt.sigID || !sd.ExpireDate.Equal(testExpiry) || sd.Version != 6 || len(sd.Parts) != 2 {
				t.Errorf("parsed %s, expires %v, version %d, %d parts", sd.SignatureAlgorithmID, sd.ExpireDate, sd.Version, len(sd.Parts))
			}
			for i, p := range d.Parts {
				part, ok := sd.Part(p.ContentIdentifier, "DEV")
				if !ok || part.ContentLocation != p.ContentLocation {
					t.Fatalf("part %d not found", i)
				}
				if err := globalconf.VerifyPart(part, p.Data); err != nil {
					t.Errorf("VerifyPart %s: %v", p.ContentIdentifier, err)
				}
			}
		})
	}
}

func TestSignDirectoryRefusesWrongCertificate(t *testing.T) {
	p := testPKI(t)
	if _, err := globalconf.SignDirectory(testDirectory(t), p.signing.signer, p.rotated.cert); err == nil {
		t.Error("signing with a certificate of another key succeeded")
	}
	d := testDirectory(t)
	d.Parts[0].Instance = `DEV"; x="y`
	if _, err := globalconf.SignDirectory(d, p.signing.signer, p.signing.cert); err == nil {
		t.Error("a header value with quotes was accepted")
	}
}

func TestVerifyFailures(t *testing.T) {
	p := testPKI(t)
	body := signed(t, p.signing)
	flipSignature := func(b []byte) []byte {
		// Change one base64 character of the signature (the line before the closing delimiter).
		lines := bytes.Split(b, []byte("\r\n"))
		sig := lines[len(lines)-3]
		sig[10] = map[bool]byte{true: 'A', false: 'B'}[sig[10] != 'A']
		return bytes.Join(lines, []byte("\r\n"))
	}
	tests := []struct {
		name    string
		body    []byte
		trusted []*x509.Certificate
		now     time.Time
		code    string
		reason  error
		message string
	}{
		{"unknown verification cert", body, []*x509.Certificate{p.rotated.cert}, testNow, xroad.CodeGlobalConfVerification, globalconf.ErrUnknownVerificationCert, "Could not find verification certificate for certificate hash"},
		{"bad signature", flipSignature(bytes.Clone(body)), []*x509.Certificate{p.signing.cert}, testNow, xroad.CodeGlobalConfVerification, globalconf.ErrBadSignature, "Failed to verify signature"},
		{"signed content changed", bytes.Replace(body, []byte("Version: 6"), []byte("Version: 7"), 1), []*x509.Certificate{p.signing.cert}, testNow, xroad.CodeGlobalConfVerification, globalconf.ErrBadSignature, "Failed to verify signature"},
		{"expired", body, []*x509.Certificate{p.signing.cert}, testExpiry, xroad.CodeGlobalConfOutdated, globalconf.ErrExpired, "Configuration instance DEV expired on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := globalconf.VerifyDirectory(tt.body, "DEV", tt.trusted, tt.now)
			checkErr(t, err, tt.code, tt.reason, tt.message)
		})
	}
}

func checkErr(t *testing.T, err error, code string, reason error, message string) {
	t.Helper()
	var xe *xroad.Error
	if !errors.As(err, &xe) {
		t.Fatalf("err = %v, want *xroad.Error %s", err, code)
	}
	if xe.Code != code || !errors.Is(err, reason) || !strings.Contains(xe.Message, message) {
		t.Errorf("err = %v (reason %v), want code %s, reason %v, message containing %q", err, xe.Err, code, reason, message)
	}
}

func TestVerifyPartFailures(t *testing.T) {
	d := testDirectory(t)
	sd, err := globalconf.ParseDirectory(signed(t, testPKI(t).signing))
	if err != nil {
		t.Fatal(err)
	}
	shared, _ := sd.Part(globalconf.ContentSharedParameters, "DEV")
	changed := bytes.Clone(d.Parts[1].Data)
	changed[len(changed)/2] ^= 1
	checkErr(t, globalconf.VerifyPart(shared, changed), xroad.CodeGlobalConfVerification, globalconf.ErrHashMismatch, "Failed to verify content integrity")

	// A correctly hashed file of another instance.
	otherDoc := bytes.Replace(d.Parts[1].Data, []byte("<instanceIdentifier>DEV<"), []byte("<instanceIdentifier>OTHER<"), 1)
	dd := d
	dd.Parts = []globalconf.Part{{ContentIdentifier: globalconf.ContentSharedParameters, Instance: "DEV", ContentLocation: "/x", Data: otherDoc}}
	body, err := globalconf.SignDirectory(dd, testPKI(t).signing.signer, testPKI(t).signing.cert)
	if err != nil {
		t.Fatal(err)
	}
	sd2, err := globalconf.ParseDirectory(body)
	if err != nil {
		t.Fatal(err)
	}
	checkErr(t, globalconf.VerifyPart(&sd2.Parts[0], otherDoc), xroad.CodeGlobalConfVerification, globalconf.ErrWrongInstance, `instance identifier "OTHER"`)
}

// ParseDirectory copes with X-Road's variations and refuses broken input.
func TestParseDirectoryVariants(t *testing.T) {
	body := signed(t, testPKI(t).signing)
	sd, err := globalconf.ParseDirectory(body)
	if err != nil {
		t.Fatal(err)
	}
	inner := sd.SignedData
	replaceInner := func(f func([]byte) []byte) []byte {
		return bytes.Replace(body, inner, f(bytes.Clone(inner)), 1)
	}
	lines := func(b []byte) []string { return strings.Split(string(b), "\r\n") }

	ok := []struct {
		name string
		body []byte
	}{
		{"single quotes", replaceInner(func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(`instance="DEV"`), []byte(`instance='DEV'`)) })},
		{"header casing", bytes.ReplaceAll(bytes.ReplaceAll(body, []byte("Content-Type:"), []byte("content-TYPE:")), []byte("Content-location:"), []byte("CONTENT-LOCATION:"))},
		{"entries reordered", replaceInner(func(b []byte) []byte {
			// Swap the two data entries: split on the delimiter line.
			ls := lines(b)
			delim := ls[0]
			chunks := strings.Split(strings.Join(ls, "\r\n"), delim+"\r\n")
			// chunks: "", header, private, shared(+closing)
			last := strings.TrimSuffix(chunks[3], delim+"--\r\n")
			return []byte(delim + "\r\n" + chunks[1] + delim + "\r\n" + last + delim + "\r\n" + chunks[2] + delim + "--\r\n")
		})},
	}
	for _, tt := range ok {
		t.Run(tt.name, func(t *testing.T) {
			sd, err := globalconf.ParseDirectory(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if _, found := sd.Part(globalconf.ContentSharedParameters, "DEV"); !found || len(sd.Parts) != 2 || sd.ExpireDate.IsZero() {
				t.Errorf("parsed %+v", sd.Parts)
			}
		})
	}

	sigStart := bytes.LastIndex(body, []byte("\r\n--"+string(body[bytes.Index(body, []byte("boundary="))+9:bytes.Index(body, []byte("\r\n"))])+"\r\n"))
	bad := []struct {
		name    string
		body    []byte
		reason  error
		message string
	}{
		{"not MIME", []byte("hello"), globalconf.ErrMalformed, "MIME header"},
		{"truncated in the header", body[:30], globalconf.ErrMalformed, "malformed"},
		{"not multipart", bytes.Replace(body, []byte("multipart/related"), []byte("text/plain"), 1), globalconf.ErrMalformed, "multipart/related"},
		{"missing signature part", append(bytes.Clone(body[:sigStart]), []byte("\r\n--"+string(body[bytes.Index(body, []byte("boundary="))+9:bytes.Index(body, []byte("\r\n"))])+"--\r\n")...), globalconf.ErrMalformed, "signature part is missing"},
		{"missing Expire-date", replaceInner(func(b []byte) []byte { return bytes.Replace(b, []byte("Expire-date:"), []byte("X-Expire:"), 1) }), globalconf.ErrMissingField, "the field Expire-date is missing"},
		{"bad Expire-date", replaceInner(func(b []byte) []byte {
			return bytes.Replace(b, []byte("Expire-date: 2026"), []byte("Expire-date: 26"), 1)
		}), globalconf.ErrMalformed, "Expire-date"},
		{"unknown hash algorithm", replaceInner(func(b []byte) []byte {
			return bytes.Replace(b, []byte("http://www.w3.org/2001/04/xmlenc#sha512"), []byte("http://example.org/md5"), 1)
		}), globalconf.ErrUnsupportedAlgorithm, "unsupported algorithm"},
		{"unknown signature algorithm", bytes.Replace(body, []byte("xmldsig-more#ecdsa-sha512"), []byte("xmldsig-more#ecdsa-ripemd160"), 1), globalconf.ErrUnsupportedAlgorithm, "unsupported algorithm"},
		{"hash not base64", replaceInner(func(b []byte) []byte { return bytes.Replace(b, []byte("sha512\r\n\r\n"), []byte("sha512\r\n\r\n*"), 1) }), globalconf.ErrMalformed, "not a base64"},
		{"oversized", append(bytes.Clone(body), bytes.Repeat([]byte("x"), globalconf.MaxDirectorySize)...), globalconf.ErrTooLarge, "too large"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := globalconf.ParseDirectory(tt.body)
			checkErr(t, err, xroad.CodeGlobalConfVerification, tt.reason, tt.message)
		})
	}
}
