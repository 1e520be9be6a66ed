package mgmtreq

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

// validParts returns the six parts of a valid signed request.
func validParts(t *testing.T) []mimePart {
	t.Helper()
	r := signedRequest(t, nil)
	return requestParts(r)
}

func withPart(parts []mimePart, i int, p mimePart) []mimePart {
	out := append([]mimePart(nil), parts...)
	out[i] = p
	return out
}

func withSOAP(parts []mimePart, edit func(string) string) []mimePart {
	return withPart(parts, 0, mimePart{headers: parts[0].headers, body: []byte(edit(string(parts[0].body)))})
}

func TestDecodeReportsMissingParts(t *testing.T) {
	parts := validParts(t)
	emptySig := func(p mimePart) mimePart { return mimePart{headers: p.headers} }
	cases := []struct {
		name    string
		parts   []mimePart
		message string
	}{
		{"no parts", nil, "Request contains no SOAP message"},
		{"first part is not XML", withPart(parts, 0, binaryPart(parts[0].body)), "Request contains no SOAP message"},
		{"only SOAP", parts[:1], "Auth signature algorithm id is missing"},
		{"auth signature without algorithm id", withPart(parts, 1, binaryPart(parts[1].body)), "Auth signature algorithm id is missing"},
		{"empty auth signature", withPart(parts, 1, emptySig(parts[1])), "Auth signature is missing"},
		{"owner signature part absent", parts[:2], "Owner signature algorithm id is missing"},
		{"owner signature without algorithm id", withPart(parts, 2, binaryPart(parts[2].body)), "Owner signature algorithm id is missing"},
		{"empty owner signature", withPart(parts, 2, emptySig(parts[2])), "Owner signature is missing"},
		{"auth certificate part absent", parts[:3], "Auth certificate is missing"},
		{"empty auth certificate", withPart(parts, 3, binaryPart(nil)), "Auth certificate is missing"},
		{"owner certificate part absent", parts[:4], "Owner certificate is missing"},
		{"empty owner certificate", withPart(parts, 4, binaryPart(nil)), "Owner certificate is missing"},
		{"OCSP part absent", parts[:5], "Owner certificate OCSP is missing"},
		{"empty OCSP response", withPart(parts, 5, binaryPart(nil)), "Owner certificate OCSP is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, ct := encodeMultipart("b0undary", c.parts)
			_, err := Decode(ct, body)
			assertXRoadError(t, err, xroad.CodeManagementRequestMissingPart, c.message)
		})
	}

	t.Run("wrong boundary", func(t *testing.T) {
		body, _ := encodeMultipart("b0undary", parts)
		_, err := Decode("multipart/related; boundary=other", body)
		assertXRoadError(t, err, xroad.CodeManagementRequestMissingPart, "Request contains no SOAP message")
	})

	t.Run("bare SOAP message", func(t *testing.T) {
		_, err := Decode("text/xml; charset=UTF-8", parts[0].body)
		assertXRoadError(t, err, xroad.CodeManagementRequestMissingPart, "Auth signature algorithm id is missing")
	})
}

func TestDecodeRefusesMalformedRequests(t *testing.T) {
	parts := validParts(t)
	body, ct := encodeMultipart("b0undary", parts)
	doctype := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>`
	cases := []struct {
		name        string
		contentType string
		body        []byte
		message     string
	}{
		{"oversized", ct, append(bytes.Repeat([]byte{' '}, MaxRequestSize), body...), "The request is larger than 1048576 bytes"},
		{"unparsable Content-Type", "multipart/related; boundary", body, `Content-Type "multipart/related; boundary" is not a valid media type; send multipart/related`},
		{"JSON", "application/json", body, "Content-Type application/json is not supported; send multipart/related"},
		{"no boundary", "multipart/related", body, "The multipart Content-Type has no boundary parameter"},
		{"seven parts", ct, mustEncode(append(parts, binaryPart([]byte("x")))), "The request has more than 6 parts"},
		{"DOCTYPE", ct, mustEncode(withSOAP(parts, func(s string) string {
			return doctype + strings.TrimPrefix(s, xmlDecl)
		})), "The SOAP message is malformed: document type declarations are not allowed"},
		{"not XML", ct, mustEncode(withSOAP(parts, func(string) string { return "{}" })), "The SOAP message is malformed: EOF"},
		{"not a SOAP envelope", ct, mustEncode(withSOAP(parts, func(string) string { return "<Envelope/>" })),
			"The SOAP message is malformed: expected element <Envelope> in name space http://schemas.xmlsoap.org/soap/envelope/ but have no name space"},
		{"unclosed element", ct, mustEncode(withSOAP(parts, func(s string) string { return strings.TrimSuffix(s, "</SOAP-ENV:Envelope>") })),
			"The SOAP message is malformed: XML syntax error on line 1: unexpected EOF"},
		{"no header", ct, mustEncode(withSOAP(parts, func(s string) string {
			return s[:strings.Index(s, "<SOAP-ENV:Header>")] + s[strings.Index(s, "<SOAP-ENV:Body>"):]
		})), "The SOAP message is malformed: the SOAP message has no Header"},
		{"other service", ct, mustEncode(withSOAP(parts, func(s string) string { return strings.Replace(s, ">authCertReg<", ">clientReg<", 1) })),
			`Unsupported management service "clientReg": this endpoint accepts only authCertReg and authCertDeletion requests`},
		{"old protocol", ct, mustEncode(withSOAP(parts, func(s string) string { return strings.Replace(s, ">4.0<", ">3.1<", 1) })),
			`Unsupported X-Road protocol version "3.1"; send 4.0`},
		{"client objectType wrong", ct, mustEncode(withSOAP(parts, func(s string) string {
			return strings.Replace(s, `<xroad:client id:objectType="MEMBER">`, `<xroad:client id:objectType="SUBSYSTEM">`, 1)
		})), `The SOAP message is malformed: the client identifier has objectType "SUBSYSTEM", expected MEMBER`},
		{"server objectType wrong", ct, mustEncode(withSOAP(parts, func(s string) string {
			return strings.Replace(s, `id:objectType="SERVER"`, `id:objectType="MEMBER"`, 1)
		})), `The authCertReg body is malformed: the server identifier has objectType "MEMBER", expected SERVER`},
		{"identifiers in the wrong namespace", ct, mustEncode(withSOAP(parts, func(s string) string {
			return strings.Replace(s, `xmlns:id="`+nsID+`"`, `xmlns:id="urn:other"`, 1)
		})), `The SOAP message is malformed: the client identifier has no xRoadInstance`},
		{"no authCertReg body", ct, mustEncode(withSOAP(parts, func(s string) string { return strings.ReplaceAll(s, "xroad:authCertReg>", "xroad:clientReg>") })),
			"The SOAP body has no authCertReg element"},
		{"authCert not base64", ct, mustEncode(withSOAP(parts, func(s string) string { return strings.Replace(s, "<xroad:authCert>", "<xroad:authCert>!", 1) })),
			"The authCertReg body is malformed: authCert is not valid base64: illegal base64 data at input byte 0"},
		{"dryRun not boolean", ct, mustEncode(withSOAP(parts, func(s string) string {
			return strings.Replace(s, "</xroad:authCertReg>", "<xroad:dryRun>maybe</xroad:dryRun></xroad:authCertReg>", 1)
		})), `The authCertReg body is malformed: dryRun "maybe" is not a boolean`},
		{"unknown transfer encoding", ct, mustEncode(withPart(parts, 3, mimePart{headers: []string{"Content-Type: application/octet-stream", "Content-Transfer-Encoding: quoted-printable"}, body: parts[3].body})),
			`Part 4: Content-Transfer-Encoding "quoted-printable" is not supported; send raw binary parts`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.contentType, c.body)
			assertXRoadError(t, err, xroad.CodeManagementRequestInvalidRequest, c.message)
		})
	}
}

func mustEncode(parts []mimePart) []byte {
	body, _ := encodeMultipart("b0undary", parts)
	return body
}

func TestDecodeAcceptsVariants(t *testing.T) {
	f := shared()
	parts := validParts(t)
	cases := []struct {
		name  string
		parts []mimePart
	}{
		{"as built", parts},
		{"canonical header case", withPart(parts, 1, mimePart{headers: []string{"content-type: application/octet-stream", "Signature-Algorithm-Id: " + signatureAlg(parts[1])}, body: parts[1].body})},
		{"base64 transfer encoding", withPart(parts, 4, mimePart{
			headers: []string{"Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64"},
			body:    []byte(base64.StdEncoding.EncodeToString(parts[4].body[:99]) + "\r\n" + base64.StdEncoding.EncodeToString(parts[4].body[99:])),
		})},
		{"xsd:base64Binary with line breaks", withSOAP(parts, func(s string) string {
			i := strings.Index(s, "<xroad:authCert>") + len("<xroad:authCert>")
			return s[:i+8] + "\n  " + s[i+8:]
		})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, ct := encodeMultipart("b0undary", c.parts)
			r, err := Decode(ct, body)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !bytes.Equal(r.OwnerCert, parts[4].body) || !bytes.Equal(r.Message.AuthCert, parts[3].body) {
				t.Error("certificates not decoded to the original bytes")
			}
			if !bytes.Equal(r.SOAP, c.parts[0].body) {
				t.Error("SOAP bytes not kept exactly")
			}
			if c.name != "xsd:base64Binary with line breaks" {
				if err := Verify(r, f.trust, testNow); err != nil {
					t.Errorf("Verify: %v", err)
				}
			}
		})
	}
}

func signatureAlg(p mimePart) string {
	_, alg, _ := strings.Cut(p.headers[1], ": ")
	return alg
}

func TestReadRequest(t *testing.T) {
	parts := validParts(t)
	body, ct := encodeMultipart("b0undary", parts)
	t.Run("ok", func(t *testing.T) {
		hr := httptest.NewRequest(http.MethodPost, "/managementservice/", bytes.NewReader(body))
		hr.Header.Set("Content-Type", ct)
		r, err := ReadRequest(hr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.SOAP, parts[0].body) {
			t.Error("SOAP differs")
		}
	})
	t.Run("oversized", func(t *testing.T) {
		hr := httptest.NewRequest(http.MethodPost, "/managementservice/", bytes.NewReader(make([]byte, MaxRequestSize+10)))
		hr.Header.Set("Content-Type", ct)
		_, err := ReadRequest(hr)
		assertXRoadError(t, err, xroad.CodeManagementRequestInvalidRequest, "The request is larger than 1048576 bytes")
	})
}
