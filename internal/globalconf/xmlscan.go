package globalconf

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// scanner reads the plain subset of XML that configuration files are written
// in (by X-Road's central server and by Roadreg): an optional XML
// declaration, one root element declaring the namespaces, elements with
// ASCII names and quoted attributes, text with the predefined and numeric
// character references. It is several times faster than encoding/xml on the
// shared parameters of a large instance.
//
// It never decides alone that a document is wrong: anything outside the
// subset or malformed — comments, processing instructions, CDATA, DOCTYPEs,
// other entity references, namespace declarations below the root, duplicate
// attributes, more than maxScanAttrs attributes on an element, nesting
// deeper than maxScanDepth, bad UTF-8 or characters XML does not allow —
// makes it give up (a false result), and the caller decodes the document
// with encoding/xml, which accepts or rejects it. Where the scanner
// finishes, its result is the one encoding/xml's Unmarshal gives
// (FuzzSharedScanner checks that).
type scanner struct {
	data  []byte
	pos   int
	depth int
	attrs []xmlAttr // of the last start tag read
	buf   []byte    // text of the element being read as a string
}

// maxScanDepth is the deepest element nesting the scanner reads, and
// maxScanAttrs the most attributes on one element (duplicates are looked
// for pairwise).
const (
	maxScanDepth = 64
	maxScanAttrs = 16
)

type xmlAttr struct{ qname, local, value []byte }

// xmlElem is a start tag just read. Its attrs are valid until the next
// start tag is read.
type xmlElem struct {
	qname, local []byte
	attrs        []xmlAttr
	empty        bool // <name/>
}

// xmlDecls are the XML declarations the scanner accepts (X-Road's and
// encoding/xml's spelling).
var xmlDecls = []string{
	` version="1.0" encoding="UTF-8" standalone="yes"`,
	` version="1.0" encoding="UTF-8"`,
	` version="1.0"`,
}

// document reads up to and including the root element's start tag.
func (s *scanner) document() (xmlElem, bool) {
	if bytes.HasPrefix(s.data, []byte("<?xml ")) {
		end := bytes.Index(s.data, []byte("?>"))
		if end < 0 || !knownDecl(s.data[len("<?xml"):end]) {
			return xmlElem{}, false
		}
		s.pos = end + len("?>")
	}
	s.skipSpace()
	return s.startTag(true)
}

func knownDecl(d []byte) bool {
	for _, k := range xmlDecls {
		if string(d) == k {
			return true
		}
	}
	return false
}

// isRoot reports whether root is {space}local, with its prefix declared on
// the root element itself.
func (s *scanner) isRoot(root *xmlElem, space, local string) bool {
	if string(root.local) != local {
		return false
	}
	decl := "xmlns"
	if prefix := root.qname[:len(root.qname)-len(root.local)]; len(prefix) > 0 {
		p := string(prefix[:len(prefix)-1])
		if p == "xml" || p == "xmlns" {
			return false
		}
		decl += ":" + p
	}
	for _, a := range root.attrs {
		if string(a.qname) == decl {
			return string(a.value) == space
		}
	}
	return false
}

// finish reports whether only white space follows the root element.
func (s *scanner) finish() bool {
	s.skipSpace()
	return s.pos == len(s.data)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (s *scanner) skipSpace() int {
	start := s.pos
	for s.pos < len(s.data) && isSpace(s.data[s.pos]) {
		s.pos++
	}
	return s.pos - start
}

// name reads an ASCII XML name with at most one colon inside it.
func (s *scanner) name() (qname, local []byte, ok bool) {
	start, colon := s.pos, -1
	for ; s.pos < len(s.data); s.pos++ {
		c := s.data[s.pos]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		case '0' <= c && c <= '9', c == '-', c == '.':
			if s.pos == start {
				return nil, nil, false
			}
		case c == ':':
			if colon >= 0 || s.pos == start {
				return nil, nil, false
			}
			colon = s.pos
		case c >= utf8.RuneSelf:
			return nil, nil, false
		default:
			qname = s.data[start:s.pos]
			if len(qname) == 0 || colon == s.pos-1 {
				return nil, nil, false
			}
			if colon < 0 {
				return qname, qname, true
			}
			return qname, s.data[colon+1 : s.pos], true
		}
	}
	return nil, nil, false
}

// startTag reads "<name attr="value" ...>" or its "/>" form at s.pos.
func (s *scanner) startTag(root bool) (xmlElem, bool) {
	if s.pos >= len(s.data) || s.data[s.pos] != '<' {
		return xmlElem{}, false
	}
	s.pos++
	qname, local, ok := s.name()
	if !ok {
		return xmlElem{}, false
	}
	e := xmlElem{qname: qname, local: local}
	s.attrs = s.attrs[:0]
	for {
		space := s.skipSpace()
		if s.pos >= len(s.data) {
			return e, false
		}
		switch s.data[s.pos] {
		case '>':
			s.pos++
			e.attrs = s.attrs
			return e, true
		case '/':
			if s.pos+1 >= len(s.data) || s.data[s.pos+1] != '>' {
				return e, false
			}
			s.pos += 2
			e.attrs, e.empty = s.attrs, true
			return e, true
		}
		if space == 0 || len(s.attrs) == maxScanAttrs {
			return e, false
		}
		a, ok := s.attr(root)
		if !ok {
			return e, false
		}
		s.attrs = append(s.attrs, a)
	}
}

// attr reads name="value" or name='value'. Namespace declarations are
// accepted on the root element only; a name may not repeat.
func (s *scanner) attr(root bool) (xmlAttr, bool) {
	qname, local, ok := s.name()
	if !ok || s.pos+1 >= len(s.data) || s.data[s.pos] != '=' {
		return xmlAttr{}, false
	}
	if !root && (string(qname) == "xmlns" || bytes.HasPrefix(qname, []byte("xmlns:"))) {
		return xmlAttr{}, false
	}
	for _, b := range s.attrs {
		if bytes.Equal(b.qname, qname) {
			return xmlAttr{}, false
		}
	}
	quote := s.data[s.pos+1]
	if quote != '"' && quote != '\'' {
		return xmlAttr{}, false
	}
	s.pos += 2
	end := bytes.IndexByte(s.data[s.pos:], quote)
	if end < 0 {
		return xmlAttr{}, false
	}
	raw := s.data[s.pos : s.pos+end]
	s.pos += end + 1
	if bytes.IndexByte(raw, '<') >= 0 {
		return xmlAttr{}, false
	}
	v, ok := decodeText(raw, true)
	return xmlAttr{qname: qname, local: local, value: v}, ok
}

// content reads the rest of element e up to and including its end tag. The
// text directly inside e is appended to *text when text is not nil; each
// child element is handed to child, which must read it whole, or skipped
// when child is nil.
func (s *scanner) content(e *xmlElem, text *[]byte, child func(c *xmlElem) bool) bool {
	if e.empty {
		return true
	}
	if s.depth++; s.depth > maxScanDepth {
		return false
	}
	defer func() { s.depth-- }()
	for {
		i := bytes.IndexByte(s.data[s.pos:], '<')
		if i < 0 || s.pos+i+1 >= len(s.data) {
			return false
		}
		if i > 0 {
			t, ok := decodeText(s.data[s.pos:s.pos+i], false)
			if !ok {
				return false
			}
			if text != nil {
				*text = append(*text, t...)
			}
			s.pos += i
		}
		switch s.data[s.pos+1] {
		case '/':
			s.pos += 2
			qname, _, ok := s.name()
			if !ok || !bytes.Equal(qname, e.qname) {
				return false
			}
			s.skipSpace()
			if s.pos >= len(s.data) || s.data[s.pos] != '>' {
				return false
			}
			s.pos++
			return true
		case '!', '?':
			return false
		}
		c, ok := s.startTag(false)
		if !ok {
			return false
		}
		if child != nil {
			ok = child(&c)
		} else {
			ok = s.content(&c, nil, nil)
		}
		if !ok {
			return false
		}
	}
}

// skip reads element e whole, ignoring it.
func (s *scanner) skip(e *xmlElem) bool { return s.content(e, nil, nil) }

// str reads element e as text (the text directly inside it, as
// encoding/xml does for a string field).
func (s *scanner) str(e *xmlElem, dst *string) bool {
	s.buf = s.buf[:0]
	if !s.content(e, &s.buf, nil) {
		return false
	}
	*dst = string(s.buf)
	return true
}

// appendStr reads element e as text and appends it to *dst.
func (s *scanner) appendStr(e *xmlElem, dst *[]string) bool {
	var v string
	if !s.str(e, &v) {
		return false
	}
	*dst = append(*dst, v)
	return true
}

// decodeText resolves character references in raw text (an attribute value
// when attr), turns \r\n and \r into \n, and checks that the result is
// UTF-8 of characters XML allows — what encoding/xml does with text. The
// result may share raw's memory.
func decodeText(raw []byte, attr bool) ([]byte, bool) {
	for i, c := range raw {
		if c < 0x20 && c != '\t' && c != '\n' || c >= utf8.RuneSelf || c == '&' {
			return decodeTextSlow(raw, attr)
		}
		if c == '>' && !attr && i >= 2 && raw[i-1] == ']' && raw[i-2] == ']' {
			return nil, false
		}
	}
	return raw, true
}

func decodeTextSlow(raw []byte, attr bool) ([]byte, bool) {
	out := make([]byte, 0, len(raw))
	var b0, b1 byte
	for i := 0; i < len(raw); {
		c := raw[i]
		if c == '&' {
			r, n, ok := charRef(raw[i:])
			if !ok {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
			b0, b1 = 0, 0
			i += n
			continue
		}
		if !attr && b0 == ']' && b1 == ']' && c == '>' {
			return nil, false
		}
		switch {
		case c == '\r':
			out = append(out, '\n')
		case b1 == '\r' && c == '\n':
		default:
			out = append(out, c)
		}
		b0, b1 = b1, c
		i++
	}
	for rest := out; len(rest) > 0; {
		r, size := utf8.DecodeRune(rest)
		if r == utf8.RuneError && size == 1 || !isXMLChar(r) {
			return nil, false
		}
		rest = rest[size:]
	}
	return out, true
}

var predefinedEntities = []struct {
	ref string
	r   rune
}{{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&apos;", '\''}, {"&quot;", '"'}}

// charRef reads a predefined entity or a numeric character reference at the
// start of b and returns its character and length.
func charRef(b []byte) (rune, int, bool) {
	for _, e := range predefinedEntities {
		if bytes.HasPrefix(b, []byte(e.ref)) {
			return e.r, len(e.ref), true
		}
	}
	if !bytes.HasPrefix(b, []byte("&#")) {
		return 0, 0, false
	}
	i, base := 2, 10
	if i < len(b) && b[i] == 'x' {
		i, base = 3, 16
	}
	start := i
	for i < len(b) && isDigit(b[i], base) {
		i++
	}
	if i >= len(b) || b[i] != ';' {
		return 0, 0, false
	}
	n, err := strconv.ParseUint(string(b[start:i]), base, 64)
	if err != nil || n > utf8.MaxRune {
		return 0, 0, false
	}
	return rune(n), i + 1, true
}

func isDigit(c byte, base int) bool {
	return '0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')
}

// isXMLChar reports whether XML allows character r (the Char production).
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
