package globalconf_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/globalconf/xsdtest"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

// schemaAnchor is an anchor Roadreg builds: generatedAt, instance DEV and
// one source with one certificate.
func schemaAnchor(t testing.TB) string {
	t.Helper()
	b, err := globalconf.BuildAnchor(globalconf.Anchor{
		GeneratedAt: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), Instance: "DEV",
		Sources: []globalconf.AnchorSource{{DownloadURL: "http://cs/internalconf", VerificationCerts: []*x509.Certificate{testPKI(t).signing.cert}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// anchorCase is an anchor document and how X-Road's anchor schema judges
// it: valid, or invalid with a message that names the element at fault.
type anchorCase struct {
	name  string
	doc   string
	valid bool
	want  string // part of the message of an invalid anchor
}

// anchorSchemaCases change Roadreg's own anchor in the ways the schema
// allows and in the ways it refuses.
func anchorSchemaCases(t testing.TB) []anchorCase {
	a := schemaAnchor(t)
	elem := func(name string) string { // the first <name>…</name> line
		i := strings.Index(a, "<"+name+">")
		j := strings.Index(a, "</"+name+">") + len(name) + 3
		return a[i:j]
	}
	gen, inst, url, cert := elem("generatedAt"), elem("instanceIdentifier"), elem("downloadURL"), elem("verificationCert")
	source := elem("source")
	replace := func(old, new string) string { return strings.Replace(a, old, new, 1) }
	root := func(content string) string { // the anchor with other content
		i := strings.Index(a, "<generatedAt>")
		j := strings.Index(a, "</ns3:configurationAnchor>")
		return a[:i] + content + a[j:]
	}
	nested := strings.Repeat("<x>", 20000) + strings.Repeat("</x>", 20000)
	return []anchorCase{
		{"as Roadreg builds it", a, true, ""},
		{"without generatedAt", replace(gen, ""), true, ""},
		{"two sources with two certificates", root(gen + inst + strings.Replace(source, cert, cert+cert, 1) + source), true, ""},
		{"comments and blank lines", replace(inst, "<!-- instance -->\n\n"+inst+"<!-- -->"), true, ""},
		{"another namespace declared", replace("<ns3:configurationAnchor ", `<ns3:configurationAnchor xmlns:x="urn:x" `), true, ""},

		{"without instanceIdentifier", replace(inst, ""), false, "configurationAnchor lacks instanceIdentifier"},
		{"without source", replace(source, ""), false, "configurationAnchor lacks source"},
		{"generatedAt after instanceIdentifier", root(inst + gen + source), false, "generatedAt is out of place in configurationAnchor: it must come before instanceIdentifier"},
		{"source before instanceIdentifier", root(gen + source + inst), false, "configurationAnchor lacks instanceIdentifier, which must come before source"},
		{"two instanceIdentifiers", root(gen + inst + inst + source), false, "configurationAnchor has more than one instanceIdentifier"},
		{"two generatedAt", root(gen + gen + inst + source), false, "more than one generatedAt"},
		{"source without downloadURL", replace(url, ""), false, "source lacks downloadURL, which must come before verificationCert"},
		{"source without verificationCert", replace(cert, ""), false, "source lacks verificationCert"},
		{"verificationCert before downloadURL", replace(url+"\n        "+cert, cert+url), false, "source lacks downloadURL, which must come before verificationCert"},
		{"two downloadURLs", replace(url, url+url), false, "source has more than one downloadURL"},
		{"unknown element in the root", replace(inst, inst+"<note>x</note>"), false, "configurationAnchor has an element note the anchor schema does not define"},
		{"unknown element in a source", replace(url, url+"<mirror>http://m</mirror>"), false, "source has an element mirror the anchor schema does not define"},
		{"element inside downloadURL", replace(url, "<downloadURL><b>http://cs/internalconf</b></downloadURL>"), false, "downloadURL holds text only, not an element b"},
		{"text in a source", replace(url, "hello"+url), false, `source holds text "hello"`},
		{"qualified child", replace(inst, "<ns3:instanceIdentifier>DEV</ns3:instanceIdentifier>"), false, "namespace http://x-road.eu/xsd/xroad.xsd"},
		{"attribute on a source", replace("<source>", `<source id="1">`), false, "source has an attribute id"},
		{"20,000 nested unknown elements", replace(inst, inst+nested), false, "configurationAnchor has an element x the anchor schema does not define"},
		{"20,000 nested elements in downloadURL", replace(url, "<downloadURL>"+nested+"</downloadURL>"), false, "downloadURL holds text only"},
	}
}

// ParseAnchor holds anchors to X-Road's anchor schema before it uses them:
// what the schema allows is read, what it refuses is refused with a message
// that names the element, and xmllint with the schema agrees on every case.
func TestParseAnchorFollowsSchema(t *testing.T) {
	cases := anchorSchemaCases(t)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			a, err := globalconf.ParseAnchor([]byte(tt.doc))
			if tt.valid {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if a.Instance != "DEV" || len(a.Sources) == 0 || a.Sources[0].DownloadURL != "http://cs/internalconf" {
					t.Errorf("parsed %+v", a)
				}
				return
			}
			var xe *xroad.Error
			if !errors.As(err, &xe) || xe.Code != xroad.CodeMalformedAnchor {
				t.Fatalf("err = %v, want MALFORMED_ANCHOR", err)
			}
			if !strings.Contains(xe.Message, tt.want) || !strings.Contains(xe.Message, "anchor schema") {
				t.Errorf("message %q does not say %q", xe.Message, tt.want)
			}
		})
	}
	t.Run("xmllint agrees", func(t *testing.T) {
		schema := filepath.Join(testenv.Fixtures(t), filepath.FromSlash(xsdtest.SchemaAnchor))
		xsdtest.Xmllint(t)
		for _, tt := range cases {
			err := xsdtest.ValidateWithXmllint(schema, []byte(tt.doc))
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				t.Fatal(err)
			}
			if (err == nil) != tt.valid {
				t.Errorf("%s: xmllint says %v, the case says valid=%v", tt.name, err, tt.valid)
			}
		}
	})
}

// Every real anchor is read: X-Road's samples and what Roadreg builds,
// with and without generatedAt, one or several sources.
func TestParseAnchorAcceptsRealAnchors(t *testing.T) {
	if _, err := globalconf.ParseAnchor([]byte(schemaAnchor(t))); err != nil {
		t.Errorf("Roadreg's anchor: %v", err)
	}
	t.Run("X-Road samples", func(t *testing.T) {
		for _, name := range []string{"configuration_anchor_CS_internal.xml", "trusted-anchor.xml"} {
			if _, err := globalconf.ParseAnchor(testenv.ReadSample(t, name)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}

// The anchors inside private parameters (federation) follow the same
// schema.
func TestPrivateParametersAnchorsFollowSchema(t *testing.T) {
	p := realisticPrivate(t)
	p.ConfigurationAnchors = []globalconf.Anchor{{Instance: "EE", Sources: []globalconf.AnchorSource{{DownloadURL: "http://cs.ee/internalconf", VerificationCerts: []*x509.Certificate{testPKI(t).rotated.cert}}}}}
	doc, err := globalconf.MarshalPrivateParameters(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := globalconf.ParsePrivateParameters(doc); err != nil || len(got.ConfigurationAnchors) != 1 || got.ConfigurationAnchors[0].Instance != "EE" {
		t.Fatalf("federation anchor not read back: %v", err)
	}
	bad := bytes.Replace(doc, []byte("<downloadURL>"), []byte("<mirror/><downloadURL>"), 1)
	_, err = globalconf.ParsePrivateParameters(bad)
	if !xroad.IsCode(err, xroad.CodeGlobalConfVerification) || !strings.Contains(err.Error(), "mirror") {
		t.Errorf("err = %v, want a verification failure naming mirror", err)
	}
}
