package mgmtreq

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/roadreg/roadreg/internal/xroad"
)

// XML namespaces of X-Road's SOAP messages.
const (
	nsSOAP  = "http://schemas.xmlsoap.org/soap/envelope/"
	nsXRoad = "http://x-road.eu/xsd/xroad.xsd"
	nsID    = "http://x-road.eu/xsd/identifiers"
	// nsFault is Roadreg's namespace for the error code in a fault's detail.
	nsFault = "urn:roadreg:fault"
)

// xmlDecl is the XML declaration exactly as X-Road writes it.
const xmlDecl = `<?xml version="1.0" encoding="utf-8" ?>`

// requestHashAlgorithm is the algorithmId of a response's requestHash
// (SHA-512 of the request's SOAP bytes).
const requestHashAlgorithm = "http://www.w3.org/2001/04/xmlenc#sha512"

// soapHeader holds the X-Road header fields of a management message.
type soapHeader struct {
	Client          xroad.ClientID
	Service         xroad.ServiceID
	ID              string
	ProtocolVersion string
	// RequestHash is the base64 SHA-512 of the request SOAP (responses only).
	RequestHash string
}

// xmlWriter writes X-Road's SOAP with the fixed prefixes SOAP-ENV, xroad and id.
type xmlWriter struct{ bytes.Buffer }

func (w *xmlWriter) text(s string) { _ = xml.EscapeText(w, []byte(s)) }

func (w *xmlWriter) elem(name, value string) {
	w.WriteString("<" + name + ">")
	w.text(value)
	w.WriteString("</" + name + ">")
}

func (w *xmlWriter) open(name string, t xroad.ObjectType) {
	w.WriteString("<" + name + ` id:objectType="` + string(t) + `">`)
}

func (w *xmlWriter) memberParts(c xroad.ClientID) {
	w.elem("id:xRoadInstance", c.Instance)
	w.elem("id:memberClass", c.MemberClass)
	w.elem("id:memberCode", c.MemberCode)
	if c.SubsystemCode != "" {
		w.elem("id:subsystemCode", c.SubsystemCode)
	}
}

func (w *xmlWriter) clientID(name string, c xroad.ClientID) {
	w.open(name, c.ObjectType())
	w.memberParts(c)
	w.WriteString("</" + name + ">")
}

func (w *xmlWriter) serviceID(name string, s xroad.ServiceID) {
	w.open(name, xroad.ObjectService)
	w.memberParts(s.Client)
	w.elem("id:serviceCode", s.ServiceCode)
	if s.Version != "" {
		w.elem("id:serviceVersion", s.Version)
	}
	w.WriteString("</" + name + ">")
}

func (w *xmlWriter) serverID(name string, s xroad.ServerID) {
	w.open(name, xroad.ObjectServer)
	w.memberParts(s.Owner.Member())
	w.elem("id:serverCode", s.ServerCode)
	w.WriteString("</" + name + ">")
}

// envelope writes a whole SOAP message; h may be nil (faults have no header).
func envelope(h *soapHeader, body func(w *xmlWriter)) []byte {
	var w xmlWriter
	w.WriteString(xmlDecl)
	w.WriteString(`<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + nsSOAP + `" xmlns:id="` + nsID + `" xmlns:xroad="` + nsXRoad + `">`)
	if h != nil {
		w.WriteString("<SOAP-ENV:Header>")
		w.clientID("xroad:client", h.Client)
		w.serviceID("xroad:service", h.Service)
		w.elem("xroad:id", h.ID)
		w.elem("xroad:protocolVersion", h.ProtocolVersion)
		if h.RequestHash != "" {
			w.WriteString(`<xroad:requestHash algorithmId="` + requestHashAlgorithm + `">`)
			w.text(h.RequestHash)
			w.WriteString("</xroad:requestHash>")
		}
		w.WriteString("</SOAP-ENV:Header>")
	}
	w.WriteString("<SOAP-ENV:Body>")
	body(&w)
	w.WriteString("</SOAP-ENV:Body></SOAP-ENV:Envelope>")
	return w.Bytes()
}

// authCertRegBody writes an authCertReg (or authCertRegResponse) element;
// requestID is written when not nil.
func (w *xmlWriter) authCertRegBody(name string, m AuthCertReg, requestID *int) {
	w.WriteString("<" + name + ">")
	w.serverID("xroad:server", m.Server)
	if m.Address != "" {
		w.elem("xroad:address", m.Address)
	}
	w.elem("xroad:authCert", base64.StdEncoding.EncodeToString(m.AuthCert))
	if m.DryRun {
		w.elem("xroad:dryRun", "true")
	}
	if requestID != nil {
		w.elem("xroad:requestId", strconv.Itoa(*requestID))
	}
	w.WriteString("</" + name + ">")
}

// authCertDeletionBody writes an authCertDeletion (or
// authCertDeletionResponse) element: server and authCert, and requestId
// when not nil.
func (w *xmlWriter) authCertDeletionBody(name string, server xroad.ServerID, authCert []byte, requestID *int) {
	w.WriteString("<" + name + ">")
	w.serverID("xroad:server", server)
	w.elem("xroad:authCert", base64.StdEncoding.EncodeToString(authCert))
	if requestID != nil {
		w.elem("xroad:requestId", strconv.Itoa(*requestID))
	}
	w.WriteString("</" + name + ">")
}

// requestSOAP renders the SOAP part of an authCertReg request.
func requestSOAP(m AuthCertReg) []byte {
	h := soapHeader{Client: m.Client, Service: m.Service, ID: m.ID, ProtocolVersion: ProtocolVersion}
	return envelope(&h, func(w *xmlWriter) { w.authCertRegBody("xroad:authCertReg", m, nil) })
}

// deletionSOAP renders the SOAP part of an authCertDeletion request.
func deletionSOAP(m AuthCertDeletion) []byte {
	h := soapHeader{Client: m.Client, Service: m.Service, ID: m.ID, ProtocolVersion: ProtocolVersion}
	return envelope(&h, func(w *xmlWriter) { w.authCertDeletionBody("xroad:authCertDeletion", m.Server, m.AuthCert, nil) })
}

// The types below are what encoding/xml reads. Element names are matched with
// their namespaces, so an element in the wrong namespace counts as absent.

type xmlIdentifier struct {
	ObjectType     string `xml:"http://x-road.eu/xsd/identifiers objectType,attr"`
	Instance       string `xml:"http://x-road.eu/xsd/identifiers xRoadInstance"`
	MemberClass    string `xml:"http://x-road.eu/xsd/identifiers memberClass"`
	MemberCode     string `xml:"http://x-road.eu/xsd/identifiers memberCode"`
	SubsystemCode  string `xml:"http://x-road.eu/xsd/identifiers subsystemCode"`
	ServiceCode    string `xml:"http://x-road.eu/xsd/identifiers serviceCode"`
	ServiceVersion string `xml:"http://x-road.eu/xsd/identifiers serviceVersion"`
	ServerCode     string `xml:"http://x-road.eu/xsd/identifiers serverCode"`
}

type xmlRequestHash struct {
	AlgorithmID string `xml:"algorithmId,attr"`
	Value       string `xml:",chardata"`
}

type xmlHeader struct {
	Client          *xmlIdentifier  `xml:"http://x-road.eu/xsd/xroad.xsd client"`
	Service         *xmlIdentifier  `xml:"http://x-road.eu/xsd/xroad.xsd service"`
	ID              string          `xml:"http://x-road.eu/xsd/xroad.xsd id"`
	ProtocolVersion string          `xml:"http://x-road.eu/xsd/xroad.xsd protocolVersion"`
	RequestHash     *xmlRequestHash `xml:"http://x-road.eu/xsd/xroad.xsd requestHash"`
}

type xmlAuthCertReg struct {
	Server    *xmlIdentifier `xml:"http://x-road.eu/xsd/xroad.xsd server"`
	Address   string         `xml:"http://x-road.eu/xsd/xroad.xsd address"`
	AuthCert  string         `xml:"http://x-road.eu/xsd/xroad.xsd authCert"`
	DryRun    string         `xml:"http://x-road.eu/xsd/xroad.xsd dryRun"`
	RequestID *string        `xml:"http://x-road.eu/xsd/xroad.xsd requestId"`
}

type xmlAuthCertDeletion struct {
	Server    *xmlIdentifier `xml:"http://x-road.eu/xsd/xroad.xsd server"`
	AuthCert  string         `xml:"http://x-road.eu/xsd/xroad.xsd authCert"`
	RequestID *string        `xml:"http://x-road.eu/xsd/xroad.xsd requestId"`
}

type xmlFaultDetail struct {
	Code     string   `xml:"urn:roadreg:fault code"`
	Metadata []string `xml:"urn:roadreg:fault metadata"`
}

// xmlFault is a SOAP 1.1 fault; its children are unqualified.
type xmlFault struct {
	Code   string          `xml:"faultcode"`
	String string          `xml:"faultstring"`
	Detail *xmlFaultDetail `xml:"detail"`
}

type xmlBody struct {
	AuthCertReg              *xmlAuthCertReg      `xml:"http://x-road.eu/xsd/xroad.xsd authCertReg"`
	AuthCertRegResponse      *xmlAuthCertReg      `xml:"http://x-road.eu/xsd/xroad.xsd authCertRegResponse"`
	AuthCertDeletion         *xmlAuthCertDeletion `xml:"http://x-road.eu/xsd/xroad.xsd authCertDeletion"`
	AuthCertDeletionResponse *xmlAuthCertDeletion `xml:"http://x-road.eu/xsd/xroad.xsd authCertDeletionResponse"`
	Fault                    *xmlFault            `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault"`
}

type xmlEnvelope struct {
	XMLName xml.Name   `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Header  *xmlHeader `xml:"http://schemas.xmlsoap.org/soap/envelope/ Header"`
	Body    *xmlBody   `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

var errDirective = errors.New("document type declarations are not allowed")

// noDirectives feeds a decoder raw tokens and refuses DOCTYPE and other
// <!…> directives, so no entity can be declared.
type noDirectives struct{ d *xml.Decoder }

func (n noDirectives) Token() (xml.Token, error) {
	t, err := n.d.RawToken()
	if _, ok := t.(xml.Directive); ok {
		return nil, errDirective
	}
	return t, err
}

// parseEnvelope parses a SOAP 1.1 envelope. The caller bounds the size.
func parseEnvelope(data []byte) (*xmlEnvelope, error) {
	raw := xml.NewDecoder(bytes.NewReader(data))
	var env xmlEnvelope
	if err := xml.NewTokenDecoder(noDirectives{raw}).Decode(&env); err != nil {
		return nil, err
	}
	if env.Body == nil {
		return nil, errors.New("the SOAP envelope has no Body")
	}
	return &env, nil
}

// parseHeader converts the X-Road header of env.
func parseHeader(env *xmlEnvelope) (soapHeader, error) {
	h := env.Header
	if h == nil {
		return soapHeader{}, errors.New("the SOAP message has no Header")
	}
	client, err := clientID(h.Client, "client")
	if err != nil {
		return soapHeader{}, err
	}
	service, err := serviceID(h.Service)
	if err != nil {
		return soapHeader{}, err
	}
	if h.ID == "" {
		return soapHeader{}, errors.New("the SOAP header has no message id")
	}
	out := soapHeader{Client: client, Service: service, ID: h.ID, ProtocolVersion: h.ProtocolVersion}
	if h.RequestHash != nil {
		out.RequestHash = strings.TrimSpace(h.RequestHash.Value)
	}
	return out, nil
}

func requireParts(x *xmlIdentifier, what string, withMember bool) error {
	if x.Instance == "" {
		return fmt.Errorf("the %s identifier has no xRoadInstance", what)
	}
	if withMember && (x.MemberClass == "" || x.MemberCode == "") {
		return fmt.Errorf("the %s identifier needs memberClass and memberCode", what)
	}
	return nil
}

// clientID converts a MEMBER or SUBSYSTEM identifier.
func clientID(x *xmlIdentifier, what string) (xroad.ClientID, error) {
	if x == nil {
		return xroad.ClientID{}, fmt.Errorf("the SOAP header has no %s", what)
	}
	if err := requireParts(x, what, true); err != nil {
		return xroad.ClientID{}, err
	}
	id := xroad.ClientID{Instance: x.Instance, MemberClass: x.MemberClass, MemberCode: x.MemberCode, SubsystemCode: x.SubsystemCode}
	if xroad.ObjectType(x.ObjectType) != id.ObjectType() {
		return xroad.ClientID{}, fmt.Errorf("the %s identifier has objectType %q, expected %s", what, x.ObjectType, id.ObjectType())
	}
	return id, nil
}

// serviceID converts a SERVICE identifier.
func serviceID(x *xmlIdentifier) (xroad.ServiceID, error) {
	if x == nil {
		return xroad.ServiceID{}, errors.New("the SOAP header has no service")
	}
	if xroad.ObjectType(x.ObjectType) != xroad.ObjectService {
		return xroad.ServiceID{}, fmt.Errorf("the service identifier has objectType %q, expected SERVICE", x.ObjectType)
	}
	if err := requireParts(x, "service", true); err != nil {
		return xroad.ServiceID{}, err
	}
	if x.ServiceCode == "" {
		return xroad.ServiceID{}, errors.New("the service identifier has no serviceCode")
	}
	return xroad.ServiceID{
		Client:      xroad.ClientID{Instance: x.Instance, MemberClass: x.MemberClass, MemberCode: x.MemberCode, SubsystemCode: x.SubsystemCode},
		ServiceCode: x.ServiceCode,
		Version:     x.ServiceVersion,
	}, nil
}

// serverID converts a SERVER identifier. Its parts are checked later (check 9).
func serverID(x *xmlIdentifier) (xroad.ServerID, error) {
	if x == nil {
		return xroad.ServerID{}, errors.New("the body has no server")
	}
	if xroad.ObjectType(x.ObjectType) != xroad.ObjectServer {
		return xroad.ServerID{}, fmt.Errorf("the server identifier has objectType %q, expected SERVER", x.ObjectType)
	}
	return xroad.ServerID{
		Owner:      xroad.ClientID{Instance: x.Instance, MemberClass: x.MemberClass, MemberCode: x.MemberCode},
		ServerCode: x.ServerCode,
	}, nil
}

// authCertRegFields converts the body fields shared by request and response.
func authCertRegFields(x *xmlAuthCertReg) (AuthCertReg, error) {
	server, err := serverID(x.Server)
	if err != nil {
		return AuthCertReg{}, err
	}
	cert, err := decodeBase64(x.AuthCert)
	if err != nil {
		return AuthCertReg{}, fmt.Errorf("authCert is not valid base64: %w", err)
	}
	dryRun, err := parseBoolean(x.DryRun)
	if err != nil {
		return AuthCertReg{}, err
	}
	return AuthCertReg{Server: server, Address: x.Address, AuthCert: cert, DryRun: dryRun}, nil
}

// authCertDeletionFields converts the body fields shared by a deletion
// request and its response.
func authCertDeletionFields(x *xmlAuthCertDeletion) (AuthCertReg, error) {
	server, err := serverID(x.Server)
	if err != nil {
		return AuthCertReg{}, err
	}
	cert, err := decodeBase64(x.AuthCert)
	if err != nil {
		return AuthCertReg{}, fmt.Errorf("authCert is not valid base64: %w", err)
	}
	return AuthCertReg{Server: server, AuthCert: cert}, nil
}

// decodeBase64 decodes xsd:base64Binary, which may contain white space.
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(s)
}

// parseBoolean parses xsd:boolean; empty means the schema default, false.
func parseBoolean(s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, fmt.Errorf("dryRun %q is not a boolean", s)
}
