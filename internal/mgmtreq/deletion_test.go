package mgmtreq

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

// testDeletion is a valid authCertDeletion for the shared identities.
func testDeletion(authCert []byte) AuthCertDeletion {
	return AuthCertDeletion{
		Client:   testOwner,
		Service:  xroad.ServiceID{Client: testProvider, ServiceCode: ServiceCodeDeletion},
		Server:   testServer,
		AuthCert: authCert,
	}
}

// deletionInput is what a test deletion request is signed and assembled from.
type deletionInput struct {
	message              AuthCertDeletion
	ownerKey             crypto.Signer
	ownerCert, ownerOCSP []byte
	afterDecode          func(*Request)
}

// deletionRequest builds a deletion request with BuildDeletion after edit
// and decodes it as the central server would.
func deletionRequest(t *testing.T, edit func(*deletionInput)) *Request {
	t.Helper()
	f := shared()
	in := deletionInput{message: testDeletion(f.ecAuthCert), ownerKey: f.ecOwner, ownerCert: f.ecOwnerCert, ownerOCSP: f.ecOwnerOCSP}
	if edit != nil {
		edit(&in)
	}
	body, ct, err := BuildDeletion(in.message, in.ownerKey, in.ownerCert, in.ownerOCSP, 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Decode(ct, body)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if in.afterDecode != nil {
		in.afterDecode(r)
	}
	return r
}

func TestBuildDeletionDecodes(t *testing.T) {
	f := shared()
	r := deletionRequest(t, nil)
	m := r.Message
	if r.Kind != ServiceCodeDeletion || m.Client != testOwner || m.Server != testServer || m.Service.ServiceCode != ServiceCodeDeletion ||
		string(m.AuthCert) != string(f.ecAuthCert) || m.ID == "" || m.Address != "" {
		t.Fatalf("decoded %+v", r)
	}
	if r.AuthSig != nil || r.AuthCert != nil || string(r.OwnerCert) != string(f.ecOwnerCert) || string(r.OwnerOCSP) != string(f.ecOwnerOCSP) ||
		r.OwnerSigAlg != "SHA512withECDSA" {
		t.Fatalf("parts: auth sig %d bytes, auth cert %d bytes, owner algorithm %q", len(r.AuthSig), len(r.AuthCert), r.OwnerSigAlg)
	}
	if err := VerifyDeletion(r, f.trust, testNow); err != nil {
		t.Fatalf("VerifyDeletion: %v", err)
	}
	// The two kinds are not interchangeable.
	assertXRoadError(t, Verify(r, f.trust, testNow), xroad.CodeManagementRequestInvalidRequest,
		"The request is an authCertDeletion request, not authCertReg")
	assertXRoadError(t, VerifyDeletion(buildDecoded(t), f.trust, testNow), xroad.CodeManagementRequestInvalidRequest,
		"The request is an authCertReg request, not authCertDeletion")
}

func TestBuildDeletionRefusesBadInput(t *testing.T) {
	f := shared()
	cases := []struct {
		name string
		edit func(*deletionInput)
		code string
	}{
		{"registration service code", func(in *deletionInput) { in.message.Service.ServiceCode = ServiceCode }, xroad.CodeBadUserInput},
		{"subsystem as client", func(in *deletionInput) { in.message.Client.SubsystemCode = "SUB" }, xroad.CodeBadUserInput},
		{"no authentication certificate", func(in *deletionInput) { in.message.AuthCert = nil }, xroad.CodeBadUserInput},
		{"no OCSP response", func(in *deletionInput) { in.ownerOCSP = nil }, xroad.CodeBadUserInput},
		{"owner key of another certificate", func(in *deletionInput) { in.ownerKey = f.ecAuth }, xroad.CodeInvalidCertificate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := deletionInput{message: testDeletion(f.ecAuthCert), ownerKey: f.ecOwner, ownerCert: f.ecOwnerCert, ownerOCSP: f.ecOwnerOCSP}
			c.edit(&in)
			if _, _, err := BuildDeletion(in.message, in.ownerKey, in.ownerCert, in.ownerOCSP, 0); xroad.CodeOf(err) != c.code {
				t.Fatalf("BuildDeletion = %v, want %s", err, c.code)
			}
		})
	}
}

func TestVerifyDeletionChecks(t *testing.T) {
	f := shared()
	expiredForeignAuthCert := f.otherCA.issue(f.ecAuth.Public(), func(c *x509.Certificate) {
		c.Subject = pkix.Name{Country: []string{"DEV"}, CommonName: "SS1"}
		c.KeyUsage = x509.KeyUsageDigitalSignature
		c.NotBefore, c.NotAfter = testNow.Add(-48*time.Hour), testNow.Add(-24*time.Hour)
	})
	cases := []struct {
		name          string
		edit          func(*deletionInput)
		code, message string
	}{
		{name: "valid request"},
		// An expired certificate of a CA that is no longer approved is
		// still removable.
		{name: "expired certificate of another CA", edit: func(in *deletionInput) { in.message.AuthCert = expiredForeignAuthCert }},
		{"authentication certificate is not a certificate", func(in *deletionInput) { in.message.AuthCert = []byte("not DER") },
			xroad.CodeManagementRequestInvalidAuthCertificate, "Authentication certificate is not valid"},
		{"revoked owner certificate", func(in *deletionInput) {
			in.ownerOCSP = f.ca.ocspResponse(f.ecOwnerCert, ocsp.Revoked, testNow.Add(-time.Minute))
		}, xroad.CodeManagementRequestOwnerCertificateInvalid, "Owner certificate is invalid: OCSP status is 1, not good"},
		{"tampered SOAP", func(in *deletionInput) {
			in.afterDecode = func(r *Request) { r.SOAP = []byte(strings.Replace(string(r.SOAP), "SS1", "SS2", 1)) }
		}, xroad.CodeManagementRequestOwnerSignatureInvalid, "Owner signature verification failed."},
		{"another provider", func(in *deletionInput) { in.message.Service.Client.MemberCode = "9999" },
			xroad.CodeManagementRequestInvalidServiceAddress, "Invalid management service address. Contact central server administrator."},
		{"server code with a zero-width space", func(in *deletionInput) { in.message.Server.ServerCode = "SS\u200b1" },
			xroad.CodeInvalidIdentifier, "The management request contains an invalid identifier."},
		{"sender is not the owner", func(in *deletionInput) {
			in.message.Server.Owner = xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "5678"}
		}, xroad.CodeManagementRequestSenderMismatch, "Sender does not match server owner."},
		{"owner certificate of another member", func(in *deletionInput) {
			other := xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "5678"}
			in.message.Client, in.message.Server.Owner = other, other
		}, xroad.CodeManagementRequestOwnerIdentifierMismatch,
			"Subject identifier (DEV/GOV/1234) in certificate does not match security server owner identifier (DEV/GOV/5678) in request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := VerifyDeletion(deletionRequest(t, c.edit), f.trust, testNow)
			if c.code == "" {
				if err != nil {
					t.Fatalf("VerifyDeletion: %v", err)
				}
				return
			}
			assertXRoadError(t, err, c.code, c.message)
		})
	}
}

func TestDecodeDeletionReportsMissingParts(t *testing.T) {
	r := deletionRequest(t, nil)
	parts := []mimePart{soapPart(r.SOAP), signaturePart(r.OwnerSigAlg, r.OwnerSig), binaryPart(r.OwnerCert), binaryPart(r.OwnerOCSP)}
	cases := []struct {
		name          string
		parts         []mimePart
		code, message string
	}{
		{"only SOAP", parts[:1], xroad.CodeManagementRequestMissingPart, "Owner signature algorithm id is missing"},
		{"signature without algorithm id", withPart(parts, 1, binaryPart(parts[1].body)), xroad.CodeManagementRequestMissingPart, "Owner signature algorithm id is missing"},
		{"no owner certificate", parts[:2], xroad.CodeManagementRequestMissingPart, "Owner certificate is missing"},
		{"no OCSP response", parts[:3], xroad.CodeManagementRequestMissingPart, "Owner certificate OCSP is missing"},
		{"a fifth part", append(append([]mimePart(nil), parts...), binaryPart([]byte("x"))), xroad.CodeManagementRequestInvalidRequest,
			"An authCertDeletion request has 4 parts, this one has 5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, ct := encodeMultipart("b0undary", c.parts)
			_, err := Decode(ct, body)
			assertXRoadError(t, err, c.code, c.message)
		})
	}
}

func TestDeletionResponseRoundTrip(t *testing.T) {
	f := shared()
	body, ct, err := BuildDeletion(testDeletion(f.ecAuthCert), f.ecOwner, f.ecOwnerCert, f.ecOwnerOCSP, 0)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		r, err := ReadRequest(hr)
		if err == nil {
			err = VerifyDeletion(r, f.trust, testNow)
		}
		w.Header().Set("Content-Type", ResponseContentType)
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write(EncodeFault(err))
			return
		}
		resp, _ := EncodeResponse(r, 77)
		if !strings.Contains(string(resp), "<xroad:authCertDeletionResponse>") || strings.Contains(string(resp), "address") {
			t.Errorf("response body: %s", resp)
		}
		_, _ = w.Write(resp)
	}))
	t.Cleanup(srv.Close)
	id, err := Send(context.Background(), srv.Client(), srv.URL, body, ct)
	if err != nil || id != 77 {
		t.Fatalf("Send = %d, %v", id, err)
	}

	// A registration response does not answer a deletion request.
	r, err := Decode(ct, body)
	if err != nil {
		t.Fatal(err)
	}
	r.Kind = ServiceCode
	wrong, _ := EncodeResponse(r, 78)
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", ResponseContentType)
		_, _ = w.Write(wrong)
	}))
	t.Cleanup(liar.Close)
	if _, err := Send(context.Background(), liar.Client(), liar.URL, body, ct); !xroad.IsCode(err, xroad.CodeManagementRequestSendFailed) {
		t.Fatalf("Send accepted an authCertRegResponse to a deletion: %v", err)
	}
}
