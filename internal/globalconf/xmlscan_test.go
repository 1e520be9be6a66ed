package globalconf_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/testenv"
)

// checkScanner decodes doc both ways and fails t unless the scanner's
// result, when it has one, is encoding/xml's. It returns whether the scanner
// read the document and encoding/xml's error.
func checkScanner(t *testing.T, doc []byte) (bool, error) {
	t.Helper()
	scan, scanned, ref, refErr := globalconf.DecodeSharedBothWays(doc)
	if !scanned {
		return false, refErr
	}
	if refErr != nil {
		t.Fatalf("the scanner read a document encoding/xml refuses (%v):\n%s", refErr, doc)
	}
	if !reflect.DeepEqual(scan, ref) {
		t.Fatalf("the scanner and encoding/xml disagree on\n%s\nscanner:      %+v\nencoding/xml: %+v", doc, scan, ref)
	}
	return true, nil
}

// The fast path must cover the files that are really published: Roadreg's
// own and X-Road's.
func TestSharedScannerReadsRealFiles(t *testing.T) {
	own, err := globalconf.MarshalSharedParameters(realisticShared(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string]func(t *testing.T) []byte{
		"Roadreg":         func(*testing.T) []byte { return own },
		"X-Road's sample": func(t *testing.T) []byte { return testenv.ReadSample(t, sampleVersionDir+"shared-params.xml") },
	} {
		t.Run(name, func(t *testing.T) {
			doc := doc(t)
			if scanned, err := checkScanner(t, doc); !scanned {
				t.Fatalf("the scanner gave up on a real shared-parameters file (encoding/xml: %v)", err)
			}
		})
	}
}

const scanHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ns3:conf xmlns:ns2="http://x-road.eu/xsd/identifiers" xmlns:ns3="http://x-road.eu/xsd/xroad.xsd">`

func scanDoc(body string) []byte { return []byte(scanHead + body + "</ns3:conf>\n") }

func manyAttrs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ` a%d="1"`, i)
	}
	return b.String()
}

// Documents at the edges of the scanner's subset: inside it the scanner
// reads them as encoding/xml does; outside it gives up and encoding/xml
// decides (accepting or refusing as before).
func TestSharedScannerAgreesWithEncodingXML(t *testing.T) {
	tests := []struct {
		name    string
		doc     []byte
		scanned bool
		refOK   bool // encoding/xml accepts it
	}{
		{"references", scanDoc(`<instanceIdentifier>A&amp;B&lt;&gt;&apos;&quot;&#65;&#x42;&#xd800;&#10;</instanceIdentifier>`), true, true},
		{"line ends", scanDoc("<instanceIdentifier>a\r\nb\rc\n</instanceIdentifier>\r\n"), true, true},
		{"non-ASCII text", scanDoc(`<member id="m1"><memberClass><code>GOV</code></memberClass><memberCode>1</memberCode><name>Õismäe Ühistu 𝔘</name></member>`), true, true},
		{"attributes", scanDoc(`<member xml:id='a' id="b&amp;c"><subsystem ns2:id="s" x="1"><subsystemCode>S</subsystemCode></subsystem></member>` +
			`<globalGroup><groupCode>g</groupCode><groupMember ns2:objectType='MEMBER'><ns2:xRoadInstance>DEV</ns2:xRoadInstance></groupMember></globalGroup>`), true, true},
		{"repeated elements", scanDoc(`<instanceIdentifier>A</instanceIdentifier><instanceIdentifier>B</instanceIdentifier>` +
			`<approvedCA><topCA><cert>x</cert><ocsp><url>u1</url></ocsp></topCA><topCA><ocsp><url>u2</url></ocsp></topCA>` +
			`<acmeServer><directoryURL>d</directoryURL></acmeServer><acmeServer><ipAddress>i</ipAddress></acmeServer></approvedCA>`), true, true},
		{"unknown and nested elements", scanDoc(`<future a="1"><x/>text<y><z>1</z></y></future><instanceIdentifier>DE<x>ignored</x>V</instanceIdentifier>` +
			`<securityServer><inMaintenanceMode/><other/><client>c1</client><client/></securityServer>`), true, true},
		{"booleans and integers", scanDoc(`<approvedCA><authenticationOnly> 1 </authenticationOnly></approvedCA><approvedCA><authenticationOnly/></approvedCA>` +
			`<globalSettings><ocspFreshnessSeconds> 60 </ocspFreshnessSeconds></globalSettings><globalSettings><memberClass><code>C</code></memberClass></globalSettings>`), true, true},
		{"default namespace, no declaration", []byte(`<conf xmlns="http://x-road.eu/xsd/xroad.xsd" ><instanceIdentifier >DEV</instanceIdentifier ></conf>`), true, true},
		{"empty root", []byte(`<ns3:conf xmlns:ns3="http://x-road.eu/xsd/xroad.xsd"/>`), true, true},

		{"comment", scanDoc(`<!-- c --><instanceIdentifier>DEV</instanceIdentifier>`), false, true},
		{"CDATA", scanDoc(`<instanceIdentifier><![CDATA[DEV]]></instanceIdentifier>`), false, true},
		{"processing instruction", scanDoc(`<?pi x?><instanceIdentifier>DEV</instanceIdentifier>`), false, true},
		{"namespace declared below the root", scanDoc(`<instanceIdentifier xmlns:a="urn:a">DEV</instanceIdentifier>`), false, true},
		{"duplicate attribute", scanDoc(`<member id="a" id="b"/>`), false, true},
		{"many attributes", scanDoc(`<member` + manyAttrs(20) + `/>`), false, true},
		{"deep nesting", scanDoc(strings.Repeat(`<x>`, 100) + strings.Repeat(`</x>`, 100)), false, true},
		{"space around =", scanDoc(`<member id = "a"/>`), false, true},
		{"other XML declaration", []byte(`<?xml version="1.0" encoding="utf-8"?>` + string(scanDoc(""))[len(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`):]), false, true},
		{"DOCTYPE", []byte(`<!DOCTYPE conf>` + string(scanDoc(""))), false, false},
		{"undeclared entity", scanDoc(`<instanceIdentifier>&nbsp;</instanceIdentifier>`), false, false},
		{"upper-case X in a character reference", scanDoc(`<instanceIdentifier>&#X41;</instanceIdentifier>`), false, false},
		{"character XML does not allow", scanDoc(`<instanceIdentifier>&#1;</instanceIdentifier>`), false, false},
		{"invalid UTF-8", scanDoc("<instanceIdentifier>\xff</instanceIdentifier>"), false, false},
		{"]]> in text", scanDoc(`<instanceIdentifier>a]]>b</instanceIdentifier>`), false, false},
		{"< in an attribute", scanDoc(`<member id="a<b"/>`), false, false},
		{"mismatched end tag", scanDoc(`<instanceIdentifier>DEV</instanceidentifier>`), false, false},
		{"unclosed root", []byte(strings.TrimSuffix(string(scanDoc("")), "</ns3:conf>\n")), false, false},
		{"bad boolean", scanDoc(`<approvedCA><authenticationOnly>yes</authenticationOnly></approvedCA>`), false, false},
		{"bad integer", scanDoc(`<globalSettings><ocspFreshnessSeconds>1e3</ocspFreshnessSeconds></globalSettings>`), false, false},
		{"root in another namespace", []byte(`<ns3:conf xmlns:ns3="http://x-road.eu/xsd/other"/>`), false, false},
		{"undeclared root prefix", []byte(`<ns3:conf/>`), false, false},
		{"text after the root", append(scanDoc(""), "x"...), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scanned, refErr := checkScanner(t, tt.doc)
			if scanned != tt.scanned {
				t.Errorf("scanned = %v, want %v", scanned, tt.scanned)
			}
			if (refErr == nil) != tt.refOK {
				t.Errorf("encoding/xml error = %v, want ok = %v", refErr, tt.refOK)
			}
		})
	}
}
