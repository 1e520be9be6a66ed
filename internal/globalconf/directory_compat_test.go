package globalconf_test

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha512"
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/globalconf"
	pkix "github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// layout writes the entries of a directory Roadreg generated in another
// shape that X-Road's configuration client reads, and signs the result
// again, so that only the shape differs from what SignDirectory writes.
type layout struct {
	// nl ends every line ("\r\n" when empty).
	nl string
	// outerType and innerType are the two multipart Content-Type values;
	// %s is replaced by the boundary.
	outerType, innerType string
	// noInnerClose and noOuterClose leave out the closing delimiters.
	noInnerClose, noOuterClose bool
	// edit, when set, changes the signed entries (CRLF) before signing.
	edit func(entries string) string
}

const (
	outerBoundary = "Xo7nQm2vLr9sTk4wPz1a"
	standardOuter = "multipart/related; charset=UTF-8; boundary=%s"
	standardInner = "multipart/mixed; charset=UTF-8; boundary=%s"
)

// build returns the directory of testDirectory signed by k (an ECDSA key)
// in l's shape.
func (l layout) build(t testing.TB, k *testKey) []byte {
	t.Helper()
	sd, err := globalconf.ParseDirectory(signed(t, k))
	if err != nil {
		t.Fatal(err)
	}
	entries := string(sd.SignedData)
	delim, _, _ := strings.Cut(entries, "\r\n") // "--<inner boundary>"
	if l.noInnerClose {
		entries = strings.TrimSuffix(entries, delim+"--\r\n")
	}
	if l.edit != nil {
		entries = l.edit(entries)
	}
	nl, outerType, innerType := l.nl, l.outerType, l.innerType
	if nl == "" {
		nl = "\r\n"
	}
	if outerType == "" {
		outerType = standardOuter
	}
	if innerType == "" {
		innerType = standardInner
	}
	entries = strings.ReplaceAll(entries, "\r\n", nl)
	sum := sha512.Sum512([]byte(entries))
	sig, err := k.signer.Sign(rand.Reader, sum[:], crypto.SHA512)
	if err != nil {
		t.Fatal(err)
	}
	certHash := sha512.Sum512(k.cert.Raw)
	alg, _ := pkix.SignatureAlgorithmByJCA("SHA512withECDSA")
	lines := []string{
		"Content-Type: " + strings.Replace(outerType, "%s", outerBoundary, 1), "",
		"--" + outerBoundary,
		"Content-Type: " + strings.Replace(innerType, "%s", delim[2:], 1), "",
		entries + nl + "--" + outerBoundary, // the line break before a delimiter belongs to it
		"Content-Type: application/octet-stream",
		"Content-Transfer-Encoding: base64",
		"Signature-Algorithm-Id: " + alg.URI,
		"Verification-certificate-hash: " + b64(certHash[:]) + `; hash-algorithm-id="` + globalconf.HashSHA512 + `"`, "",
		b64(sig),
	}
	if !l.noOuterClose {
		lines = append(lines, "--"+outerBoundary+"--")
	}
	return []byte(strings.Join(lines, nl) + nl)
}

// The shapes X-Road's configuration client reads are read too, verified
// and with the same entries.
func TestVerifyDirectoryAcceptsXRoadShapes(t *testing.T) {
	k := testPKI(t).signing
	tests := []struct {
		name string
		l    layout
	}{
		{"as Roadreg writes it", layout{}},
		{"entries without closing delimiter", layout{noInnerClose: true}},
		{"signature without closing delimiter", layout{noOuterClose: true}},
		{"no closing delimiters at all", layout{noInnerClose: true, noOuterClose: true}},
		{"LF line endings", layout{nl: "\n"}},
		{"LF line endings without closing delimiters", layout{nl: "\n", noInnerClose: true, noOuterClose: true}},
		{"quoted boundaries", layout{outerType: `multipart/related; charset=UTF-8; boundary="%s"`, innerType: `multipart/mixed; charset=UTF-8; boundary="%s"`}},
		{"parameters without spaces", layout{outerType: "multipart/related;boundary=%s;charset=UTF-8", innerType: "multipart/mixed;boundary=%s;charset=UTF-8"}},
		{"boundary first, quoted, no spaces", layout{outerType: `multipart/related;boundary="%s";charset="UTF-8"`, innerType: `multipart/mixed;boundary="%s"`}},
		{"single-quoted instance", layout{edit: func(e string) string { return strings.ReplaceAll(e, `instance="DEV"`, `instance='DEV'`) }}},
		{"unquoted instance", layout{edit: func(e string) string { return strings.ReplaceAll(e, `instance="DEV"`, `instance=DEV`) }}},
	}
	want := testDirectory(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.l.build(t, k)
			sd, err := globalconf.VerifyDirectory(body, "DEV", []*x509.Certificate{k.cert}, testNow)
			if err != nil {
				t.Fatalf("VerifyDirectory: %v\n%s", err, body)
			}
			if !sd.ExpireDate.Equal(testExpiry) || sd.Version != 6 || len(sd.Parts) != len(want.Parts) {
				t.Fatalf("expires %v, version %d, %d parts", sd.ExpireDate, sd.Version, len(sd.Parts))
			}
			for _, p := range want.Parts {
				part, ok := sd.Part(p.ContentIdentifier, "DEV")
				if !ok {
					t.Fatalf("no %s entry", p.ContentIdentifier)
				}
				if err := globalconf.VerifyPart(part, p.Data); err != nil {
					t.Errorf("VerifyPart(%s): %v", p.ContentIdentifier, err)
				}
			}
			parsed, err := globalconf.ParseDirectory(body)
			if err != nil || len(parsed.Parts) != len(sd.Parts) {
				t.Errorf("ParseDirectory of the same directory: %v", err)
			}
		})
	}
}

// Failures carry X-Road's reason: the signature is judged before the
// signed entries, so damage to them is a signature failure; a directory
// signed without Expire-date lacks that field; missing fields X-Road's
// client requires are refused as missing.
func TestVerifyDirectoryReasons(t *testing.T) {
	k := testPKI(t).signing
	trusted := []*x509.Certificate{k.cert}
	good := layout{}.build(t, k)
	entries := func(b []byte) []byte {
		sd, err := globalconf.ParseDirectory(b)
		if err != nil {
			t.Fatal(err)
		}
		return sd.SignedData
	}(good)
	// signedWith signs entries in which old was replaced by new; unsigned
	// makes that change after signing.
	signedWith := func(old, new string) []byte {
		return layout{edit: func(e string) string { return strings.Replace(e, old, new, 1) }}.build(t, k)
	}
	unsigned := func(old, new string) []byte {
		return bytes.Replace(good, entries, bytes.Replace(entries, []byte(old), []byte(new), 1), 1)
	}
	// signatureWith changes the header fields of the signature part.
	signatureWith := func(old, new string) []byte {
		i := bytes.Index(good, []byte("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding"))
		return append(bytes.Clone(good[:i]), bytes.Replace(good[i:], []byte(old), []byte(new), 1)...)
	}
	// Each directory has its own boundaries: "--<boundary>" is the first
	// line of its entries.
	delimiter := func(e string) string { d, _, _ := strings.Cut(e, "\r\n"); return d }
	const (
		verification = xroad.CodeGlobalConfVerification
		expireDate   = "Expire-date: 2026-11-26T12:10:00Z"
	)

	tests := []struct {
		name    string
		body    []byte
		code    string
		reason  error
		message string
		field   string
	}{
		{"entries damaged beyond parsing", unsigned("Content-location:", "Content location"),
			verification, globalconf.ErrBadSignature, "Failed to verify signature of the configuration directory of instance DEV", ""},
		{"Expire-date removed after signing", unsigned("Expire-date:", "X-Expire:"),
			verification, globalconf.ErrBadSignature, "Failed to verify signature", ""},
		{"closing delimiter removed after signing", unsigned(delimiter(string(entries))+"--\r\n", ""),
			verification, globalconf.ErrBadSignature, "Failed to verify signature", ""},
		{"signature cut short", good[:len(good)-60],
			verification, globalconf.ErrBadSignature, "signature", ""},
		{"signature not base64", signatureWith("\r\n\r\n", "\r\n\r\n*"),
			verification, globalconf.ErrBadSignature, "Failed to decode the signature of the configuration directory of instance DEV", ""},
		{"signed without Expire-date", signedWith("Expire-date:", "X-Expire:"),
			verification, globalconf.ErrMissingField, "the field Expire-date is missing", "Expire-date"},
		{"signed with an empty Expire-date", signedWith(expireDate, "Expire-date:"),
			verification, globalconf.ErrMissingField, "the field Expire-date is missing", "Expire-date"},
		{"signed without entries", layout{edit: func(e string) string { return delimiter(e) + "--\r\n" }}.build(t, k),
			verification, globalconf.ErrMissingField, "the field Expire-date is missing", "Expire-date"},
		{"signed with data entries before Expire-date", layout{edit: func(e string) string {
			delim := delimiter(e) + "\r\n"
			c := strings.Split(e, delim) // "", Expire-date entry, private, shared and the closing delimiter
			return delim + c[2] + delim + c[1] + delim + c[3]
		}}.build(t, k),
			verification, globalconf.ErrMissingField, "the field Expire-date is missing", "Expire-date"},
		{"signed expired, entries broken", layout{edit: func(e string) string {
			e = strings.Replace(e, expireDate, "Expire-date: 2026-11-26T11:00:00Z", 1)
			return strings.Replace(e, "Content-location:", "X-Location:", 1)
		}}.build(t, k),
			xroad.CodeGlobalConfOutdated, globalconf.ErrExpired, "Configuration instance DEV expired on 2026-11-26T11:00:00Z", ""},
		{"signed with an unknown hash algorithm", signedWith("Hash-algorithm-id: "+globalconf.HashSHA512, "Hash-algorithm-id: urn:example:crc32"),
			verification, globalconf.ErrUnsupportedAlgorithm, "urn:example:crc32", ""},
		{"signed without Content-location", signedWith("Content-location:", "X-Location:"),
			verification, globalconf.ErrMissingField, "the field Content-location is missing", "Content-location"},
		{"signed without instance", signedWith(`; instance="DEV"`, ""),
			verification, globalconf.ErrMissingField, "has no parameter instance", "Content-identifier"},
		{"signed without Content-transfer-encoding", signedWith("Content-transfer-encoding: base64\r\n", ""),
			verification, globalconf.ErrMissingField, "Content-Transfer-Encoding is missing", "Content-Transfer-Encoding"},
		{"signed with another Content-type", signedWith("Content-type: application/octet-stream", "Content-type: text/plain"),
			verification, globalconf.ErrMalformed, "it must be application/octet-stream", ""},
		{"signature without hash-algorithm-id", signatureWith(`; hash-algorithm-id="`+globalconf.HashSHA512+`"`, ""),
			verification, globalconf.ErrMissingField, "has no parameter hash-algorithm-id", "Verification-certificate-hash"},
		{"signature without Content-Transfer-Encoding", signatureWith("Content-Transfer-Encoding: base64\r\n", ""),
			verification, globalconf.ErrMissingField, "Content-Transfer-Encoding is missing", "Content-Transfer-Encoding"},
		{"signature without algorithm", signatureWith("Signature-Algorithm-Id:", "X-Algorithm:"),
			verification, globalconf.ErrMissingField, "Signature-Algorithm-Id is missing", "Signature-Algorithm-Id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := globalconf.VerifyDirectory(tt.body, "DEV", trusted, testNow)
			checkErr(t, err, tt.code, tt.reason, tt.message)
			var xe *xroad.Error
			if tt.field != "" && errors.As(err, &xe) && (len(xe.Metadata) == 0 || xe.Metadata[0] != tt.field) {
				t.Errorf("metadata = %q, want the field %s first", xe.Metadata, tt.field)
			}
		})
	}
}
