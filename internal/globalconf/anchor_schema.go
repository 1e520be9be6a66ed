package globalconf

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
)

// schemaElement is one element of an XML Schema sequence: how often it may
// occur and, for an element with element content, its own sequence (nil:
// the element holds text only).
type schemaElement struct {
	name     string
	min, max int // max 0: unbounded
	children []schemaElement
}

// configurationAnchorType is ConfigurationAnchorType of X-Road's
// private-parameters.xsd (globalconf v2), the type of the anchor file's root
// and of the federation anchors in private parameters. Its elements are
// unqualified (no namespace) and take no attributes; nothing else may
// appear, so a valid anchor is at most three elements deep.
var configurationAnchorType = schemaElement{name: "configurationAnchor", children: []schemaElement{
	{name: "generatedAt", max: 1},
	{name: "instanceIdentifier", min: 1, max: 1},
	{name: "source", min: 1, children: []schemaElement{
		{name: "downloadURL", min: 1, max: 1},
		{name: "verificationCert", min: 1},
	}},
}}

// UnmarshalXML reads a configurationAnchor element, refusing what
// configurationAnchorType does not allow with an error that names the
// missing, misplaced or unknown element. The decoder stops at the first
// such element, so deep nesting or a flood of unknown elements costs no
// more than reading up to it.
func (x *anchorXML) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	root, err := readSchemaElement(d, start, &configurationAnchorType)
	if err != nil {
		return err
	}
	*x = anchorXML{}
	for _, c := range root.children {
		switch c.name {
		case "generatedAt":
			x.GeneratedAt = c.text
		case "instanceIdentifier":
			x.Instance = c.text
		case "source":
			var s anchorSourceXML
			for _, sc := range c.children {
				if sc.name == "downloadURL" {
					s.DownloadURL = sc.text
				} else {
					s.Certs = append(s.Certs, sc.text)
				}
			}
			x.Sources = append(x.Sources, s)
		}
	}
	return nil
}

// xmlNode is an element read by readSchemaElement.
type xmlNode struct {
	name     string
	text     string
	children []xmlNode
}

// readSchemaElement reads the element start (whose start tag d has just
// returned) as e describes it.
func readSchemaElement(d *xml.Decoder, start xml.StartElement, e *schemaElement) (xmlNode, error) {
	n := xmlNode{name: e.name}
	for _, a := range start.Attr {
		if a.Name.Space != "xmlns" && (a.Name.Space != "" || a.Name.Local != "xmlns") && a.Name.Space != xsiNamespace {
			return n, schemaErrorf("the element %s has an attribute %s the schema does not define", e.name, a.Name.Local)
		}
	}
	seq := sequence{parent: e, counts: make([]int, len(e.children))}
	var text bytes.Buffer
	for {
		tok, err := d.Token()
		if err != nil {
			return n, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if e.children == nil {
				return n, schemaErrorf("the element %s holds text only, not an element %s", e.name, t.Name.Local)
			}
			if t.Name.Space != "" {
				return n, schemaErrorf("the element %s in %s has the namespace %s; the elements inside %s have none", t.Name.Local, e.name, t.Name.Space, configurationAnchorType.name)
			}
			ce, err := seq.next(t.Name.Local)
			if err != nil {
				return n, err
			}
			c, err := readSchemaElement(d, t, ce)
			if err != nil {
				return n, err
			}
			n.children = append(n.children, c)
		case xml.CharData:
			if e.children == nil {
				text.Write(t)
			} else if len(bytes.TrimSpace(t)) != 0 {
				return n, schemaErrorf("the element %s holds text %q where only elements are allowed", e.name, truncate(string(bytes.TrimSpace(t)), 40))
			}
		case xml.EndElement:
			if err := seq.end(); err != nil {
				return n, err
			}
			n.text = text.String()
			return n, nil
		}
	}
}

// schemaError is a document that breaks the rules of its X-Road schema.
type schemaError struct{ error }

func schemaErrorf(format string, args ...any) error {
	return schemaError{fmt.Errorf(format, args...)}
}

// xsiNamespace is XML Schema's instance namespace (xsi:schemaLocation and
// the like), whose attributes every element may carry.
const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

// sequence checks the children of one element against its sequence.
type sequence struct {
	parent *schemaElement
	counts []int // occurrences of each element of the sequence so far
	i      int   // the element of the sequence reached
}

// next accepts a child element name and returns its declaration.
func (s *sequence) next(name string) (*schemaElement, error) {
	model, parent := s.parent.children, s.parent.name
	j := slices.IndexFunc(model, func(e schemaElement) bool { return e.name == name })
	switch {
	case j < 0:
		return nil, schemaErrorf("the element %s has an element %s the anchor schema does not define", parent, name)
	case j <= s.i && model[j].max != 0 && s.counts[j] >= model[j].max:
		return nil, schemaErrorf("the element %s has more than %s %s", parent, times(model[j].max), name)
	case j < s.i:
		return nil, schemaErrorf("the element %s is out of place in %s: it must come before %s", name, parent, model[s.i].name)
	}
	for k := s.i; k < j; k++ {
		if s.counts[k] < model[k].min {
			return nil, schemaErrorf("the element %s lacks %s, which must come before %s", parent, model[k].name, name)
		}
	}
	s.i = j
	s.counts[j]++
	return &model[j], nil
}

// end checks that no required element is missing at the parent's end.
func (s *sequence) end() error {
	model := s.parent.children
	for k := s.i; k < len(model); k++ {
		if s.counts[k] < model[k].min {
			return schemaErrorf("the element %s lacks %s", s.parent.name, model[k].name)
		}
	}
	return nil
}

func times(n int) string {
	if n == 1 {
		return "one"
	}
	return fmt.Sprint(n)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
