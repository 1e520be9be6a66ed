package globalconf

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/roadreg/roadreg/internal/xroad"
)

// SharedParameters is X-Road's shared-parameters file, schema version 6
// (globalconf/v6/shared-parameters.xsd): what every security server of the
// instance, and of federated instances, knows about it.
//
// Member and subsystem XML ids and the IDREFs that point at them are not part
// of the model: MarshalSharedParameters assigns ids, ParseSharedParameters
// resolves references into identifiers.
type SharedParameters struct {
	InstanceIdentifier string
	// Sources lists the configuration sources and their signing (verification)
	// certificates, including rotated keys. At least one is required.
	Sources         []ConfigurationSource
	ApprovedCAs     []ApprovedCA
	ApprovedTSAs    []ApprovedTSA
	Members         []Member
	SecurityServers []SecurityServer
	GlobalGroups    []GlobalGroup
	CentralServices []CentralService
	GlobalSettings  GlobalSettings
}

// ConfigurationSource is one central server publishing this configuration.
type ConfigurationSource struct {
	Address                   string
	InternalVerificationCerts []*x509.Certificate
	ExternalVerificationCerts []*x509.Certificate
}

// ApprovedCA is a certification authority approved for the instance.
type ApprovedCA struct {
	Name string
	// AuthenticationOnly: certificates of this CA may be used for TLS
	// authentication only, not for signing.
	AuthenticationOnly bool
	TopCA              CAInfo
	IntermediateCAs    []CAInfo
	// CertificateProfileInfo is X-Road's profile class name, e.g.
	// ee.ria.xroad.common.certificateprofile.impl.FiVRKCertificateProfileInfoProvider.
	CertificateProfileInfo string
	// DefaultCSRFormat is "", "PEM" or "DER".
	DefaultCSRFormat string
	ACMEServer       *ACMEServer
}

// CAInfo is a CA certificate and the OCSP responders for what it issues.
type CAInfo struct {
	Cert *x509.Certificate
	OCSP []OCSPInfo
}

// OCSPInfo is an OCSP responder.
type OCSPInfo struct {
	URL string
	// Cert is the responder's signing certificate, when the CA does not sign
	// responses itself (may be nil).
	Cert     *x509.Certificate
	CostType CostType
}

// CostType says whether an OCSP or timestamping service is paid for ("" = not stated).
type CostType string

// Cost types of schema v6.
const (
	CostFree      CostType = "FREE"
	CostPaid      CostType = "PAID"
	CostUndefined CostType = "UNDEFINED"
)

// ACMEServer holds a CA's ACME settings: with them security servers order
// the CA's certificates with ACME.
type ACMEServer struct {
	DirectoryURL                       string
	IPAddress                          string
	AuthenticationCertificateProfileID string
	SigningCertificateProfileID        string
}

// ApprovedTSA is an approved timestamping authority.
type ApprovedTSA struct {
	Name     string
	URL      string
	Cert     *x509.Certificate
	CostType CostType
}

// Member is a registered X-Road member; its identifier is
// INSTANCE/Class.Code/Code (see SharedParameters.MemberID).
type Member struct {
	Class      MemberClass
	Code       string
	Name       string
	Subsystems []Subsystem
}

// Subsystem is a registered subsystem of a member.
type Subsystem struct {
	Code string
	Name string // optional
}

// MemberClass is a member class code and its description.
type MemberClass struct {
	Code        string
	Description string
}

// SecurityServer is a registered security server.
type SecurityServer struct {
	ID      xroad.ServerID
	Address string
	// AuthCertHashes are SHA-256 hashes of the DER of the server's registered
	// authentication certificates (see AuthCertHash).
	AuthCertHashes [][]byte
	// Clients are the members and subsystems registered on the server.
	Clients         []xroad.ClientID
	MaintenanceMode *MaintenanceMode
}

// MaintenanceMode marks a server as in maintenance.
type MaintenanceMode struct{ Message string }

// GlobalGroup is a global group, e.g. security-server-owners.
type GlobalGroup struct {
	Code        string
	Description string
	Members     []xroad.ClientID
}

// CentralService is a central service and the service implementing it.
type CentralService struct {
	ServiceCode         string
	ImplementingService *xroad.ServiceID
}

// GlobalSettings holds instance-wide settings.
type GlobalSettings struct {
	MemberClasses        []MemberClass
	OCSPFreshnessSeconds int
}

// Wire types, in the element order of the v6 schema.

type sharedXML struct {
	Instance        string              `xml:"instanceIdentifier"`
	Sources         []sourceXML         `xml:"source"`
	CAs             []approvedCAXML     `xml:"approvedCA"`
	TSAs            []tsaXML            `xml:"approvedTSA"`
	Members         []memberXML         `xml:"member"`
	Servers         []serverXML         `xml:"securityServer"`
	Groups          []groupXML          `xml:"globalGroup"`
	CentralServices []centralServiceXML `xml:"centralService"`
	Settings        globalSettingsXML   `xml:"globalSettings"`
}

type sourceXML struct {
	Address  string   `xml:"address"`
	Internal []string `xml:"internalVerificationCert"`
	External []string `xml:"externalVerificationCert"`
}

type approvedCAXML struct {
	Name         string      `xml:"name"`
	AuthOnly     *bool       `xml:"authenticationOnly"`
	TopCA        caInfoXML   `xml:"topCA"`
	Intermediate []caInfoXML `xml:"intermediateCA"`
	ProfileInfo  string      `xml:"certificateProfileInfo"`
	CSRFormat    string      `xml:"defaultCsrFormat,omitempty"`
	ACME         *acmeXML    `xml:"acmeServer"`
}

type caInfoXML struct {
	Cert string    `xml:"cert"`
	OCSP []ocspXML `xml:"ocsp"`
}

type ocspXML struct {
	URL      string `xml:"url"`
	Cert     string `xml:"cert,omitempty"`
	CostType string `xml:"costType,omitempty"`
}

type acmeXML struct {
	DirectoryURL  string `xml:"directoryURL"`
	IPAddress     string `xml:"ipAddress,omitempty"`
	AuthProfileID string `xml:"authenticationCertificateProfileId,omitempty"`
	SignProfileID string `xml:"signingCertificateProfileId,omitempty"`
}

type tsaXML struct {
	Name     string `xml:"name"`
	URL      string `xml:"url"`
	Cert     string `xml:"cert"`
	CostType string `xml:"costType,omitempty"`
}

type memberClassXML struct {
	Code        string `xml:"code"`
	Description string `xml:"description"`
}

type memberXML struct {
	ID         string         `xml:"id,attr,omitempty"`
	Class      memberClassXML `xml:"memberClass"`
	Code       string         `xml:"memberCode"`
	Name       string         `xml:"name"`
	Subsystems []subsystemXML `xml:"subsystem"`
}

type subsystemXML struct {
	ID   string `xml:"id,attr,omitempty"`
	Code string `xml:"subsystemCode"`
	Name string `xml:"subsystemName,omitempty"`
}

type serverXML struct {
	Owner       string          `xml:"owner"`
	Code        string          `xml:"serverCode"`
	Address     string          `xml:"address,omitempty"`
	AuthCerts   []string        `xml:"authCertHash"`
	Clients     []string        `xml:"client"`
	Maintenance *maintenanceXML `xml:"inMaintenanceMode"`
}

type maintenanceXML struct {
	Message string `xml:"message,omitempty"`
}

type groupXML struct {
	Code        string          `xml:"groupCode"`
	Description string          `xml:"description"`
	Members     []identifierXML `xml:"groupMember"`
}

type centralServiceXML struct {
	Code           string         `xml:"serviceCode"`
	Implementation *identifierXML `xml:"implementingService"`
}

type globalSettingsXML struct {
	Classes       []memberClassXML `xml:"memberClass"`
	OCSPFreshness int              `xml:"ocspFreshnessSeconds"`
}

// MarshalSharedParameters writes p as a shared-parameters v6 document.
// Members and subsystems get XML ids (id0, id1, …) in document order; every
// security-server owner and client must be one of p.Members or their
// subsystems.
func MarshalSharedParameters(p *SharedParameters) ([]byte, error) {
	if p == nil || p.InstanceIdentifier == "" {
		return nil, errors.New("shared parameters need an instance identifier")
	}
	if len(p.Sources) == 0 {
		return nil, errors.New("shared parameters need at least one configuration source")
	}
	w := sharedXML{Instance: p.InstanceIdentifier}
	for _, s := range p.Sources {
		w.Sources = append(w.Sources, sourceXML{Address: s.Address, Internal: certTexts(s.InternalVerificationCerts), External: certTexts(s.ExternalVerificationCerts)})
	}
	for _, ca := range p.ApprovedCAs {
		x, err := approvedCAToXML(ca)
		if err != nil {
			return nil, err
		}
		w.CAs = append(w.CAs, x)
	}
	for _, t := range p.ApprovedTSAs {
		if t.Cert == nil {
			return nil, fmt.Errorf("approved TSA %q has no certificate", t.Name)
		}
		w.TSAs = append(w.TSAs, tsaXML{Name: t.Name, URL: t.URL, Cert: certText(t.Cert), CostType: string(t.CostType)})
	}

	ids := make(map[xroad.ClientID]string) // normalised client id -> XML id
	norm := func(id xroad.ClientID) xroad.ClientID {
		if id.Instance == "" {
			id.Instance = p.InstanceIdentifier
		}
		return id
	}
	n := 0
	nextID := func() string { s := fmt.Sprintf("id%d", n); n++; return s }
	for _, m := range p.Members {
		mid := p.MemberID(&m)
		if _, dup := ids[mid]; dup {
			return nil, fmt.Errorf("member %s is listed twice", mid)
		}
		mx := memberXML{ID: nextID(), Class: memberClassXML(m.Class), Code: m.Code, Name: m.Name}
		ids[mid] = mx.ID
		for _, s := range m.Subsystems {
			sid := mid
			sid.SubsystemCode = s.Code
			if _, dup := ids[sid]; dup {
				return nil, fmt.Errorf("subsystem %s is listed twice", sid)
			}
			sx := subsystemXML{ID: nextID(), Code: s.Code, Name: s.Name}
			ids[sid] = sx.ID
			mx.Subsystems = append(mx.Subsystems, sx)
		}
		w.Members = append(w.Members, mx)
	}
	for _, s := range p.SecurityServers {
		owner, ok := ids[norm(s.ID.Owner.Member())]
		if !ok {
			return nil, fmt.Errorf("security server %s: its owner is not among the members", s.ID)
		}
		sx := serverXML{Owner: owner, Code: s.ID.ServerCode, Address: s.Address}
		for _, h := range s.AuthCertHashes {
			sx.AuthCerts = append(sx.AuthCerts, base64.StdEncoding.EncodeToString(h))
		}
		for _, c := range s.Clients {
			ref, ok := ids[norm(c)]
			if !ok {
				return nil, fmt.Errorf("security server %s: client %s is not among the members and subsystems", s.ID, c)
			}
			sx.Clients = append(sx.Clients, ref)
		}
		if s.MaintenanceMode != nil {
			sx.Maintenance = &maintenanceXML{Message: s.MaintenanceMode.Message}
		}
		w.Servers = append(w.Servers, sx)
	}
	for _, g := range p.GlobalGroups {
		gx := groupXML{Code: g.Code, Description: g.Description}
		for _, m := range g.Members {
			gx.Members = append(gx.Members, clientIDToXML(norm(m)))
		}
		w.Groups = append(w.Groups, gx)
	}
	for _, c := range p.CentralServices {
		cx := centralServiceXML{Code: c.ServiceCode}
		if c.ImplementingService != nil {
			x := serviceIDToXML(*c.ImplementingService)
			cx.Implementation = &x
		}
		w.CentralServices = append(w.CentralServices, cx)
	}
	for _, mc := range p.GlobalSettings.MemberClasses {
		w.Settings.Classes = append(w.Settings.Classes, memberClassXML(mc))
	}
	w.Settings.OCSPFreshness = p.GlobalSettings.OCSPFreshnessSeconds
	return encodeDocument("conf", w)
}

func approvedCAToXML(ca ApprovedCA) (approvedCAXML, error) {
	auth := ca.AuthenticationOnly
	x := approvedCAXML{Name: ca.Name, AuthOnly: &auth, ProfileInfo: ca.CertificateProfileInfo, CSRFormat: ca.DefaultCSRFormat}
	var err error
	if x.TopCA, err = caInfoToXML(ca.TopCA); err != nil {
		return x, fmt.Errorf("approved CA %q: %w", ca.Name, err)
	}
	for _, ic := range ca.IntermediateCAs {
		ix, err := caInfoToXML(ic)
		if err != nil {
			return x, fmt.Errorf("approved CA %q intermediate CA: %w", ca.Name, err)
		}
		x.Intermediate = append(x.Intermediate, ix)
	}
	if a := ca.ACMEServer; a != nil {
		x.ACME = &acmeXML{DirectoryURL: a.DirectoryURL, IPAddress: a.IPAddress, AuthProfileID: a.AuthenticationCertificateProfileID, SignProfileID: a.SigningCertificateProfileID}
	}
	return x, nil
}

func caInfoToXML(c CAInfo) (caInfoXML, error) {
	if c.Cert == nil {
		return caInfoXML{}, errors.New("no CA certificate")
	}
	x := caInfoXML{Cert: certText(c.Cert)}
	for _, o := range c.OCSP {
		x.OCSP = append(x.OCSP, ocspXML{URL: o.URL, Cert: certText(o.Cert), CostType: string(o.CostType)})
	}
	return x, nil
}

// ParseSharedParameters parses a shared-parameters document (schema v6; the
// v3–v5 layouts parse too). It resolves member references, decodes every
// certificate (base64 of DER or of PEM) and refuses DOCTYPEs and documents
// over MaxXMLSize.
func ParseSharedParameters(data []byte) (*SharedParameters, error) {
	w, err := decodeShared(data)
	if err != nil {
		return nil, malformed(err, "The shared parameters are not a valid shared-parameters document: %v", err)
	}
	p, err := sharedFromXML(w)
	if err != nil {
		return nil, malformed(err, "The shared parameters are invalid: %v", err)
	}
	return p, nil
}

// decodeShared reads the document's wire form: with the scanner when the
// document is in its subset, else with encoding/xml.
func decodeShared(data []byte) (*sharedXML, error) {
	if len(data) <= MaxXMLSize {
		if w, ok := scanShared(data); ok {
			return w, nil
		}
	}
	w := new(sharedXML)
	if err := decodeDocument(data, MaxXMLSize, NamespaceXRoad, "conf", w); err != nil {
		return nil, err
	}
	return w, nil
}

func sharedFromXML(w *sharedXML) (*SharedParameters, error) {
	if w.Instance == "" {
		return nil, errors.New("instanceIdentifier is missing")
	}
	p := &SharedParameters{InstanceIdentifier: w.Instance}
	for i, s := range w.Sources {
		in, err := parseCertTexts(fmt.Sprintf("source #%d internalVerificationCert", i+1), s.Internal)
		if err != nil {
			return nil, err
		}
		ex, err := parseCertTexts(fmt.Sprintf("source #%d externalVerificationCert", i+1), s.External)
		if err != nil {
			return nil, err
		}
		p.Sources = append(p.Sources, ConfigurationSource{Address: s.Address, InternalVerificationCerts: in, ExternalVerificationCerts: ex})
	}
	for _, cx := range w.CAs {
		ca, err := approvedCAFromXML(cx)
		if err != nil {
			return nil, fmt.Errorf("approved CA %q: %w", cx.Name, err)
		}
		p.ApprovedCAs = append(p.ApprovedCAs, ca)
	}
	for _, tx := range w.TSAs {
		c, err := parseCertText(tx.Cert)
		if err != nil {
			return nil, fmt.Errorf("approved TSA %q certificate: %w", tx.Name, err)
		}
		p.ApprovedTSAs = append(p.ApprovedTSAs, ApprovedTSA{Name: tx.Name, URL: tx.URL, Cert: c, CostType: CostType(tx.CostType)})
	}

	refs := make(map[string]xroad.ClientID, len(w.Members))
	addRef := func(ref string, id xroad.ClientID) error {
		if ref == "" {
			return nil
		}
		if _, dup := refs[ref]; dup {
			return fmt.Errorf("XML id %q is used twice", ref)
		}
		refs[ref] = id
		return nil
	}
	p.Members = make([]Member, 0, len(w.Members))
	for _, mx := range w.Members {
		m := Member{Class: MemberClass(mx.Class), Code: mx.Code, Name: mx.Name}
		mid := p.MemberID(&m)
		if err := addRef(mx.ID, mid); err != nil {
			return nil, err
		}
		for _, sx := range mx.Subsystems {
			sid := mid
			sid.SubsystemCode = sx.Code
			if err := addRef(sx.ID, sid); err != nil {
				return nil, err
			}
			m.Subsystems = append(m.Subsystems, Subsystem{Code: sx.Code, Name: sx.Name})
		}
		p.Members = append(p.Members, m)
	}
	p.SecurityServers = make([]SecurityServer, 0, len(w.Servers))
	for _, sx := range w.Servers {
		owner, ok := refs[sx.Owner]
		if !ok || owner.SubsystemCode != "" {
			return nil, fmt.Errorf("security server %q: owner %q does not refer to a member", sx.Code, sx.Owner)
		}
		s := SecurityServer{ID: xroad.ServerID{Owner: owner, ServerCode: sx.Code}, Address: sx.Address}
		for _, h := range sx.AuthCerts {
			b, err := decodeBase64(h)
			if err != nil {
				return nil, fmt.Errorf("security server %s: authCertHash is not base64: %w", s.ID, err)
			}
			s.AuthCertHashes = append(s.AuthCertHashes, b)
		}
		for _, c := range sx.Clients {
			id, ok := refs[c]
			if !ok {
				return nil, fmt.Errorf("security server %s: client %q does not refer to a member or subsystem", s.ID, c)
			}
			s.Clients = append(s.Clients, id)
		}
		if sx.Maintenance != nil {
			s.MaintenanceMode = &MaintenanceMode{Message: sx.Maintenance.Message}
		}
		p.SecurityServers = append(p.SecurityServers, s)
	}
	for _, gx := range w.Groups {
		g := GlobalGroup{Code: gx.Code, Description: gx.Description}
		for _, mx := range gx.Members {
			id, err := mx.clientID()
			if err != nil {
				return nil, fmt.Errorf("global group %q: %w", gx.Code, err)
			}
			g.Members = append(g.Members, id)
		}
		p.GlobalGroups = append(p.GlobalGroups, g)
	}
	for _, cx := range w.CentralServices {
		c := CentralService{ServiceCode: cx.Code}
		if cx.Implementation != nil {
			sid, err := cx.Implementation.serviceID()
			if err != nil {
				return nil, fmt.Errorf("central service %q: %w", cx.Code, err)
			}
			c.ImplementingService = &sid
		}
		p.CentralServices = append(p.CentralServices, c)
	}
	for _, mc := range w.Settings.Classes {
		p.GlobalSettings.MemberClasses = append(p.GlobalSettings.MemberClasses, MemberClass(mc))
	}
	p.GlobalSettings.OCSPFreshnessSeconds = w.Settings.OCSPFreshness
	return p, nil
}

func approvedCAFromXML(x approvedCAXML) (ApprovedCA, error) {
	ca := ApprovedCA{Name: x.Name, CertificateProfileInfo: x.ProfileInfo, DefaultCSRFormat: x.CSRFormat}
	if x.AuthOnly != nil {
		ca.AuthenticationOnly = *x.AuthOnly
	}
	var err error
	if ca.TopCA, err = caInfoFromXML(x.TopCA); err != nil {
		return ca, fmt.Errorf("top CA: %w", err)
	}
	for _, ix := range x.Intermediate {
		ic, err := caInfoFromXML(ix)
		if err != nil {
			return ca, fmt.Errorf("intermediate CA: %w", err)
		}
		ca.IntermediateCAs = append(ca.IntermediateCAs, ic)
	}
	if a := x.ACME; a != nil {
		ca.ACMEServer = &ACMEServer{DirectoryURL: a.DirectoryURL, IPAddress: a.IPAddress, AuthenticationCertificateProfileID: a.AuthProfileID, SigningCertificateProfileID: a.SignProfileID}
	}
	return ca, nil
}

func caInfoFromXML(x caInfoXML) (CAInfo, error) {
	c, err := parseCertText(x.Cert)
	if err != nil {
		return CAInfo{}, fmt.Errorf("certificate: %w", err)
	}
	info := CAInfo{Cert: c}
	for _, o := range x.OCSP {
		oi := OCSPInfo{URL: o.URL, CostType: CostType(o.CostType)}
		if o.Cert != "" {
			if oi.Cert, err = parseCertText(o.Cert); err != nil {
				return info, fmt.Errorf("OCSP responder %s certificate: %w", o.URL, err)
			}
		}
		info.OCSP = append(info.OCSP, oi)
	}
	return info, nil
}
