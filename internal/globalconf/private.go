package globalconf

import (
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/roadreg/roadreg/internal/xroad"
)

// PrivateParameters is X-Road's private-parameters file, schema version 3
// (globalconf/v3/private-parameters.xsd, used by configuration versions 3–6):
// what only the instance's own security servers receive.
type PrivateParameters struct {
	InstanceIdentifier string
	// ConfigurationAnchors are anchors of federated instances (none in Roadreg).
	ConfigurationAnchors        []Anchor
	ManagementService           ManagementService
	TimeStampingIntervalSeconds int
}

// ManagementService says where security servers send management requests.
type ManagementService struct {
	// AuthCertRegServiceAddress is the URL authCertReg requests are POSTed to.
	AuthCertRegServiceAddress string
	// AuthCertRegServiceCert is the TLS server certificate of that URL, which
	// the security server pins (may be nil).
	AuthCertRegServiceCert *x509.Certificate
	// ManagementRequestServiceProviderID is the member or subsystem that
	// provides the management services.
	ManagementRequestServiceProviderID xroad.ClientID
}

type privateXML struct {
	Instance   string        `xml:"instanceIdentifier"`
	Anchors    []anchorXML   `xml:"configurationAnchor"`
	Management managementXML `xml:"managementService"`
	TSInterval int           `xml:"timeStampingIntervalSeconds"`
}

type managementXML struct {
	Address  string        `xml:"authCertRegServiceAddress"`
	Cert     string        `xml:"authCertRegServiceCert,omitempty"`
	Provider identifierXML `xml:"managementRequestServiceProviderId"`
}

// MarshalPrivateParameters writes p as a private-parameters v3 document.
func MarshalPrivateParameters(p *PrivateParameters) ([]byte, error) {
	if p == nil || p.InstanceIdentifier == "" {
		return nil, errors.New("private parameters need an instance identifier")
	}
	ms := p.ManagementService
	if ms.AuthCertRegServiceAddress == "" {
		return nil, errors.New("private parameters need the management service address (authCertRegServiceAddress)")
	}
	if err := ms.ManagementRequestServiceProviderID.Validate(); err != nil {
		return nil, fmt.Errorf("management service provider id: %w", err)
	}
	w := privateXML{
		Instance: p.InstanceIdentifier,
		Management: managementXML{
			Address:  ms.AuthCertRegServiceAddress,
			Cert:     certText(ms.AuthCertRegServiceCert),
			Provider: clientIDToXML(ms.ManagementRequestServiceProviderID),
		},
		TSInterval: p.TimeStampingIntervalSeconds,
	}
	for _, a := range p.ConfigurationAnchors {
		ax, err := anchorToXML(a)
		if err != nil {
			return nil, fmt.Errorf("federated anchor: %w", err)
		}
		w.Anchors = append(w.Anchors, ax)
	}
	return encodeDocument("conf", w)
}

// ParsePrivateParameters parses a private-parameters document (schema v3),
// refusing DOCTYPEs and documents over MaxXMLSize.
func ParsePrivateParameters(data []byte) (*PrivateParameters, error) {
	var w privateXML
	if err := decodeDocument(data, MaxXMLSize, NamespaceXRoad, "conf", &w); err != nil {
		return nil, malformed(err, "The private parameters are not a valid private-parameters document: %v", err)
	}
	p, err := privateFromXML(&w)
	if err != nil {
		return nil, malformed(err, "The private parameters are invalid: %v", err)
	}
	return p, nil
}

func privateFromXML(w *privateXML) (*PrivateParameters, error) {
	if w.Instance == "" {
		return nil, errors.New("instanceIdentifier is missing")
	}
	if w.Management.Address == "" {
		return nil, errors.New("managementService/authCertRegServiceAddress is missing")
	}
	provider, err := w.Management.Provider.clientID()
	if err != nil {
		return nil, fmt.Errorf("managementRequestServiceProviderId: %w", err)
	}
	p := &PrivateParameters{
		InstanceIdentifier:          w.Instance,
		TimeStampingIntervalSeconds: w.TSInterval,
		ManagementService: ManagementService{
			AuthCertRegServiceAddress:          w.Management.Address,
			ManagementRequestServiceProviderID: provider,
		},
	}
	if w.Management.Cert != "" {
		if p.ManagementService.AuthCertRegServiceCert, err = parseCertText(w.Management.Cert); err != nil {
			return nil, fmt.Errorf("authCertRegServiceCert: %w", err)
		}
	}
	for i := range w.Anchors {
		a, err := anchorFromXML(&w.Anchors[i])
		if err != nil {
			return nil, fmt.Errorf("configurationAnchor #%d: %w", i+1, err)
		}
		p.ConfigurationAnchors = append(p.ConfigurationAnchors, *a)
	}
	return p, nil
}
