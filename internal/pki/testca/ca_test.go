package testca

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestInitCreatesCA(t *testing.T) {
	for _, tc := range []struct {
		alg     string
		keyType string
	}{
		{KeyEC, "*ecdsa.PublicKey"},
		{KeyRSA2048, "*rsa.PublicKey"},
	} {
		t.Run(tc.alg, func(t *testing.T) {
			ca := newCA(t, InitOptions{KeyAlgorithm: tc.alg, BaseURL: "http://ca.example:9999/"})
			if ca.Instance() != DefaultInstance || ca.Name() != DefaultName {
				t.Errorf("instance, name = %q, %q", ca.Instance(), ca.Name())
			}
			if got := ca.OCSPURL(); got != "http://ca.example:9999/testca/ocsp" {
				t.Errorf("OCSPURL = %q", got)
			}
			if got := ca.TSAURL(); got != "http://ca.example:9999/testca/tsa" {
				t.Errorf("TSAURL = %q", got)
			}
			root := ca.Certificate()
			if !root.IsCA || root.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageCRLSign || root.CheckSignatureFrom(root) != nil {
				t.Errorf("root: IsCA %v, KeyUsage %v", root.IsCA, root.KeyUsage)
			}
			for _, c := range []*x509.Certificate{root, ca.OCSPCertificate(), ca.TSACertificate()} {
				if typ := typeName(c.PublicKey); typ != tc.keyType {
					t.Errorf("%s: key type %s, want %s", c.Subject, typ, tc.keyType)
				}
				if err := pki.VerifyChain(c, []*x509.Certificate{root}, nil, time.Now()); err != nil {
					t.Errorf("%s does not chain to the root: %v", c.Subject, err)
				}
			}
			if !slices.Equal(ca.OCSPCertificate().ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}) {
				t.Errorf("OCSP EKU = %v", ca.OCSPCertificate().ExtKeyUsage)
			}
			if !hasExtension(ca.OCSPCertificate(), "1.3.6.1.5.5.7.48.1.5", false) {
				t.Error("OCSP responder certificate lacks id-pkix-ocsp-nocheck")
			}
			if !slices.Equal(ca.TSACertificate().ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}) ||
				!hasExtension(ca.TSACertificate(), "2.5.29.37", true) {
				t.Errorf("TSA EKU = %v, want critical timeStamping", ca.TSACertificate().ExtKeyUsage)
			}
			for _, name := range []string{fileCAKey, fileOCSPKey, fileTSAKey} {
				fi, err := os.Stat(filepath.Join(ca.Dir(), name))
				if err != nil {
					t.Fatal(err)
				}
				if perm := fi.Mode().Perm(); perm != 0o600 {
					t.Errorf("%s has mode %o, want 600", name, perm)
				}
			}
		})
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *ecdsa.PublicKey:
		return "*ecdsa.PublicKey"
	case *rsa.PublicKey:
		return "*rsa.PublicKey"
	}
	return "other"
}

func hasExtension(c *x509.Certificate, oid string, critical bool) bool {
	for _, e := range c.Extensions {
		if e.Id.String() == oid && e.Critical == critical {
			return true
		}
	}
	return false
}

func TestInitRefusesToOverwrite(t *testing.T) {
	ca := newCA(t, InitOptions{})
	before, err := os.ReadFile(filepath.Join(ca.Dir(), fileCAKey))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Init(ca.Dir(), InitOptions{Name: "Other"})
	assertCode(t, err, xroad.CodeAlreadyInit)
	if !strings.Contains(err.Error(), "already holds a test CA") {
		t.Errorf("message = %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(ca.Dir(), fileCAKey))
	if !bytes.Equal(before, after) {
		t.Error("the CA key was overwritten")
	}
}

func TestInitRejectsBadOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts InitOptions
		want string
	}{
		{"instance with slash", InitOptions{Instance: "A/B"}, "forbidden character"},
		{"unknown key algorithm", InitOptions{KeyAlgorithm: "DSA"}, "Unknown key algorithm"},
		{"base URL without scheme", InitOptions{BaseURL: "127.0.0.1:8899"}, "must be an http or https URL"},
		{"base URL with query", InitOptions{BaseURL: "http://h/?x=1"}, "must be an http or https URL"},
		{"long name", InitOptions{Name: strings.Repeat("x", 65)}, "at most 64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := Init(dir, tc.opts)
			assertCode(t, err, xroad.CodeBadUserInput)
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to mention %q", err, tc.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("files were created: %v", entries)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	ca := newCA(t, InitOptions{Instance: "CS0", Name: "Loaded CA", BaseURL: "http://127.0.0.1:1234"})
	der, err := ca.Sign(makeCSR(t, ecKey(t), authSubject("CS0", "ss1")), ProfileAuth, 0)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(ca.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.Certificate().Equal(ca.Certificate()) || !loaded.OCSPCertificate().Equal(ca.OCSPCertificate()) ||
		!loaded.TSACertificate().Equal(ca.TSACertificate()) {
		t.Error("loaded certificates differ")
	}
	if loaded.Instance() != "CS0" || loaded.Name() != "Loaded CA" || loaded.BaseURL() != "http://127.0.0.1:1234" {
		t.Errorf("loaded config: %q %q %q", loaded.Instance(), loaded.Name(), loaded.BaseURL())
	}
	if _, err := loaded.Status(mustParse(t, der).SerialNumber); err != nil {
		t.Errorf("issued certificate not in loaded index: %v", err)
	}
	// The loaded key signs: a certificate from it verifies against the CA.
	der2, err := loaded.Sign(makeCSR(t, ecKey(t), signSubject("CS0", "GOV", "1234")), ProfileSign, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := mustParse(t, der2).CheckSignatureFrom(ca.Certificate()); err != nil {
		t.Error(err)
	}

	_, err = Load(t.TempDir())
	assertCode(t, err, xroad.CodeNotInitialized)
}

func TestSignProfiles(t *testing.T) {
	ca := newCA(t, InitOptions{BaseURL: "http://127.0.0.1:8899"})
	ec, rsaK := ecKey(t), sharedRSAKey(t)
	for _, tc := range []struct {
		name     string
		csr      []byte
		profile  string
		days     int
		keyUsage x509.KeyUsage
		eku      []x509.ExtKeyUsage
		usage    xroad.KeyUsage
		subject  string
		wantDays int
	}{
		{"auth EC", makeCSR(t, ec, authSubject("DEV", "ss1")), ProfileAuth, 0,
			x509.KeyUsageDigitalSignature, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
			xroad.UsageAuthentication, "CN=ss1,C=DEV", DefaultDays},
		{"auth RSA", pemCSR(makeCSR(t, rsaK, authSubject("DEV", "ss2"))), ProfileAuth, 30,
			x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
			xroad.UsageAuthentication, "CN=ss2,C=DEV", 30},
		{"sign EC", makeCSR(t, ec, signSubject("DEV", "GOV", "1234")), ProfileSign, 0,
			x509.KeyUsageContentCommitment, nil, xroad.UsageSigning, "CN=1234,O=GOV,C=DEV", DefaultDays},
		{"sign RSA", makeCSR(t, rsaK, signSubject("DEV", "COM", "4321")), ProfileSign, 1,
			x509.KeyUsageContentCommitment, nil, xroad.UsageSigning, "CN=4321,O=COM,C=DEV", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := time.Now()
			der, err := ca.Sign(tc.csr, tc.profile, tc.days)
			if err != nil {
				t.Fatal(err)
			}
			c := mustParse(t, der)
			if c.KeyUsage != tc.keyUsage {
				t.Errorf("KeyUsage = %v, want %v", c.KeyUsage, tc.keyUsage)
			}
			if !slices.Equal(c.ExtKeyUsage, tc.eku) {
				t.Errorf("ExtKeyUsage = %v, want %v", c.ExtKeyUsage, tc.eku)
			}
			if u, err := pki.CertUsage(c); err != nil || u != tc.usage {
				t.Errorf("CertUsage = %v, %v; want %v", u, err, tc.usage)
			}
			if got := pki.SubjectDN(c); got != tc.subject {
				t.Errorf("subject = %q, want %q", got, tc.subject)
			}
			if !slices.Equal(c.OCSPServer, []string{"http://127.0.0.1:8899/testca/ocsp"}) {
				t.Errorf("OCSPServer = %v", c.OCSPServer)
			}
			if c.SerialNumber.Sign() <= 0 || c.SerialNumber.BitLen() > 128 {
				t.Errorf("serial %v is not a positive 128-bit number", c.SerialNumber)
			}
			wantEnd := before.Add(time.Duration(tc.wantDays) * 24 * time.Hour)
			if c.NotBefore.After(before) || c.NotAfter.Before(wantEnd.Add(-time.Minute)) || c.NotAfter.After(wantEnd.Add(time.Hour)) {
				t.Errorf("validity %v – %v, want about now – %v", c.NotBefore, c.NotAfter, wantEnd)
			}
			if err := pki.VerifyChain(c, []*x509.Certificate{ca.Certificate()}, nil, time.Now()); err != nil {
				t.Error(err)
			}
			e, err := ca.Status(c.SerialNumber)
			if err != nil {
				t.Fatal(err)
			}
			if e.Status != StatusGood || e.Profile != tc.profile || e.Subject != tc.subject || e.SHA256 != pki.SHA256Hex(der) {
				t.Errorf("index entry = %+v", e)
			}
		})
	}
}

func TestSignRefusesBadInput(t *testing.T) {
	ca := newCA(t, InitOptions{})
	key := ecKey(t)
	badSig := makeCSR(t, key, authSubject("DEV", "ss1"))
	badSig[len(badSig)-3] ^= 0xff
	for _, tc := range []struct {
		name    string
		csr     []byte
		profile string
		days    int
		code    string
		want    string
	}{
		{"garbage", []byte("hello, CA"), ProfileAuth, 0, pki.CodeInvalidCSR, "only PEM and DER"},
		{"bad signature", badSig, ProfileAuth, 0, pki.CodeInvalidCSR, "signature"},
		{"unknown profile", makeCSR(t, key, authSubject("DEV", "ss1")), "tls", 0, xroad.CodeBadUserInput, "Unknown certificate profile"},
		{"negative days", makeCSR(t, key, authSubject("DEV", "ss1")), ProfileAuth, -1, xroad.CodeBadUserInput, "between 1 and"},
		{"auth wrong C", makeCSR(t, key, authSubject("FI", "ss1")), ProfileAuth, 0, xroad.CodeInvalidDistinguishedName, "expected exactly C=DEV, CN=<server code>"},
		{"auth with O", makeCSR(t, key, signSubject("DEV", "GOV", "ss1")), ProfileAuth, 0, xroad.CodeInvalidDistinguishedName, "attribute O"},
		{"sign missing O", makeCSR(t, key, authSubject("DEV", "1234")), ProfileSign, 0, xroad.CodeInvalidDistinguishedName, "attribute O is missing"},
		{"sign wrong C", makeCSR(t, key, signSubject("EE", "GOV", "1234")), ProfileSign, 0, xroad.CodeInvalidDistinguishedName, `C is "EE"`},
		{"sign extra OU", makeCSR(t, key, pkix.Name{Country: []string{"DEV"}, Organization: []string{"GOV"}, OrganizationalUnit: []string{"IT"}, CommonName: "1234"}),
			ProfileSign, 0, xroad.CodeInvalidDistinguishedName, "attribute OU"},
		{"sign code with slash", makeCSR(t, key, signSubject("DEV", "GOV", "12/34")), ProfileSign, 0, xroad.CodeInvalidDistinguishedName, "forbidden character"},
		{"RSA 1024", makeCSR(t, weakRSA(t), authSubject("DEV", "ss1")), ProfileAuth, 0, xroad.CodeBadUserInput, "at least 2048"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := indexBytes(t, ca)
			_, err := ca.Sign(tc.csr, tc.profile, tc.days)
			assertCode(t, err, tc.code)
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to mention %q", err, tc.want)
			}
			assertIndexUnchanged(t, ca, before)
		})
	}
}

func weakRSA(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRevokeAndStatus(t *testing.T) {
	ca := newCA(t, InitOptions{})
	issue := func() *x509.Certificate {
		der, err := ca.Sign(makeCSR(t, ecKey(t), signSubject("DEV", "GOV", "1234")), ProfileSign, 0)
		if err != nil {
			t.Fatal(err)
		}
		return mustParse(t, der)
	}
	c := issue()
	other, err := Load(ca.Dir()) // a second CA value on the same directory, as `roadreg ca revoke` is
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := other.Status(c.SerialNumber); e.Status != StatusGood {
		t.Fatalf("status before revocation = %q", e.Status)
	}
	if err := other.Revoke(c.SerialNumber, 1); err != nil {
		t.Fatal(err)
	}
	e, err := ca.Status(c.SerialNumber) // the first value sees the change on disk
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != StatusRevoked || e.Reason != 1 || e.RevokedAt == nil || time.Since(*e.RevokedAt) > time.Minute {
		t.Errorf("entry after revocation = %+v", e)
	}
	assertCode(t, ca.Revoke(c.SerialNumber, 1), xroad.CodeConflict)
	assertCode(t, ca.Revoke(big.NewInt(12345), 0), xroad.CodeNotFound)
	assertCode(t, ca.Revoke(issue().SerialNumber, 7), xroad.CodeBadUserInput)
	_, err = ca.Status(big.NewInt(42))
	assertCode(t, err, xroad.CodeNotFound)
}

func TestFindSerial(t *testing.T) {
	ca := newCA(t, InitOptions{})
	der, err := ca.Sign(makeCSR(t, ecKey(t), authSubject("DEV", "ss1")), ProfileAuth, 0)
	if err != nil {
		t.Fatal(err)
	}
	serial := mustParse(t, der).SerialNumber
	hex := serial.Text(16)
	var colons []string
	padded := hex
	if len(padded)%2 == 1 {
		padded = "0" + padded
	}
	for i := 0; i < len(padded); i += 2 {
		colons = append(colons, strings.ToUpper(padded[i:i+2]))
	}
	for _, tc := range []struct {
		name, text string
		code       string
	}{
		{"hex lower", hex, ""},
		{"hex upper (openssl x509 -serial)", strings.ToUpper(hex), ""},
		{"0x hex", "0x" + hex, ""},
		{"colon hex (openssl x509 -text)", strings.Join(colons, ":"), ""},
		{"decimal", serial.Text(10), ""},
		{"unknown", "0xabcdef", xroad.CodeNotFound},
		{"not a number", "serial-one", xroad.CodeBadUserInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ca.FindSerial(tc.text)
			if tc.code != "" {
				assertCode(t, err, tc.code)
				return
			}
			if err != nil || got.Cmp(serial) != 0 {
				t.Errorf("FindSerial(%q) = %v, %v; want %v", tc.text, got, err, serial)
			}
		})
	}
}

func TestConcurrentSigning(t *testing.T) {
	ca := newCA(t, InitOptions{})
	other, err := Load(ca.Dir())
	if err != nil {
		t.Fatal(err)
	}
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			signer := ca
			if i%2 == 1 {
				signer = other
			}
			_, err := signer.Sign(makeCSR(t, ecKey(t), authSubject("DEV", "ss")), ProfileAuth, 0)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	entries, err := ca.Certificates()
	if err != nil {
		t.Fatal(err)
	}
	serials := map[string]bool{}
	for _, e := range entries {
		serials[e.Serial] = true
	}
	if len(entries) != n || len(serials) != n {
		t.Errorf("index has %d entries with %d distinct serials, want %d", len(entries), len(serials), n)
	}
}

func TestLoadOrInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dev-ca")
	first, created, err := LoadOrInit(dir, InitOptions{BaseURL: "http://127.0.0.1:18080"})
	if err != nil || !created {
		t.Fatalf("first call: created %v, %v", created, err)
	}
	second, created, err := LoadOrInit(dir, InitOptions{BaseURL: "http://127.0.0.1:9"})
	if err != nil || created {
		t.Fatalf("second call: created %v, %v", created, err)
	}
	if !second.Certificate().Equal(first.Certificate()) || second.BaseURL() != "http://127.0.0.1:18080" {
		t.Errorf("second call did not load the first CA (base URL %q)", second.BaseURL())
	}
}

// TestSignSANProfile: the san profile issues what standard ACME CAs issue —
// the CSR's names, an empty subject, digitalSignature — for the SAN-only
// certificate profile, and refuses CSRs that ask for more.
func TestSignSANProfile(t *testing.T) {
	ca := newCA(t, InitOptions{BaseURL: "http://127.0.0.1:8899"})
	key := ecKey(t)
	csr := func(subject pkix.Name, dns ...string) []byte {
		der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: subject, DNSNames: dns}, key)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	der, err := ca.Sign(csr(pkix.Name{}, "ss1.example.org"), ProfileSAN, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := mustParse(t, der)
	if len(c.Subject.Names) != 0 || !slices.Equal(c.DNSNames, []string{"ss1.example.org"}) || c.KeyUsage != x509.KeyUsageDigitalSignature {
		t.Errorf("certificate: subject %q, names %v, key usage %v", pki.SubjectDN(c), c.DNSNames, c.KeyUsage)
	}
	for _, usage := range []xroad.KeyUsage{xroad.UsageAuthentication, xroad.UsageSigning} {
		if u, err := (pki.SANOnlyProfile{}).Usage(c, usage); err != nil || u != usage {
			t.Errorf("SAN-only usage for a %s key: %v, %v", usage, u, err)
		}
	}
	for name, bad := range map[string][]byte{
		"no names":  csr(pkix.Name{}),
		"a subject": csr(pkix.Name{CommonName: "ss1.example.org"}, "ss1.example.org"),
	} {
		if _, err := ca.Sign(bad, ProfileSAN, 0); xroad.CodeOf(err) != xroad.CodeInvalidDistinguishedName {
			t.Errorf("%s: %v", name, err)
		}
	}
}
