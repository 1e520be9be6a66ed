package mgmtreq

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

// xmlValidator validates documents with xmllint against X-Road's schemas.
type xmlValidator struct {
	t        *testing.T
	xmllint  string
	xsd      string // fixtures' xsd folder
	envelope string // wrapper schema: SOAP 1.1 envelope + X-Road header elements
}

func newXMLValidator(t *testing.T) *xmlValidator {
	xmllint := testenv.NeedTool(t, "xmllint")
	xsd := filepath.Join(testenv.Fixtures(t), "xsd")
	// The SOAP schema leaves Header and Body content lax, so with xroad.xsd
	// imported the X-Road header elements are checked strictly.
	wrapper := `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:roadreg:test:wrapper">
  <xs:import namespace="http://schemas.xmlsoap.org/soap/envelope/" schemaLocation="` + filepath.Join(xsd, "soap-schema.xsd") + `"/>
  <xs:import namespace="http://x-road.eu/xsd/xroad.xsd" schemaLocation="` + filepath.Join(xsd, "xroad.xsd") + `"/>
</xs:schema>
`
	envelope := filepath.Join(t.TempDir(), "envelope.xsd")
	if err := os.WriteFile(envelope, []byte(wrapper), 0o600); err != nil {
		t.Fatal(err)
	}
	return &xmlValidator{t: t, xmllint: xmllint, xsd: xsd, envelope: envelope}
}

func (v *xmlValidator) validate(name string, doc []byte, schema string) {
	v.t.Helper()
	file := filepath.Join(v.t.TempDir(), name+".xml")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		v.t.Fatal(err)
	}
	out, err := exec.Command(v.xmllint, "--noout", "--nonet", "--schema", schema, file).CombinedOutput()
	if err != nil {
		v.t.Errorf("%s does not validate against %s: %v\n%s\n%s", name, filepath.Base(schema), err, out, doc)
	}
}

// bodyElement cuts the element <xroad:name>…</xroad:name> out of soap as a
// standalone document named xroad:rename.
func bodyElement(t *testing.T, soap []byte, name, rename string) []byte {
	t.Helper()
	s := string(soap)
	start := strings.Index(s, "<xroad:"+name+">")
	end := strings.Index(s, "</xroad:"+name+">")
	if start < 0 || end < 0 {
		t.Fatalf("no xroad:%s element in %s", name, s)
	}
	inner := s[start+len("<xroad:"+name+">") : end]
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<xroad:` + rename + ` xmlns:xroad="` + nsXRoad + `" xmlns:id="` + nsID + `">` + inner + `</xroad:` + rename + `>`)
}

func TestMessagesValidateAgainstXRoadSchemas(t *testing.T) {
	v := newXMLValidator(t)
	f := sharedRSA()
	req := testRequest(f.rsaAuthCert)
	req.DryRun = true
	body, ct, err := Build(req, f.rsaAuth, f.rsaOwner, f.rsaOwnerCert, f.rsaOwnerOCSP, 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Decode(ct, body)
	if err != nil {
		t.Fatal(err)
	}
	request := filepath.Join(v.xsd, "request.xsd")

	v.validate("request-envelope", r.SOAP, v.envelope)
	v.validate("request-body", bodyElement(t, r.SOAP, "authCertReg", "authCertReg"), request)

	resp, err := EncodeResponse(r, 42)
	if err != nil {
		t.Fatal(err)
	}
	v.validate("response-envelope", resp, v.envelope)
	// authCertRegResponse has the request's type (managementservices.wsdl).
	v.validate("response-body", bodyElement(t, resp, "authCertRegResponse", "authCertReg"), request)

	// authCertDeletion and its response (AuthCertDeletionRequestType).
	del, delCT, err := BuildDeletion(testDeletion(f.rsaAuthCert), f.rsaOwner, f.rsaOwnerCert, f.rsaOwnerOCSP, 0)
	if err != nil {
		t.Fatal(err)
	}
	dr, err := Decode(delCT, del)
	if err != nil {
		t.Fatal(err)
	}
	v.validate("deletion-envelope", dr.SOAP, v.envelope)
	v.validate("deletion-body", bodyElement(t, dr.SOAP, "authCertDeletion", "authCertDeletion"), request)
	delResp, err := EncodeResponse(dr, 43)
	if err != nil {
		t.Fatal(err)
	}
	v.validate("deletion-response-envelope", delResp, v.envelope)
	v.validate("deletion-response-body", bodyElement(t, delResp, "authCertDeletionResponse", "authCertDeletion"), request)

	v.validate("fault", EncodeFault(xroad.Errorf(xroad.CodeManagementRequestSenderMismatch, "Sender <does> not match & more").WithMetadata("a", "b")), v.envelope)
	v.validate("internal-fault", EncodeFault(errors.New("boom")), v.envelope)

	// The sample, as the samples README did, so the validator itself is known good.
	sampleBody, _ := sample(t)
	sr, err := Decode(sampleContentType, sampleBody)
	if err != nil {
		t.Fatal(err)
	}
	v.validate("sample-envelope", sr.SOAP, v.envelope)
	v.validate("sample-body", bodyElement(t, sr.SOAP, "authCertReg", "authCertReg"), request)
}

// TestSchemaValidatorRejects shows both checks can fail: a body without its
// required elements, and an envelope with a malformed X-Road header.
func TestSchemaValidatorRejects(t *testing.T) {
	v := newXMLValidator(t)
	for _, c := range []struct{ name, doc, schema string }{
		{"body", `<?xml version="1.0"?><xroad:authCertReg xmlns:xroad="` + nsXRoad + `" xmlns:id="` + nsID + `"><xroad:address>x</xroad:address></xroad:authCertReg>`,
			filepath.Join(v.xsd, "request.xsd")},
		{"envelope", `<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="` + nsSOAP + `" xmlns:id="` + nsID + `" xmlns:xroad="` + nsXRoad + `">` +
			`<SOAP-ENV:Header><xroad:client id:objectType="BOGUS"><id:memberClass>GOV</id:memberClass></xroad:client></SOAP-ENV:Header><SOAP-ENV:Body/></SOAP-ENV:Envelope>`,
			v.envelope},
	} {
		file := filepath.Join(t.TempDir(), c.name+".xml")
		if err := os.WriteFile(file, []byte(c.doc), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := exec.Command(v.xmllint, "--noout", "--nonet", "--schema", c.schema, file).Run(); err == nil {
			t.Errorf("xmllint accepted the invalid %s", c.name)
		}
	}
}
