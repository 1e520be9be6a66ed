package globalconf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// X-Road XML namespaces and the prefixes X-Road's own files use for them.
const (
	// NamespaceXRoad is the namespace of the conf and configurationAnchor root elements.
	NamespaceXRoad = "http://x-road.eu/xsd/xroad.xsd"
	// NamespaceIdentifiers is the namespace of X-Road identifier elements.
	NamespaceIdentifiers = "http://x-road.eu/xsd/identifiers"

	prefixXRoad = "ns3"
	prefixID    = "ns2"
)

// MaxXMLSize is the largest shared- or private-parameters document accepted.
const MaxXMLSize = 32 << 20

// MaxAnchorSize is the largest configuration anchor accepted.
const MaxAnchorSize = 1 << 20

var errDTD = errors.New("document type and entity declarations (<!DOCTYPE …>, <!ENTITY …>) are not allowed")

// directiveFilter feeds raw tokens to an xml.Decoder and refuses directives,
// so no DOCTYPE, internal subset or entity declaration is ever accepted.
type directiveFilter struct{ d *xml.Decoder }

func (f directiveFilter) Token() (xml.Token, error) {
	t, err := f.d.RawToken()
	if err != nil {
		return nil, err
	}
	if _, ok := t.(xml.Directive); ok {
		return nil, errDTD
	}
	return t, nil
}

// decodeDocument decodes the single root element of data, which must be
// {space}local, into v. It refuses documents over limit bytes, DOCTYPEs and
// entity declarations, text or elements outside the root.
func decodeDocument(data []byte, limit int, space, local string, v any) error {
	if len(data) > limit {
		return fmt.Errorf("%w: the document has %d bytes, at most %d are accepted", ErrTooLarge, len(data), limit)
	}
	d := xml.NewTokenDecoder(directiveFilter{xml.NewDecoder(bytes.NewReader(data))})
	seenRoot := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if !seenRoot {
				return errors.New("the document has no root element")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if seenRoot {
				return errors.New("the document has more than one root element")
			}
			if t.Name.Space != space || t.Name.Local != local {
				return fmt.Errorf("the root element is {%s}%s, expected {%s}%s", t.Name.Space, t.Name.Local, space, local)
			}
			if err := d.DecodeElement(v, &t); err != nil {
				return err
			}
			seenRoot = true
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return errors.New("the document has text outside its root element")
			}
		}
	}
}

// encodeDocument writes v as an X-Road document with root element
// ns3:<local> and the ns2/ns3 namespace declarations X-Road uses.
func encodeDocument(local string, v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "    ")
	start := xml.StartElement{
		Name: xml.Name{Local: prefixXRoad + ":" + local},
		Attr: []xml.Attr{
			{Name: xml.Name{Local: "xmlns:" + prefixID}, Value: NamespaceIdentifiers},
			{Name: xml.Name{Local: "xmlns:" + prefixXRoad}, Value: NamespaceXRoad},
		},
	}
	if err := enc.EncodeElement(v, start); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
