package globalconf

import (
	"encoding/xml"
	"fmt"

	"github.com/roadreg/roadreg/internal/xroad"
)

// identifierXML is an X-Road identifier element (identifiers.xsd): an
// id:objectType attribute and id:-qualified code elements. Unmarshalling
// matches the element names in any namespace; marshalling writes the ns2
// prefix that the document root declares.
type identifierXML struct {
	ObjectType     string `xml:"objectType,attr"`
	Instance       string `xml:"xRoadInstance"`
	MemberClass    string `xml:"memberClass"`
	MemberCode     string `xml:"memberCode"`
	SubsystemCode  string `xml:"subsystemCode"`
	GroupCode      string `xml:"groupCode"`
	ServiceCode    string `xml:"serviceCode"`
	ServiceVersion string `xml:"serviceVersion"`
}

// MarshalXML writes the identifier in the element order of identifiers.xsd.
func (x identifierXML) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = []xml.Attr{{Name: xml.Name{Local: prefixID + ":objectType"}, Value: x.ObjectType}}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	fields := []struct {
		name, value string
		required    bool
	}{
		{"xRoadInstance", x.Instance, true},
		{"memberClass", x.MemberClass, true},
		{"memberCode", x.MemberCode, true},
		{"subsystemCode", x.SubsystemCode, false},
		{"groupCode", x.GroupCode, false},
		{"serviceCode", x.ServiceCode, false},
		{"serviceVersion", x.ServiceVersion, false},
	}
	for _, f := range fields {
		if f.value == "" && !f.required {
			continue
		}
		if err := e.EncodeElement(f.value, xml.StartElement{Name: xml.Name{Local: prefixID + ":" + f.name}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

func clientIDToXML(id xroad.ClientID) identifierXML {
	return identifierXML{
		ObjectType:    string(id.ObjectType()),
		Instance:      id.Instance,
		MemberClass:   id.MemberClass,
		MemberCode:    id.MemberCode,
		SubsystemCode: id.SubsystemCode,
	}
}

// clientID converts a MEMBER or SUBSYSTEM identifier.
func (x identifierXML) clientID() (xroad.ClientID, error) {
	id := xroad.ClientID{Instance: x.Instance, MemberClass: x.MemberClass, MemberCode: x.MemberCode, SubsystemCode: x.SubsystemCode}
	switch xroad.ObjectType(x.ObjectType) {
	case xroad.ObjectMember:
		if x.SubsystemCode != "" {
			return id, fmt.Errorf("MEMBER identifier %s has a subsystemCode", id)
		}
	case xroad.ObjectSubsystem:
		if x.SubsystemCode == "" {
			return id, fmt.Errorf("SUBSYSTEM identifier %s has no subsystemCode", id)
		}
	default:
		return id, fmt.Errorf("identifier objectType %q is not MEMBER or SUBSYSTEM", x.ObjectType)
	}
	if x.Instance == "" || x.MemberClass == "" || x.MemberCode == "" {
		return id, fmt.Errorf("identifier %q lacks xRoadInstance, memberClass or memberCode", id)
	}
	return id, nil
}

func serviceIDToXML(id xroad.ServiceID) identifierXML {
	x := clientIDToXML(id.Client)
	x.ObjectType = string(xroad.ObjectService)
	x.ServiceCode = id.ServiceCode
	x.ServiceVersion = id.Version
	return x
}

func (x identifierXML) serviceID() (xroad.ServiceID, error) {
	if xroad.ObjectType(x.ObjectType) != xroad.ObjectService || x.ServiceCode == "" {
		return xroad.ServiceID{}, fmt.Errorf("implementingService must be a SERVICE identifier with a serviceCode (objectType %q)", x.ObjectType)
	}
	return xroad.ServiceID{
		Client:      xroad.ClientID{Instance: x.Instance, MemberClass: x.MemberClass, MemberCode: x.MemberCode, SubsystemCode: x.SubsystemCode},
		ServiceCode: x.ServiceCode,
		Version:     x.ServiceVersion,
	}, nil
}
