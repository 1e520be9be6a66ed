package mgmtreq

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/roadreg/roadreg/internal/xroad"
)

// maxParts is the number of parts of an authCertReg request (an
// authCertDeletion has four).
const maxParts = 6

func invalidRequest(format string, args ...any) *xroad.Error {
	return xroad.Errorf(xroad.CodeManagementRequestInvalidRequest, format, args...)
}

func missingPart(message string) *xroad.Error {
	return xroad.Errorf(xroad.CodeManagementRequestMissingPart, "%s", message)
}

// ReadRequest reads and decodes the body of an HTTP request to the management
// service, refusing bodies larger than MaxRequestSize.
func ReadRequest(hr *http.Request) (*Request, error) {
	body, err := io.ReadAll(io.LimitReader(hr.Body, MaxRequestSize+1))
	if err != nil {
		return nil, invalidRequest("Reading the request body failed").Wrap(err)
	}
	return Decode(hr.Header.Get("Content-Type"), body)
}

// Decode parses a management request body: authCertReg or
// authCertDeletion, as the SOAP message's service code says. contentType is
// the HTTP Content-Type (multipart/related with a boundary; a bare text/xml
// SOAP message is read as a request whose other parts are missing). Parts
// are taken by position, as X-Road does. A missing or empty part gives the
// MANAGEMENT_REQUEST_MISSING_PART error with X-Road's message for the first
// one missing ("Auth signature is missing", …); anything malformed gives
// MANAGEMENT_REQUEST_INVALID_REQUEST.
func Decode(contentType string, body []byte) (*Request, error) {
	if len(body) > MaxRequestSize {
		return nil, invalidRequest("The request is larger than %d bytes", MaxRequestSize)
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, invalidRequest("Content-Type %q is not a valid media type; send multipart/related", contentType)
	}
	var parts []decodedPart
	switch mediaType {
	case "multipart/related":
		if parts, err = readParts(body, params["boundary"]); err != nil {
			return nil, err
		}
	case "text/xml":
		parts = []decodedPart{{contentType: mediaType, body: body}}
	default:
		return nil, invalidRequest("Content-Type %s is not supported; send multipart/related", mediaType)
	}
	if len(parts) == 0 || parts[0].contentType != "text/xml" {
		return nil, missingPart("Request contains no SOAP message")
	}
	r := &Request{SOAP: parts[0].body}
	if r.Kind, r.Message, r.ProtocolVersion, err = parseRequestSOAP(r.SOAP); err != nil {
		return nil, err
	}
	at := func(i int) decodedPart {
		if i < len(parts) {
			return parts[i]
		}
		return decodedPart{}
	}
	type required struct {
		present bool
		message string
	}
	var checks []required
	if r.Kind == ServiceCodeDeletion {
		if len(parts) > 4 {
			return nil, invalidRequest("An %s request has 4 parts, this one has %d", ServiceCodeDeletion, len(parts))
		}
		r.OwnerSigAlg, r.OwnerSig = at(1).sigAlg, at(1).body
		r.OwnerCert, r.OwnerOCSP = at(2).body, at(3).body
	} else {
		r.AuthSigAlg, r.AuthSig = at(1).sigAlg, at(1).body
		r.OwnerSigAlg, r.OwnerSig = at(2).sigAlg, at(2).body
		r.AuthCert, r.OwnerCert, r.OwnerOCSP = at(3).body, at(4).body, at(5).body
		checks = []required{
			{r.AuthSigAlg != "", "Auth signature algorithm id is missing"},
			{len(r.AuthSig) > 0, "Auth signature is missing"},
		}
	}
	checks = append(checks,
		required{r.OwnerSigAlg != "", "Owner signature algorithm id is missing"},
		required{len(r.OwnerSig) > 0, "Owner signature is missing"},
	)
	if r.Kind == ServiceCode {
		checks = append(checks, required{len(r.AuthCert) > 0, "Auth certificate is missing"})
	}
	checks = append(checks,
		required{len(r.OwnerCert) > 0, "Owner certificate is missing"},
		required{len(r.OwnerOCSP) > 0, "Owner certificate OCSP is missing"},
	)
	for _, c := range checks {
		if !c.present {
			return nil, missingPart(c.message)
		}
	}
	return r, nil
}

// decodedPart is one part of a received multipart body.
type decodedPart struct {
	contentType string // media type, lower case
	sigAlg      string // signature-algorithm-id header
	body        []byte
}

// readParts splits a multipart body. Bodies are kept byte-exact unless the
// part declares a base64 Content-Transfer-Encoding.
func readParts(body []byte, boundary string) ([]decodedPart, error) {
	if boundary == "" {
		return nil, invalidRequest("The multipart Content-Type has no boundary parameter")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var parts []decodedPart
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return parts, nil
		}
		if err != nil {
			return nil, invalidRequest("The multipart body is malformed: %v", err)
		}
		if len(parts) == maxParts {
			return nil, invalidRequest("The request has more than %d parts", maxParts)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, invalidRequest("The multipart body is malformed: %v", err)
		}
		if data, err = decodeTransfer(p.Header.Get("Content-Transfer-Encoding"), data); err != nil {
			return nil, invalidRequest("Part %d: %v", len(parts)+1, err)
		}
		mediaType, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		parts = append(parts, decodedPart{
			contentType: mediaType,
			sigAlg:      strings.TrimSpace(p.Header.Get("Signature-Algorithm-Id")),
			body:        data,
		})
	}
}

func decodeTransfer(encoding string, data []byte) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "binary", "8bit", "7bit":
		return data, nil
	case "base64":
		return decodeBase64(string(data))
	}
	return nil, fmt.Errorf("Content-Transfer-Encoding %q is not supported; send raw binary parts", encoding)
}

// parseRequestSOAP reads the SOAP part of a management request and returns
// its kind (service code).
func parseRequestSOAP(soap []byte) (string, AuthCertReg, string, error) {
	env, err := parseEnvelope(soap)
	if err != nil {
		return "", AuthCertReg{}, "", invalidRequest("The SOAP message is malformed: %v", err)
	}
	h, err := parseHeader(env)
	if err != nil {
		return "", AuthCertReg{}, "", invalidRequest("The SOAP message is malformed: %v", err)
	}
	if !strings.HasPrefix(h.ProtocolVersion, "4.") {
		return "", AuthCertReg{}, "", invalidRequest("Unsupported X-Road protocol version %q; send %s", h.ProtocolVersion, ProtocolVersion)
	}
	kind := h.Service.ServiceCode
	var m AuthCertReg
	switch {
	case kind == ServiceCode && env.Body.AuthCertReg != nil:
		m, err = authCertRegFields(env.Body.AuthCertReg)
	case kind == ServiceCodeDeletion && env.Body.AuthCertDeletion != nil:
		m, err = authCertDeletionFields(env.Body.AuthCertDeletion)
	case kind == ServiceCode || kind == ServiceCodeDeletion:
		return "", AuthCertReg{}, "", invalidRequest("The SOAP body has no %s element", kind)
	default:
		return "", AuthCertReg{}, "", invalidRequest("Unsupported management service %q: this endpoint accepts only %s and %s requests",
			kind, ServiceCode, ServiceCodeDeletion)
	}
	if err != nil {
		return "", AuthCertReg{}, "", invalidRequest("The %s body is malformed: %v", kind, err)
	}
	m.Client, m.Service, m.ID = h.Client, h.Service, h.ID
	return kind, m, h.ProtocolVersion, nil
}
