package mgmtreq

import (
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/roadreg/roadreg/internal/xroad"
)

// EncodeResponse answers a verified request with X-Road's response of its
// kind: the request's header (plus requestHash, the SHA-512 of the request's
// SOAP bytes) and its body — authCertRegResponse with server, address,
// authCert and dryRun, or authCertDeletionResponse with server and authCert
// — with requestId added. Serve it with ResponseContentType and HTTP 200.
func EncodeResponse(r *Request, requestID int) ([]byte, error) {
	if r == nil {
		return nil, xroad.Errorf(xroad.CodeInternal, "No request to answer")
	}
	m := r.Message
	h := soapHeader{
		Client:          m.Client,
		Service:         m.Service,
		ID:              m.ID,
		ProtocolVersion: r.ProtocolVersion,
		RequestHash:     requestHash(r.SOAP),
	}
	if r.Kind == ServiceCodeDeletion {
		return envelope(&h, func(w *xmlWriter) {
			w.authCertDeletionBody("xroad:authCertDeletionResponse", m.Server, m.AuthCert, &requestID)
		}), nil
	}
	return envelope(&h, func(w *xmlWriter) { w.authCertRegBody("xroad:authCertRegResponse", m, &requestID) }), nil
}

func requestHash(soap []byte) string {
	sum := sha512.Sum512(soap)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// internalFaultMessage replaces the text of errors that are not *xroad.Error.
const internalFaultMessage = "Internal error in the central server; the administrator can find the details in its log"

// EncodeFault turns err into a SOAP 1.1 fault: faultstring is the message of
// an *xroad.Error and the detail carries its code and metadata (in namespace
// urn:roadreg:fault). Any other error becomes code INTERNAL with a generic
// message: its text is never sent. faultcode is SOAP-ENV:Server for internal
// and configuration problems, SOAP-ENV:Client otherwise. Serve faults with
// ResponseContentType and HTTP 500, as SOAP 1.1 over HTTP asks.
func EncodeFault(err error) []byte {
	code, message, metadata := xroad.CodeInternal, internalFaultMessage, []string(nil)
	var xe *xroad.Error
	if errors.As(err, &xe) {
		code, message, metadata = xe.Code, xe.Message, xe.Metadata
	}
	faultCode := "SOAP-ENV:Client"
	if code == xroad.CodeInternal || code == xroad.CodeManagementRequestGlobalConfOutdated {
		faultCode = "SOAP-ENV:Server"
	}
	return envelope(nil, func(w *xmlWriter) {
		w.WriteString("<SOAP-ENV:Fault>")
		w.elem("faultcode", faultCode)
		w.elem("faultstring", message)
		w.WriteString(`<detail><rr:code xmlns:rr="` + nsFault + `">`)
		w.text(code)
		w.WriteString("</rr:code>")
		for _, md := range metadata {
			w.WriteString(`<rr:metadata xmlns:rr="` + nsFault + `">`)
			w.text(md)
			w.WriteString("</rr:metadata>")
		}
		w.WriteString("</detail></SOAP-ENV:Fault>")
	})
}

// response is a decoded answer of the central server.
type response struct {
	kind      string // service code of the request answered
	header    soapHeader
	message   AuthCertReg
	requestID int
}

// DecodeResponse reads the central server's answer to a management request
// (authCertRegResponse or authCertDeletionResponse) and returns the request
// id it assigned. A SOAP fault becomes an
// *xroad.Error whose message is the faultstring and whose code comes from the
// fault detail (REGISTRATION_FAILED when the detail has none, as with X-Road's
// own central server); an unreadable answer gives
// MANAGEMENT_REQUEST_SEND_FAILED.
func DecodeResponse(body []byte) (requestID int, err error) {
	resp, err := decodeResponse(body)
	if err != nil {
		return 0, err
	}
	return resp.requestID, nil
}

func badResponse(format string, args ...any) *xroad.Error {
	return xroad.Errorf(xroad.CodeManagementRequestSendFailed,
		"The central server sent an answer that is not a management service response (%s); check the management service address in the global configuration",
		fmt.Sprintf(format, args...))
}

func decodeResponse(body []byte) (*response, error) {
	if len(body) > MaxResponseSize {
		return nil, badResponse("larger than %d bytes", MaxResponseSize)
	}
	env, err := parseEnvelope(body)
	if err != nil {
		return nil, badResponse("malformed SOAP: %v", err)
	}
	if f := env.Body.Fault; f != nil {
		return nil, faultError(f)
	}
	var (
		m         AuthCertReg
		kind      string
		requestID *string
	)
	switch b := env.Body; {
	case b.AuthCertRegResponse != nil:
		m, err = authCertRegFields(b.AuthCertRegResponse)
		kind, requestID = ServiceCode, b.AuthCertRegResponse.RequestID
	case b.AuthCertDeletionResponse != nil:
		m, err = authCertDeletionFields(b.AuthCertDeletionResponse)
		kind, requestID = ServiceCodeDeletion, b.AuthCertDeletionResponse.RequestID
	default:
		return nil, badResponse("no authCertRegResponse or authCertDeletionResponse element")
	}
	if err != nil {
		return nil, badResponse("%v", err)
	}
	h, err := parseHeader(env)
	if err != nil {
		return nil, badResponse("%v", err)
	}
	if requestID == nil {
		return nil, badResponse("no requestId")
	}
	id, err := strconv.Atoi(strings.TrimSpace(*requestID))
	if err != nil {
		return nil, badResponse("requestId %q is not an integer", *requestID)
	}
	m.Client, m.Service, m.ID = h.Client, h.Service, h.ID
	return &response{kind: kind, header: h, message: m, requestID: id}, nil
}

// codePattern is what an error code from a fault detail must look like.
var codePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,79}$`)

// maxFaultText bounds fault texts taken over from the central server.
const maxFaultText = 1000

func faultError(f *xmlFault) *xroad.Error {
	message := clip(strings.TrimSpace(f.String))
	if message == "" {
		message = "The central server refused the request without giving a reason (fault code " + clip(f.Code) + ")"
	}
	e := xroad.Errorf(xroad.CodeRegistrationFailed, "%s", message)
	if f.Detail != nil {
		if code := strings.TrimSpace(f.Detail.Code); codePattern.MatchString(code) {
			e.Code = code
		}
		for _, md := range f.Detail.Metadata {
			e.Metadata = append(e.Metadata, clip(md))
		}
	}
	return e
}

// clip shortens s to maxFaultText bytes without splitting a character.
func clip(s string) string {
	if len(s) <= maxFaultText {
		return s
	}
	s = s[:maxFaultText]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}
