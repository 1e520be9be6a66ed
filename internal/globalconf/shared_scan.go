package globalconf

import (
	"strconv"
	"strings"
)

// scanShared reads a shared-parameters document into its wire type with the
// scanner, field by field as encoding/xml's Unmarshal would (unknown
// elements skipped, attributes and elements matched by local name, a
// repeated element overwriting a string and merging into a struct). ok is
// false when the scanner gave up; the caller then uses decodeDocument.
func scanShared(data []byte) (w *sharedXML, ok bool) {
	s := scanner{data: data}
	root, ok := s.document()
	if !ok || !s.isRoot(&root, NamespaceXRoad, "conf") {
		return nil, false
	}
	w = new(sharedXML)
	if !s.content(&root, nil, func(c *xmlElem) bool { return s.sharedChild(w, c) }) || !s.finish() {
		return nil, false
	}
	return w, true
}

func (s *scanner) sharedChild(w *sharedXML, c *xmlElem) bool {
	switch string(c.local) {
	case "instanceIdentifier":
		return s.str(c, &w.Instance)
	case "source":
		x := appendNew(&w.Sources)
		return s.content(c, nil, func(c *xmlElem) bool {
			switch string(c.local) {
			case "address":
				return s.str(c, &x.Address)
			case "internalVerificationCert":
				return s.appendStr(c, &x.Internal)
			case "externalVerificationCert":
				return s.appendStr(c, &x.External)
			}
			return s.skip(c)
		})
	case "approvedCA":
		return s.approvedCA(c, appendNew(&w.CAs))
	case "approvedTSA":
		x := appendNew(&w.TSAs)
		return s.texts(c, text{"name", &x.Name}, text{"url", &x.URL}, text{"cert", &x.Cert}, text{"costType", &x.CostType})
	case "member":
		return s.member(c, appendNew(&w.Members))
	case "securityServer":
		return s.server(c, appendNew(&w.Servers))
	case "globalGroup":
		x := appendNew(&w.Groups)
		return s.content(c, nil, func(c *xmlElem) bool {
			switch string(c.local) {
			case "groupCode":
				return s.str(c, &x.Code)
			case "description":
				return s.str(c, &x.Description)
			case "groupMember":
				return s.identifier(c, appendNew(&x.Members))
			}
			return s.skip(c)
		})
	case "centralService":
		x := appendNew(&w.CentralServices)
		return s.content(c, nil, func(c *xmlElem) bool {
			switch string(c.local) {
			case "serviceCode":
				return s.str(c, &x.Code)
			case "implementingService":
				if x.Implementation == nil {
					x.Implementation = new(identifierXML)
				}
				return s.identifier(c, x.Implementation)
			}
			return s.skip(c)
		})
	case "globalSettings":
		x := &w.Settings
		return s.content(c, nil, func(c *xmlElem) bool {
			switch string(c.local) {
			case "memberClass":
				return s.memberClass(c, appendNew(&x.Classes))
			case "ocspFreshnessSeconds":
				return s.integer(c, &x.OCSPFreshness)
			}
			return s.skip(c)
		})
	}
	return s.skip(c)
}

func (s *scanner) approvedCA(e *xmlElem, x *approvedCAXML) bool {
	return s.content(e, nil, func(c *xmlElem) bool {
		switch string(c.local) {
		case "name":
			return s.str(c, &x.Name)
		case "authenticationOnly":
			if x.AuthOnly == nil {
				x.AuthOnly = new(bool)
			}
			return s.boolean(c, x.AuthOnly)
		case "topCA":
			return s.caInfo(c, &x.TopCA)
		case "intermediateCA":
			return s.caInfo(c, appendNew(&x.Intermediate))
		case "certificateProfileInfo":
			return s.str(c, &x.ProfileInfo)
		case "defaultCsrFormat":
			return s.str(c, &x.CSRFormat)
		case "acmeServer":
			if x.ACME == nil {
				x.ACME = new(acmeXML)
			}
			a := x.ACME
			return s.texts(c, text{"directoryURL", &a.DirectoryURL}, text{"ipAddress", &a.IPAddress},
				text{"authenticationCertificateProfileId", &a.AuthProfileID}, text{"signingCertificateProfileId", &a.SignProfileID})
		}
		return s.skip(c)
	})
}

func (s *scanner) caInfo(e *xmlElem, x *caInfoXML) bool {
	return s.content(e, nil, func(c *xmlElem) bool {
		switch string(c.local) {
		case "cert":
			return s.str(c, &x.Cert)
		case "ocsp":
			o := appendNew(&x.OCSP)
			return s.texts(c, text{"url", &o.URL}, text{"cert", &o.Cert}, text{"costType", &o.CostType})
		}
		return s.skip(c)
	})
}

func (s *scanner) member(e *xmlElem, x *memberXML) bool {
	x.ID = attrValue(e, "id", x.ID)
	return s.content(e, nil, func(c *xmlElem) bool {
		switch string(c.local) {
		case "memberClass":
			return s.memberClass(c, &x.Class)
		case "memberCode":
			return s.str(c, &x.Code)
		case "name":
			return s.str(c, &x.Name)
		case "subsystem":
			sub := appendNew(&x.Subsystems)
			sub.ID = attrValue(c, "id", sub.ID)
			return s.texts(c, text{"subsystemCode", &sub.Code}, text{"subsystemName", &sub.Name})
		}
		return s.skip(c)
	})
}

func (s *scanner) memberClass(e *xmlElem, x *memberClassXML) bool {
	return s.texts(e, text{"code", &x.Code}, text{"description", &x.Description})
}

func (s *scanner) server(e *xmlElem, x *serverXML) bool {
	return s.content(e, nil, func(c *xmlElem) bool {
		switch string(c.local) {
		case "owner":
			return s.str(c, &x.Owner)
		case "serverCode":
			return s.str(c, &x.Code)
		case "address":
			return s.str(c, &x.Address)
		case "authCertHash":
			return s.appendStr(c, &x.AuthCerts)
		case "client":
			return s.appendStr(c, &x.Clients)
		case "inMaintenanceMode":
			if x.Maintenance == nil {
				x.Maintenance = new(maintenanceXML)
			}
			return s.texts(c, text{"message", &x.Maintenance.Message})
		}
		return s.skip(c)
	})
}

func (s *scanner) identifier(e *xmlElem, x *identifierXML) bool {
	x.ObjectType = attrValue(e, "objectType", x.ObjectType)
	return s.texts(e, text{"xRoadInstance", &x.Instance}, text{"memberClass", &x.MemberClass}, text{"memberCode", &x.MemberCode},
		text{"subsystemCode", &x.SubsystemCode}, text{"groupCode", &x.GroupCode}, text{"serviceCode", &x.ServiceCode},
		text{"serviceVersion", &x.ServiceVersion})
}

// text is a child element read as a string into dst.
type text struct {
	local string
	dst   *string
}

// texts reads element e, whose children named in fields are strings; other
// children are skipped.
func (s *scanner) texts(e *xmlElem, fields ...text) bool {
	return s.content(e, nil, func(c *xmlElem) bool {
		for _, f := range fields {
			if string(c.local) == f.local {
				return s.str(c, f.dst)
			}
		}
		return s.skip(c)
	})
}

// attrValue is the value of e's last attribute named local (in any
// namespace), or def when it has none.
func attrValue(e *xmlElem, local, def string) string {
	for _, a := range e.attrs {
		if string(a.local) == local {
			def = string(a.value)
		}
	}
	return def
}

// boolean reads element e as an xs:boolean the way encoding/xml does.
func (s *scanner) boolean(e *xmlElem, dst *bool) bool {
	var t string
	if !s.str(e, &t) {
		return false
	}
	if t == "" {
		*dst = false
		return true
	}
	v, err := strconv.ParseBool(strings.TrimSpace(t))
	*dst = v
	return err == nil
}

// integer reads element e as an int the way encoding/xml does.
func (s *scanner) integer(e *xmlElem, dst *int) bool {
	var t string
	if !s.str(e, &t) {
		return false
	}
	if t == "" {
		*dst = 0
		return true
	}
	v, err := strconv.ParseInt(strings.TrimSpace(t), 10, strconv.IntSize)
	*dst = int(v)
	return err == nil
}

// appendNew appends a zero element to *list and returns it, as
// encoding/xml does for each repeated element.
func appendNew[T any](list *[]T) *T {
	var zero T
	*list = append(*list, zero)
	return &(*list)[len(*list)-1]
}
