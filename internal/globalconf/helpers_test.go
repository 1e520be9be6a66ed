package globalconf_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki/pkitest"
	"github.com/roadreg/roadreg/internal/xroad"
)

// testKey is a key with a self-signed (or CA-issued) certificate.
type testKey struct {
	signer crypto.Signer
	cert   *x509.Certificate
}

var serial int64 = 100

// newCert issues a certificate for key; parent nil means self-signed.
func newCert(t testing.TB, cn string, signer crypto.Signer, parent *testKey, isCA bool) *x509.Certificate {
	t.Helper()
	serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
		BasicConstraintsValid: true,
		IsCA:                  isCA,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	if parent != nil {
		return pkitest.Issue(t, tmpl, parent.cert, signer.Public(), parent.signer)
	}
	return pkitest.Issue(t, tmpl, nil, signer.Public(), signer)
}

// newECKey returns a fresh P-256 key with a certificate.
func newECKey(t testing.TB, cn string, parent *testKey, isCA bool) *testKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &testKey{signer: k, cert: newCert(t, cn, k, parent, isCA)}
}

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// newRSAKey returns a certificate for the one RSA-2048 key of the test binary.
func newRSAKey(t testing.TB, cn string) *testKey {
	t.Helper()
	rsaOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return &testKey{signer: rsaKey, cert: newCert(t, cn, rsaKey, nil, false)}
}

// pki is the set of certificates a realistic configuration needs.
type pki struct {
	signing, rotated      *testKey
	ca1, ca2, ca2inter    *testKey
	ocsp1                 *testKey
	tsa                   *testKey
	auth1, auth2, mgmtTLS *testKey
}

var (
	pkiOnce sync.Once
	thePKI  *pki
)

func testPKI(t testing.TB) *pki {
	t.Helper()
	pkiOnce.Do(func() {
		p := &pki{}
		p.signing = newECKey(t, "internalSigningKey", nil, false)
		p.rotated = newECKey(t, "internalSigningKey-2", nil, false)
		p.ca1 = newECKey(t, "Roadreg Test CA 1", nil, true)
		p.ca2 = newECKey(t, "Roadreg Test CA 2", nil, true)
		p.ca2inter = newECKey(t, "Roadreg Test CA 2 Intermediate", p.ca2, true)
		p.ocsp1 = newECKey(t, "OCSP 1", p.ca1, false)
		p.tsa = newECKey(t, "Test TSA", p.ca1, false)
		p.auth1 = newECKey(t, "SS1 auth", p.ca1, false)
		p.auth2 = newECKey(t, "SS2 auth", p.ca2inter, false)
		p.mgmtTLS = newECKey(t, "cs", nil, false)
		thePKI = p
	})
	return thePKI
}

func member(class, code string) xroad.ClientID {
	return xroad.ClientID{Instance: "DEV", MemberClass: class, MemberCode: code}
}

func subsystem(class, code, sub string) xroad.ClientID {
	return xroad.ClientID{Instance: "DEV", MemberClass: class, MemberCode: code, SubsystemCode: sub}
}

// realisticShared builds shared parameters with 2 CAs with OCSP, a TSA,
// members with subsystems, 2 servers, the owners group and member classes.
func realisticShared(t testing.TB) *globalconf.SharedParameters {
	p := testPKI(t)
	com := globalconf.MemberClass{Code: "COM", Description: "Commercial"}
	gov := globalconf.MemberClass{Code: "GOV", Description: "Government"}
	return &globalconf.SharedParameters{
		InstanceIdentifier: "DEV",
		Sources: []globalconf.ConfigurationSource{{
			Address:                   "cs.example.org",
			InternalVerificationCerts: []*x509.Certificate{p.signing.cert, p.rotated.cert},
			ExternalVerificationCerts: []*x509.Certificate{p.signing.cert},
		}},
		ApprovedCAs: []globalconf.ApprovedCA{
			{
				Name:                   "Roadreg Test CA 1",
				TopCA:                  globalconf.CAInfo{Cert: p.ca1.cert, OCSP: []globalconf.OCSPInfo{{URL: "http://127.0.0.1:8899/testca/ocsp", Cert: p.ocsp1.cert, CostType: globalconf.CostFree}}},
				CertificateProfileInfo: "ee.ria.xroad.common.certificateprofile.impl.FiVRKCertificateProfileInfoProvider",
			},
			{
				Name:                   "Roadreg Test CA 2",
				AuthenticationOnly:     true,
				TopCA:                  globalconf.CAInfo{Cert: p.ca2.cert},
				IntermediateCAs:        []globalconf.CAInfo{{Cert: p.ca2inter.cert, OCSP: []globalconf.OCSPInfo{{URL: "http://ocsp2.example.org"}}}},
				CertificateProfileInfo: "ee.ria.xroad.common.certificateprofile.impl.BasicCertificateProfileInfoProvider",
				DefaultCSRFormat:       "DER",
			},
		},
		ApprovedTSAs: []globalconf.ApprovedTSA{{Name: "Test TSA", URL: "http://127.0.0.1:8899/testca/tsa", Cert: p.tsa.cert, CostType: globalconf.CostPaid}},
		Members: []globalconf.Member{
			{Class: com, Code: "1234", Name: "Test member & Co <Ltd>", Subsystems: []globalconf.Subsystem{{Code: "MANAGEMENT", Name: "Management services"}, {Code: "TestService"}}},
			{Class: gov, Code: "4321", Name: "Agency"},
		},
		SecurityServers: []globalconf.SecurityServer{
			{
				ID:             xroad.ServerID{Owner: member("COM", "1234"), ServerCode: "SS1"},
				Address:        "ss1.example.org",
				AuthCertHashes: [][]byte{globalconf.AuthCertHash(p.auth1.cert.Raw)},
				Clients:        []xroad.ClientID{subsystem("COM", "1234", "MANAGEMENT"), subsystem("COM", "1234", "TestService")},
			},
			{
				ID:              xroad.ServerID{Owner: member("GOV", "4321"), ServerCode: "SS2"},
				Address:         "10.0.0.2",
				AuthCertHashes:  [][]byte{globalconf.AuthCertHash(p.auth2.cert.Raw)},
				Clients:         []xroad.ClientID{member("GOV", "4321")},
				MaintenanceMode: &globalconf.MaintenanceMode{Message: "upgrade"},
			},
		},
		GlobalGroups: []globalconf.GlobalGroup{{
			Code: "security-server-owners", Description: "Security server owners",
			Members: []xroad.ClientID{member("COM", "1234"), member("GOV", "4321")},
		}},
		GlobalSettings: globalconf.GlobalSettings{MemberClasses: []globalconf.MemberClass{com, gov}, OCSPFreshnessSeconds: 3600},
	}
}

func realisticPrivate(t testing.TB) *globalconf.PrivateParameters {
	p := testPKI(t)
	return &globalconf.PrivateParameters{
		InstanceIdentifier: "DEV",
		ManagementService: globalconf.ManagementService{
			AuthCertRegServiceAddress:          "https://cs.example.org:4001/managementservice/",
			AuthCertRegServiceCert:             p.mgmtTLS.cert,
			ManagementRequestServiceProviderID: subsystem("COM", "1234", "MANAGEMENT"),
		},
		TimeStampingIntervalSeconds: 60,
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// wrap breaks s into 64-character lines.
func wrap(s string) string {
	var b strings.Builder
	for len(s) > 64 {
		b.WriteString(s[:64] + "\n")
		s = s[64:]
	}
	return b.String() + s + "\n"
}

// realisticFiles are the realistic shared and private parameters, marshalled.
func realisticFiles(t testing.TB) (shared, private []byte) {
	t.Helper()
	shared, err := globalconf.MarshalSharedParameters(realisticShared(t))
	if err != nil {
		t.Fatal(err)
	}
	private, err = globalconf.MarshalPrivateParameters(realisticPrivate(t))
	if err != nil {
		t.Fatal(err)
	}
	return shared, private
}
