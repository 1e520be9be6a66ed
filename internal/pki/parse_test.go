package pki

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestParseCertificate(t *testing.T) {
	ca := newTestCA(t, "Parse CA")
	cert, _ := ca.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature})
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	b64 := func(b []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(b)) }
	wrapped := func(b []byte) []byte { // base64 in 64-character lines, as in XML
		s := string(b64(b))
		var lines []string
		for len(s) > 64 {
			lines, s = append(lines, s[:64]), s[64:]
		}
		return []byte("\n  " + strings.Join(append(lines, s), "\n  ") + "\n")
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}})
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
		want string
	}{
		{"DER", cert.Raw, true, ""},
		{"PEM", pemData, true, ""},
		{"PEM with white space and text around", append(append([]byte("\n\t subject=CN=ss1\n"), pemData...), "  \n"...), true, ""},
		{"base64 of DER", b64(cert.Raw), true, ""},
		{"base64 of DER in lines", wrapped(cert.Raw), true, ""},
		{"base64 of PEM", b64(pemData), true, ""},
		{"base64 of PEM in lines", wrapped(pemData), true, ""},
		{"empty", []byte("  \n"), false, "empty"},
		{"garbage", []byte("this is not a certificate"), false, "only PEM and DER"},
		{"truncated DER", cert.Raw[:len(cert.Raw)-10], false, "only PEM and DER"},
		{"private key PEM", keyPEM, false, `"PRIVATE KEY" block`},
		{"two certificates", append(append([]byte{}, pemData...), pemData...), false, "2 certificates"},
		{"base64 of base64", b64(b64(cert.Raw)), false, "only PEM and DER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCertificate(tc.data)
			if !tc.ok {
				assertCode(t, err, xroad.CodeInvalidCertificate)
				if !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error %v, want it to mention %q", err, tc.want)
				}
				if strings.Contains(err.Error(), "AQID") {
					t.Error("the message shows file content")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(cert) {
				t.Error("parsed another certificate")
			}
		})
	}
}

func TestParseCertificates(t *testing.T) {
	ca := newTestCA(t, "Bundle CA")
	a, _ := ca.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature})
	var bundle []byte
	for _, c := range []*x509.Certificate{ca.cert, a} {
		bundle = append(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	for name, data := range map[string][]byte{
		"PEM bundle":       bundle,
		"concatenated DER": append(append([]byte{}, ca.cert.Raw...), a.Raw...),
		"base64 of bundle": []byte(base64.StdEncoding.EncodeToString(bundle)),
	} {
		certs, err := ParseCertificates(data)
		if err != nil || len(certs) != 2 || !certs[0].Equal(ca.cert) || !certs[1].Equal(a) {
			t.Errorf("%s: %d certificates, %v", name, len(certs), err)
		}
	}
}

func TestParseCertificateXRoadSharedParameters(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(testenv.Sample(t, "globalconf/V6"), "*", "shared-params.xml"))
	if len(paths) == 0 {
		t.Fatal("no shared-params.xml sample in the fixtures")
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	certs := regexp.MustCompile(`(?s)<cert>(.*?)</cert>`).FindAllSubmatch(data, -1)
	if len(certs) == 0 {
		t.Fatal("no <cert> elements in the sample")
	}
	for i, m := range certs {
		if !bytes.HasPrefix(bytes.TrimSpace(m[1]), []byte("LS0tLS1CRUdJTi")) {
			t.Errorf("cert %d is not base64 of PEM as expected", i)
		}
		if _, err := ParseCertificate(m[1]); err != nil {
			t.Errorf("cert %d: %v", i, err)
		}
	}
}

func TestParseCSR(t *testing.T) {
	key := newKey(t)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{Country: []string{"DEV"}, Organization: []string{"GOV"}, CommonName: "1234"},
	}, key)
	if err != nil {
		t.Fatal(err)
	}
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
	badSig := bytes.Clone(der)
	badSig[len(badSig)-3] ^= 0xff
	for _, tc := range []struct {
		name string
		data []byte
		want string // "" = ok
	}{
		{"DER", der, ""},
		{"PEM", pemData, ""},
		{"PEM with white space", append(append([]byte("\n\n"), pemData...), '\n', ' '), ""},
		{"legacy PEM label", pem.EncodeToMemory(&pem.Block{Type: "NEW CERTIFICATE REQUEST", Bytes: der}), ""},
		{"bad signature", badSig, "does not verify"},
		{"garbage", []byte("garbage"), "only PEM and DER"},
		{"certificate PEM", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), `"CERTIFICATE" block`},
		{"two requests", append(append([]byte{}, pemData...), pemData...), "more than one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			csr, err := ParseCSR(tc.data)
			if tc.want != "" {
				assertCode(t, err, CodeInvalidCSR)
				if !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error %v, want it to mention %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if DN(csr.Subject) != "CN=1234,O=GOV,C=DEV" {
				t.Errorf("subject %q", DN(csr.Subject))
			}
		})
	}
}

func TestHashes(t *testing.T) {
	data := []byte("abc")
	if got := SHA256Hex(data); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("SHA256Hex = %s", got)
	}
	if got := SHA256Base64(data); got != "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" {
		t.Errorf("SHA256Base64 = %s", got)
	}
}

func TestDN(t *testing.T) {
	ca := newTestCA(t, "DN CA")
	cert, _ := ca.leaf(t, &x509.Certificate{
		Subject:  pkix.Name{Country: []string{"DEV"}, Organization: []string{"Acme, Inc."}, CommonName: " x+y"},
		KeyUsage: x509.KeyUsageDigitalSignature,
	})
	for _, tc := range []struct {
		name, got, want string
	}{
		{"built name", DN(pkix.Name{Country: []string{"DEV"}, CommonName: "ss1"}), "CN=ss1,C=DEV"},
		{"escaping", SubjectDN(cert), `CN=\ x\+y,O=Acme\, Inc.,C=DEV`},
		{"parsed name", DN(cert.Subject), `CN=\ x\+y,O=Acme\, Inc.,C=DEV`},
		{"issuer", IssuerDN(cert), "CN=DN CA"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
