package mgmtreq

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/xroad"
)

// signInput is what a test request is signed and assembled from.
type signInput struct {
	authKey, ownerKey              crypto.Signer
	authCert, ownerCert, ownerOCSP []byte
	authDigest, ownerDigest        crypto.Hash
	soapEdit                       func(string) string
	messageEdit                    func(*AuthCertReg)
	afterDecode                    func(*Request)
}

// signedRequest signs and encodes a request like Build does, but lets the
// test change the message, the SOAP text, the keys and the parts, then
// decodes it as the central server would.
func signedRequest(t *testing.T, edit func(*signInput)) *Request {
	t.Helper()
	f := shared()
	in := signInput{authKey: f.ecAuth, ownerKey: f.ecOwner, authCert: f.ecAuthCert, ownerCert: f.ecOwnerCert,
		ownerOCSP: f.ecOwnerOCSP, authDigest: crypto.SHA512, ownerDigest: crypto.SHA512}
	if edit != nil {
		edit(&in)
	}
	m := testRequest(in.authCert)
	m.ID = "verify-test"
	if in.messageEdit != nil {
		in.messageEdit(&m)
	}
	soap := string(requestSOAP(m))
	if in.soapEdit != nil {
		soap = in.soapEdit(soap)
	}
	authKey, authAlg, err := keyAlgorithm(in.authKey, "authentication", in.authDigest)
	if err != nil {
		t.Fatal(err)
	}
	ownerKey, ownerAlg, err := keyAlgorithm(in.ownerKey, "owner", in.ownerDigest)
	if err != nil {
		t.Fatal(err)
	}
	body, ct, err := signAndEncode([]byte(soap), authKey, authAlg, ownerKey, ownerAlg, in.authCert, in.ownerCert, in.ownerOCSP)
	if err != nil {
		t.Fatal(err)
	}
	return decodeBuilt(t, ct, body, in.afterDecode)
}

func TestVerifyChecksInXRoadOrder(t *testing.T) {
	f := sharedRSA()
	expiredAuthCert := f.ca.issue(f.ecAuth.Public(), func(c *x509.Certificate) {
		c.Subject = pkix.Name{Country: []string{"DEV"}, CommonName: "SS1"}
		c.KeyUsage = x509.KeyUsageDigitalSignature
		c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		c.NotBefore, c.NotAfter = testNow.Add(-48*time.Hour), testNow.Add(-24*time.Hour)
	})
	otherMemberCert := f.ca.signCert(f.ecOwner.Public(), "5678")
	noOrgCert := f.ca.issue(f.ecOwner.Public(), func(c *x509.Certificate) {
		c.Subject = pkix.Name{Country: []string{"DEV"}, CommonName: "1234"}
		c.KeyUsage = x509.KeyUsageContentCommitment
	})
	untrustedOwnerCert := f.otherCA.signCert(f.ecOwner.Public(), "1234")
	const (
		authInvalid  = "Authentication certificate is not valid"
		serviceAddr  = "Invalid management service address. Contact central server administrator."
		supportedIDs = "SHA256withECDSA, SHA256withRSA, SHA256withRSAandMGF1, SHA384withECDSA, SHA384withRSA, SHA384withRSAandMGF1, SHA512withECDSA, SHA512withRSA, SHA512withRSAandMGF1"
	)

	cases := []struct {
		name          string
		edit          func(*signInput)
		code, message string // message ending in * is a prefix
	}{
		{name: "valid request"},

		// 4. Authentication certificate.
		{"auth cert not from an approved CA", func(in *signInput) { in.authCert = f.otherCA.authCert(f.ecAuth.Public()) },
			xroad.CodeManagementRequestInvalidAuthCertificate, authInvalid},
		{"expired auth cert", func(in *signInput) { in.authCert = expiredAuthCert },
			xroad.CodeManagementRequestInvalidAuthCertificate, authInvalid},
		{"signing cert as auth cert", func(in *signInput) { in.authCert = f.ca.signCert(f.ecAuth.Public(), "1234") },
			xroad.CodeManagementRequestInvalidAuthCertificate, authInvalid},
		{"auth cert part is not a certificate", func(in *signInput) { in.afterDecode = func(r *Request) { r.AuthCert = []byte("not DER") } },
			xroad.CodeManagementRequestInvalidAuthCertificate, authInvalid},

		// 5. Auth signature.
		{"tampered SOAP", func(in *signInput) {
			in.afterDecode = func(r *Request) { r.SOAP = []byte(strings.Replace(string(r.SOAP), testAddress, "ss2.example.org", 1)) }
		}, xroad.CodeManagementRequestAuthSignatureInvalid, "Auth signature verification failed"},
		{"auth signature by another key", func(in *signInput) { in.authKey = f.ecOwner },
			xroad.CodeManagementRequestAuthSignatureInvalid, "Auth signature verification failed"},
		{"auth algorithm does not fit the key", func(in *signInput) { in.afterDecode = func(r *Request) { r.AuthSigAlg = "SHA512withRSA" } },
			xroad.CodeManagementRequestAuthSignatureInvalid, "Auth signature verification failed"},
		{"unknown auth signature algorithm", func(in *signInput) { in.afterDecode = func(r *Request) { r.AuthSigAlg = "SHA1withRSA" } },
			xroad.CodeManagementRequestUnsupportedSignatureAlgID, `Unsupported auth signature algorithm "SHA1withRSA"; supported are ` + supportedIDs},

		// 6. Owner certificate and OCSP.
		{"revoked owner cert", func(in *signInput) {
			in.ownerOCSP = f.ca.ocspResponse(f.ecOwnerCert, ocsp.Revoked, testNow.Add(-time.Minute))
		},
			xroad.CodeManagementRequestOwnerCertificateInvalid, "Owner certificate is invalid: OCSP status is 1, not good"},
		{"stale owner OCSP response", func(in *signInput) {
			in.ownerOCSP = f.ca.ocspResponse(f.ecOwnerCert, ocsp.Good, testNow.Add(-2*time.Hour))
		},
			xroad.CodeManagementRequestOwnerCertificateInvalid, "Owner certificate is invalid: OCSP response from 2026-03-01T10:00:00Z is older than 1h0m0s"},
		{"OCSP response of another certificate", func(in *signInput) { in.ownerOCSP = f.rsaOwnerOCSP },
			xroad.CodeManagementRequestOwnerCertificateInvalid, "Owner certificate is invalid: OCSP response does not verify: no response matching the supplied certificate"},
		{"OCSP response is garbage", func(in *signInput) { in.ownerOCSP = []byte("garbage") },
			xroad.CodeManagementRequestOwnerCertificateInvalid, "Owner certificate is invalid: OCSP response does not verify: *"},
		{"owner cert not from an approved CA", func(in *signInput) { in.ownerCert = untrustedOwnerCert },
			xroad.CodeManagementRequestOwnerCertificateInvalid, "Owner certificate is invalid: the certificate is not issued by an approved certification authority"},
		{"owner cert part is not a certificate", func(in *signInput) { in.afterDecode = func(r *Request) { r.OwnerCert = []byte("not DER") } },
			xroad.CodeManagementRequestOwnerCertificateInvalid, "Owner certificate is invalid: the certificate cannot be parsed"},

		// 7. Owner signature.
		{"owner signature by another key", func(in *signInput) { in.afterDecode = func(r *Request) { r.OwnerSig = r.AuthSig } },
			xroad.CodeManagementRequestOwnerSignatureInvalid, "Owner signature verification failed."},
		{"unknown owner signature algorithm", func(in *signInput) { in.afterDecode = func(r *Request) { r.OwnerSigAlg = "MD5withRSA" } },
			xroad.CodeManagementRequestUnsupportedSignatureAlgID, `Unsupported owner signature algorithm "MD5withRSA"; supported are ` + supportedIDs},

		// 8. Management service address.
		{"wrong management service provider", func(in *signInput) {
			in.messageEdit = func(m *AuthCertReg) { m.Service.Client.SubsystemCode = "OTHER" }
		}, xroad.CodeManagementRequestInvalidServiceAddress, serviceAddr},
		{"client of another instance", func(in *signInput) {
			in.messageEdit = func(m *AuthCertReg) { m.Client.Instance, m.Server.Owner.Instance = "EE", "EE" }
		}, xroad.CodeManagementRequestInvalidServiceAddress, serviceAddr},

		// 9. Server identifier.
		{"forbidden character in server code", func(in *signInput) {
			in.soapEdit = func(s string) string { return strings.Replace(s, "<id:serverCode>SS1<", "<id:serverCode>SS;1<", 1) }
		}, xroad.CodeInvalidIdentifier, "The management request contains an invalid identifier."},
		{"zero-width space in member code", func(in *signInput) {
			in.soapEdit = func(s string) string {
				return strings.Replace(s, "<id:memberCode>1234</id:memberCode><id:serverCode>", "<id:memberCode>12\u200b34</id:memberCode><id:serverCode>", 1)
			}
		}, xroad.CodeInvalidIdentifier, "The management request contains an invalid identifier."},

		// 10. Sender is the owner.
		{"client is not the server owner", func(in *signInput) {
			in.messageEdit = func(m *AuthCertReg) { m.Client.MemberCode = "5678" }
		}, xroad.CodeManagementRequestSenderMismatch, "Sender does not match server owner."},
		{"sender mismatch reported before bad address", func(in *signInput) {
			in.messageEdit = func(m *AuthCertReg) { m.Client.MemberCode, m.Address = "5678", "bad_host!" }
		}, xroad.CodeManagementRequestSenderMismatch, "Sender does not match server owner."},

		// 11. authCert element equals part 4.
		{"authCert element differs from part 4", func(in *signInput) {
			in.messageEdit = func(m *AuthCertReg) { m.AuthCert = f.rsaAuthCert }
		}, xroad.CodeManagementRequestAuthCertificatesMismatch, "Authentication certificates do not match."},

		// 12. Owner certificate names the owner.
		{"owner cert of another member", func(in *signInput) {
			in.ownerCert = otherMemberCert
			in.ownerOCSP = f.ca.ocspResponse(otherMemberCert, ocsp.Good, testNow.Add(-time.Minute))
		}, xroad.CodeManagementRequestOwnerIdentifierMismatch,
			"Subject identifier (DEV/GOV/5678) in certificate does not match security server owner identifier (DEV/GOV/1234) in request"},
		{"owner cert subject not decodable", func(in *signInput) {
			in.ownerCert = noOrgCert
			in.ownerOCSP = f.ca.ocspResponse(noOrgCert, ocsp.Good, testNow.Add(-time.Minute))
		}, xroad.CodeManagementRequestOwnerIdentifierMismatch, "Subject identifier in certificate cannot be read: subject must have exactly C, O and CN"},

		// 13. Server address.
		{"bad server address", func(in *signInput) { in.messageEdit = func(m *AuthCertReg) { m.Address = "bad_host!" } },
			xroad.CodeManagementRequestInvalidServerAddress, "Invalid server address"},
		{"no server address", func(in *signInput) { in.messageEdit = func(m *AuthCertReg) { m.Address = "" } },
			xroad.CodeManagementRequestInvalidServerAddress, "Invalid server address"},
		{"IP address is fine", func(in *signInput) { in.messageEdit = func(m *AuthCertReg) { m.Address = "192.0.2.10" } }, "", ""},

		// Algorithms.
		{"RSA-PSS owner signature", func(in *signInput) {
			in.ownerKey, in.ownerCert, in.ownerOCSP = PSSSigner{f.rsaOwner}, f.rsaOwnerCert, f.rsaOwnerOCSP
		}, "", ""},
		{"mixed digests", func(in *signInput) { in.authDigest, in.ownerDigest = crypto.SHA256, crypto.SHA384 }, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := signedRequest(t, c.edit)
			err := Verify(r, f.trust, testNow)
			if c.code == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if prefix, ok := strings.CutSuffix(c.message, "*"); ok {
				if xroad.CodeOf(err) != c.code || !strings.HasPrefix(err.(*xroad.Error).Message, prefix) {
					t.Fatalf("Verify = %v, want %s %q…", err, c.code, prefix)
				}
				return
			}
			assertXRoadError(t, err, c.code, c.message)
		})
	}
}

// decodeBuilt decodes a request a test built, then lets after change it.
func decodeBuilt(t *testing.T, ct string, body []byte, after func(*Request)) *Request {
	t.Helper()
	r, err := Decode(ct, body)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if after != nil {
		after(r)
	}
	return r
}
