package mgmtreq

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"mime"
	"regexp"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

func TestBuildDecodeVerifyRoundTrip(t *testing.T) {
	f := sharedRSA()
	cases := []struct {
		name                string
		authKey, ownerKey   crypto.Signer
		authCert, ownerCert []byte
		ownerOCSP           []byte
		digest              crypto.Hash
		wantAuth, wantOwner string
	}{
		{"RSA default digest", f.rsaAuth, f.rsaOwner, f.rsaAuthCert, f.rsaOwnerCert, f.rsaOwnerOCSP, 0, "SHA512withRSA", "SHA512withRSA"},
		{"RSA SHA-384", f.rsaAuth, f.rsaOwner, f.rsaAuthCert, f.rsaOwnerCert, f.rsaOwnerOCSP, crypto.SHA384, "SHA384withRSA", "SHA384withRSA"},
		{"RSA-PSS", PSSSigner{f.rsaAuth}, PSSSigner{f.rsaOwner}, f.rsaAuthCert, f.rsaOwnerCert, f.rsaOwnerOCSP, crypto.SHA512, "SHA512withRSAandMGF1", "SHA512withRSAandMGF1"},
		{"EC default digest", f.ecAuth, f.ecOwner, f.ecAuthCert, f.ecOwnerCert, f.ecOwnerOCSP, 0, "SHA512withECDSA", "SHA512withECDSA"},
		{"EC SHA-256", f.ecAuth, f.ecOwner, f.ecAuthCert, f.ecOwnerCert, f.ecOwnerOCSP, crypto.SHA256, "SHA256withECDSA", "SHA256withECDSA"},
		{"EC auth, RSA owner", f.ecAuth, f.rsaOwner, f.ecAuthCert, f.rsaOwnerCert, f.rsaOwnerOCSP, 0, "SHA512withECDSA", "SHA512withRSA"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := testRequest(c.authCert)
			req.ID = "msg-1"
			body, ct, err := Build(req, c.authKey, c.ownerKey, c.ownerCert, c.ownerOCSP, c.digest)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			r, err := Decode(ct, body)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if r.AuthSigAlg != c.wantAuth || r.OwnerSigAlg != c.wantOwner {
				t.Errorf("algorithms = %s, %s; want %s, %s", r.AuthSigAlg, r.OwnerSigAlg, c.wantAuth, c.wantOwner)
			}
			if !equalMessages(r.Message, req) {
				t.Errorf("decoded message = %+v, want %+v", r.Message, req)
			}
			if r.ProtocolVersion != "4.0" {
				t.Errorf("protocolVersion = %q", r.ProtocolVersion)
			}
			if !bytes.Equal(r.AuthCert, c.authCert) || !bytes.Equal(r.OwnerCert, c.ownerCert) || !bytes.Equal(r.OwnerOCSP, c.ownerOCSP) {
				t.Error("certificate or OCSP parts differ from the input")
			}
			if err := Verify(r, f.trust, testNow); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}

func equalMessages(a, b AuthCertReg) bool {
	return a.Client == b.Client && a.Service == b.Service && a.ID == b.ID && a.Server == b.Server &&
		a.Address == b.Address && bytes.Equal(a.AuthCert, b.AuthCert) && a.DryRun == b.DryRun
}

func TestBuildGeneratesUUIDv4MessageIDs(t *testing.T) {
	uuidV4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 2 {
		r := buildDecoded(t)
		if !uuidV4.MatchString(r.Message.ID) {
			t.Errorf("message id %q is not a UUID v4", r.Message.ID)
		}
		seen[r.Message.ID] = true
	}
	if len(seen) != 2 {
		t.Error("two builds got the same message id")
	}
}

// TestBuildShape checks the framing X-Road uses, byte by byte.
func TestBuildShape(t *testing.T) {
	f := shared()
	body, ct, err := Build(testRequest(f.ecAuthCert), f.ecAuth, f.ecOwner, f.ecOwnerCert, f.ecOwnerOCSP, 0)
	if err != nil {
		t.Fatal(err)
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil || mediaType != "multipart/related" || params["type"] != "application/octet-stream" || params["charset"] != "UTF-8" {
		t.Fatalf("Content-Type %q: %v", ct, err)
	}
	b := params["boundary"]
	if !strings.HasPrefix(ct, `multipart/related; type="application/octet-stream"; charset=UTF-8; boundary=`) {
		t.Errorf("Content-Type %q is not in X-Road's form", ct)
	}
	if !bytes.HasPrefix(body, []byte("--"+b+"\r\n")) || !bytes.HasSuffix(body, []byte("\r\n--"+b+"--\r\n")) {
		t.Fatal("body does not start with the first delimiter or end with the closing one")
	}
	chunks := bytes.Split(bytes.TrimSuffix(body, []byte("\r\n--"+b+"--\r\n")), []byte("--"+b+"\r\n"))[1:]
	wantHeaders := []string{
		"Content-Type: text/xml; charset=UTF-8",
		"Content-Type: application/octet-stream\r\nsignature-algorithm-id: SHA512withECDSA",
		"Content-Type: application/octet-stream\r\nsignature-algorithm-id: SHA512withECDSA",
		"Content-Type: application/octet-stream",
		"Content-Type: application/octet-stream",
		"Content-Type: application/octet-stream",
	}
	if len(chunks) != len(wantHeaders) {
		t.Fatalf("%d parts, want %d", len(chunks), len(wantHeaders))
	}
	for i, chunk := range chunks {
		header, partBody, ok := bytes.Cut(chunk, []byte("\r\n\r\n"))
		if !ok || string(header) != wantHeaders[i] {
			t.Errorf("part %d header = %q, want %q", i+1, header, wantHeaders[i])
		}
		if i < len(chunks)-1 && !bytes.HasSuffix(partBody, []byte("\r\n")) {
			t.Errorf("part %d is not followed by CRLF before the delimiter", i+1)
		}
	}
	soap := string(chunks[0])
	for _, want := range []string{
		`<?xml version="1.0" encoding="utf-8" ?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:xroad="http://x-road.eu/xsd/xroad.xsd"><SOAP-ENV:Header>`,
		`<xroad:client id:objectType="MEMBER"><id:xRoadInstance>DEV</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1234</id:memberCode></xroad:client>`,
		`<xroad:service id:objectType="SERVICE"><id:xRoadInstance>DEV</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>9000</id:memberCode><id:subsystemCode>MANAGEMENT</id:subsystemCode><id:serviceCode>authCertReg</id:serviceCode></xroad:service>`,
		`<xroad:protocolVersion>4.0</xroad:protocolVersion></SOAP-ENV:Header><SOAP-ENV:Body><xroad:authCertReg><xroad:server id:objectType="SERVER">`,
		`<id:serverCode>SS1</id:serverCode></xroad:server><xroad:address>ss1.example.org</xroad:address><xroad:authCert>`,
	} {
		if !strings.Contains(soap, want) {
			t.Errorf("SOAP part lacks %s", want)
		}
	}
	if strings.Contains(soap, "dryRun") {
		t.Error("dryRun written although false")
	}
}

// TestEncodingReproducesXRoadSample re-encodes the parts of X-Road's captured
// request and gets the file back byte for byte (apart from an unused namespace
// declaration X-Road's SOAP library adds to the Header).
func TestEncodingReproducesXRoadSample(t *testing.T) {
	body, _ := sample(t)
	r, err := Decode(sampleContentType, body)
	if err != nil {
		t.Fatal(err)
	}
	wantSOAP := strings.Replace(string(r.SOAP), `<SOAP-ENV:Header xmlns:ns4="http://x-road.eu/xsd/representation.xsd">`, `<SOAP-ENV:Header>`, 1)
	if got := string(requestSOAP(r.Message)); got != wantSOAP {
		t.Errorf("requestSOAP differs from X-Road's SOAP\n got: %s\nwant: %s", got, wantSOAP)
	}
	got, ct := encodeMultipart("jetty977554054l1bu2no0", requestParts(r))
	if !bytes.Equal(got, body) {
		t.Error("encodeMultipart does not reproduce the sample file")
	}
	if ct != sampleContentType {
		t.Errorf("Content-Type = %q, want %q", ct, sampleContentType)
	}
}

func TestBuildDryRun(t *testing.T) {
	f := shared()
	req := testRequest(f.ecAuthCert)
	req.DryRun = true
	body, ct, err := Build(req, f.ecAuth, f.ecOwner, f.ecOwnerCert, f.ecOwnerOCSP, 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Decode(ct, body)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Message.DryRun || !bytes.Contains(r.SOAP, []byte("<xroad:dryRun>true</xroad:dryRun>")) {
		t.Error("dryRun not carried")
	}
	if err := Verify(r, f.trust, testNow); err != nil {
		t.Errorf("Verify: %v", err)
	}

	t.Run("without certificate", func(t *testing.T) {
		req.AuthCert = nil
		body, ct, err := Build(req, f.ecAuth, f.ecOwner, f.ecOwnerCert, f.ecOwnerOCSP, 0)
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		_, err = Decode(ct, body)
		assertXRoadError(t, err, xroad.CodeManagementRequestMissingPart, "Auth certificate is missing")
	})
}

func TestBuildRefusesBadInput(t *testing.T) {
	f := shared()
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		edit     func(*AuthCertReg)
		authKey  crypto.Signer
		ownerKey crypto.Signer
		owner    []byte
		ocspDER  []byte
		noKey    bool
		digest   crypto.Hash
		wantCode string
	}{
		{name: "subsystem as client", edit: func(r *AuthCertReg) { r.Client.SubsystemCode = "SUB" }, wantCode: xroad.CodeBadUserInput},
		{name: "other service code", edit: func(r *AuthCertReg) { r.Service.ServiceCode = "clientReg" }, wantCode: xroad.CodeBadUserInput},
		{name: "service code filled in", edit: func(r *AuthCertReg) { r.Service.ServiceCode = "" }},
		{name: "forbidden character in server code", edit: func(r *AuthCertReg) { r.Server.ServerCode = "SS:1" }, wantCode: xroad.CodeBadUserInput},
		{name: "missing provider", edit: func(r *AuthCertReg) { r.Service.Client = xroad.ClientID{} }, wantCode: xroad.CodeBadUserInput},
		{name: "bad address", edit: func(r *AuthCertReg) { r.Address = "not a host" }, wantCode: xroad.CodeBadUserInput},
		{name: "no address", edit: func(r *AuthCertReg) { r.Address = "" }, wantCode: xroad.CodeBadUserInput},
		{name: "no auth cert", edit: func(r *AuthCertReg) { r.AuthCert = nil }, wantCode: xroad.CodeBadUserInput},
		{name: "garbage auth cert", edit: func(r *AuthCertReg) { r.AuthCert = []byte("garbage") }, wantCode: xroad.CodeInvalidCertificate},
		{name: "no owner cert", owner: []byte{}, wantCode: xroad.CodeBadUserInput},
		{name: "no OCSP response", ocspDER: []byte{}, wantCode: xroad.CodeBadUserInput},
		{name: "auth key not of auth cert", authKey: f.ecOwner, wantCode: xroad.CodeInvalidCertificate},
		{name: "owner key not of owner cert", ownerKey: f.ecAuth, wantCode: xroad.CodeInvalidCertificate},
		{name: "missing key", noKey: true, wantCode: xroad.CodeKeyNotFound},
		{name: "Ed25519 key", authKey: edKey, wantCode: xroad.CodeManagementRequestUnsupportedSignatureAlgID},
		{name: "PSS with EC key", authKey: PSSSigner{f.ecAuth}, wantCode: xroad.CodeManagementRequestUnsupportedSignatureAlgID},
		{name: "SHA-1 digest", digest: crypto.SHA1, wantCode: xroad.CodeManagementRequestUnsupportedSignatureAlgID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := testRequest(f.ecAuthCert)
			if c.edit != nil {
				c.edit(&req)
			}
			authKey, ownerKey, owner, ocspDER := c.authKey, c.ownerKey, c.owner, c.ocspDER
			if authKey == nil && !c.noKey {
				authKey = f.ecAuth
			}
			if ownerKey == nil {
				ownerKey = f.ecOwner
			}
			if owner == nil {
				owner = f.ecOwnerCert
			}
			if ocspDER == nil {
				ocspDER = f.ecOwnerOCSP
			}
			_, _, err := Build(req, authKey, ownerKey, owner, ocspDER, c.digest)
			if got := xroad.CodeOf(err); got != c.wantCode || (c.wantCode != "" && err == nil) {
				t.Errorf("Build error = %v, want code %q", err, c.wantCode)
			}
		})
	}
}
