package mgmtreq

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

// sampleContentType is the Content-Type X-Road's test sent the sample with.
const sampleContentType = `multipart/related; type="application/octet-stream"; charset=UTF-8; boundary=jetty977554054l1bu2no0`

// sampleTime is when the sample's OCSP response was fresh.
var sampleTime = time.Date(2022, 3, 29, 8, 0, 0, 0, time.UTC)

// sample loads X-Road's captured request and a Trust for its instance REST.
func sample(t testing.TB) ([]byte, testTrust) {
	t.Helper()
	dir := testenv.Sample(t, "authcertreg")
	body, err := os.ReadFile(filepath.Join(dir, "testauthregrequest.msg"))
	if err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(caPEM)
	if block == nil {
		t.Fatal("ca.cert.pem holds no PEM block")
	}
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return body, testTrust{
		roots:     []*x509.Certificate{ca},
		instance:  "REST",
		provider:  xroad.ClientID{Instance: "REST", MemberClass: "COM", MemberCode: "MGMT", SubsystemCode: "MGMT"},
		freshness: time.Hour,
	}
}

func TestRealXRoadSample(t *testing.T) {
	body, trust := sample(t)
	r, err := Decode(sampleContentType, body)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}

	t.Run("parts", func(t *testing.T) {
		if !bytes.Equal(r.SOAP, body[67:2622]) {
			t.Errorf("SOAP part is not file bytes [67, 2622)")
		}
		if r.AuthSigAlg != "SHA512withRSA" || r.OwnerSigAlg != "SHA512withRSA" {
			t.Errorf("algorithms = %q, %q", r.AuthSigAlg, r.OwnerSigAlg)
		}
		for name, got := range map[string]int{"auth signature": len(r.AuthSig), "owner signature": len(r.OwnerSig),
			"auth cert": len(r.AuthCert), "owner cert": len(r.OwnerCert), "OCSP": len(r.OwnerOCSP)} {
			want := map[string]int{"auth signature": 256, "owner signature": 256, "auth cert": 1027, "owner cert": 1010, "OCSP": 2082}[name]
			if got != want {
				t.Errorf("%s: %d bytes, want %d", name, got, want)
			}
		}
	})

	t.Run("SOAP fields", func(t *testing.T) {
		m := r.Message
		wantClient := xroad.ClientID{Instance: "REST", MemberClass: "COM", MemberCode: "SS1"}
		if m.Client != wantClient {
			t.Errorf("client = %v", m.Client)
		}
		wantService := xroad.ServiceID{Client: xroad.ClientID{Instance: "REST", MemberClass: "COM", MemberCode: "MGMT", SubsystemCode: "MGMT"}, ServiceCode: "authCertReg"}
		if m.Service != wantService {
			t.Errorf("service = %+v", m.Service)
		}
		if m.ID != "1b892235-5b3e-4493-9a4a-0963c8f61dff" || r.ProtocolVersion != "4.0" {
			t.Errorf("id = %q, protocolVersion = %q", m.ID, r.ProtocolVersion)
		}
		if want := (xroad.ServerID{Owner: wantClient, ServerCode: "SS1"}); m.Server != want {
			t.Errorf("server = %v", m.Server)
		}
		if m.Address != "xroad-lxd-ss1.lxd" || m.DryRun {
			t.Errorf("address = %q, dryRun = %v", m.Address, m.DryRun)
		}
		if !bytes.Equal(m.AuthCert, r.AuthCert) {
			t.Error("authCert element differs from part 4")
		}
	})

	t.Run("signatures verify", func(t *testing.T) {
		for _, c := range []struct {
			name string
			cert []byte
			alg  string
			sig  []byte
		}{{"auth", r.AuthCert, r.AuthSigAlg, r.AuthSig}, {"owner", r.OwnerCert, r.OwnerSigAlg, r.OwnerSig}} {
			cert, err := x509.ParseCertificate(c.cert)
			if err != nil {
				t.Fatal(err)
			}
			if err := verifySignature(cert.PublicKey, c.alg, r.SOAP, c.sig); err != nil {
				t.Errorf("%s signature: %v", c.name, err)
			}
		}
	})

	t.Run("OCSP good at capture time", func(t *testing.T) {
		owner, err := x509.ParseCertificate(r.OwnerCert)
		if err != nil {
			t.Fatal(err)
		}
		if err := trust.VerifyOwnerCert(owner, r.OwnerOCSP, sampleTime); err != nil {
			t.Errorf("VerifyOwnerCert: %v", err)
		}
	})

	t.Run("Verify passes at capture time", func(t *testing.T) {
		if err := Verify(r, trust, sampleTime); err != nil {
			t.Errorf("Verify: %v", err)
		}
	})

	t.Run("Verify today refuses the stale OCSP response", func(t *testing.T) {
		err := Verify(r, trust, sampleTime.Add(2*time.Hour))
		if xroad.CodeOf(err) != xroad.CodeManagementRequestOwnerCertificateInvalid {
			t.Errorf("Verify = %v, want %s", err, xroad.CodeManagementRequestOwnerCertificateInvalid)
		}
	})

	t.Run("Verify for another instance", func(t *testing.T) {
		other := trust
		other.instance = "DEV"
		assertXRoadError(t, Verify(r, other, sampleTime), xroad.CodeManagementRequestInvalidServiceAddress,
			"Invalid management service address. Contact central server administrator.")
	})
}
