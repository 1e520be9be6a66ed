package globalconf_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/globalconf/xsdtest"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

// sameCerts compares certificate lists by DER.
func sameCerts(a, b []*x509.Certificate) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// Every kind of file Roadreg generates validates against X-Road's XSDs.
func TestGeneratedFilesValidateAgainstXSD(t *testing.T) {
	fullPrivate := realisticPrivate(t)
	fullPrivate.ConfigurationAnchors = []globalconf.Anchor{{Instance: "EE", Sources: []globalconf.AnchorSource{{DownloadURL: "http://ee/externalconf", VerificationCerts: []*x509.Certificate{testPKI(t).rotated.cert}}}}}
	minimalShared := &globalconf.SharedParameters{InstanceIdentifier: "DEV", Sources: []globalconf.ConfigurationSource{{Address: "cs"}}, GlobalSettings: globalconf.GlobalSettings{OCSPFreshnessSeconds: 3600}}
	build := map[string]func() ([]byte, error){
		"shared parameters":           func() ([]byte, error) { return globalconf.MarshalSharedParameters(realisticShared(t)) },
		"minimal shared parameters":   func() ([]byte, error) { return globalconf.MarshalSharedParameters(minimalShared) },
		"private parameters":          func() ([]byte, error) { return globalconf.MarshalPrivateParameters(realisticPrivate(t)) },
		"private parameters + anchor": func() ([]byte, error) { return globalconf.MarshalPrivateParameters(fullPrivate) },
		"anchor": func() ([]byte, error) {
			return globalconf.BuildAnchor(globalconf.Anchor{GeneratedAt: time.Now(), Instance: "DEV", Sources: []globalconf.AnchorSource{
				{DownloadURL: "http://cs/internalconf", VerificationCerts: []*x509.Certificate{testPKI(t).signing.cert, testPKI(t).rotated.cert}},
				{DownloadURL: "https://cs/internalconf", VerificationCerts: []*x509.Certificate{testPKI(t).signing.cert}},
			}})
		},
		"anchor without generatedAt": func() ([]byte, error) {
			return globalconf.BuildAnchor(globalconf.Anchor{Instance: "DEV", Sources: []globalconf.AnchorSource{{DownloadURL: "http://cs/internalconf", VerificationCerts: []*x509.Certificate{testPKI(t).signing.cert}}}})
		},
	}
	schema := map[string]string{
		"shared parameters": xsdtest.SchemaSharedParametersV6, "minimal shared parameters": xsdtest.SchemaSharedParametersV6,
		"private parameters": xsdtest.SchemaPrivateParametersV3, "private parameters + anchor": xsdtest.SchemaPrivateParametersV3,
		"anchor": xsdtest.SchemaAnchor, "anchor without generatedAt": xsdtest.SchemaAnchor,
	}
	for name, f := range build {
		t.Run(name, func(t *testing.T) {
			doc, err := f()
			if err != nil {
				t.Fatal(err)
			}
			xsdtest.Validate(t, schema[name], doc)
		})
	}
}

func TestSharedParametersRoundTrip(t *testing.T) {
	want := realisticShared(t)
	doc, err := globalconf.MarshalSharedParameters(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := globalconf.ParseSharedParameters(doc)
	if err != nil {
		t.Fatal(err)
	}
	// Certificates are compared by DER; everything else structurally.
	if !sameCerts(got.Sources[0].InternalVerificationCerts, want.Sources[0].InternalVerificationCerts) ||
		!sameCerts(got.Sources[0].ExternalVerificationCerts, want.Sources[0].ExternalVerificationCerts) {
		t.Error("source certificates differ")
	}
	for i := range want.ApprovedCAs {
		if !sameCerts(got.ApprovedCAs[i].Certs(), want.ApprovedCAs[i].Certs()) {
			t.Errorf("CA %d certificates differ", i)
		}
	}
	if !got.ApprovedCAs[0].TopCA.OCSP[0].Cert.Equal(want.ApprovedCAs[0].TopCA.OCSP[0].Cert) || got.ApprovedCAs[1].IntermediateCAs[0].OCSP[0].Cert != nil {
		t.Error("OCSP certificates differ")
	}
	if !got.ApprovedTSAs[0].Cert.Equal(want.ApprovedTSAs[0].Cert) {
		t.Error("TSA certificate differs")
	}
	stripCerts := func(p *globalconf.SharedParameters) globalconf.SharedParameters {
		c := *p
		c.Sources = nil
		c.ApprovedCAs = append([]globalconf.ApprovedCA(nil), p.ApprovedCAs...)
		for i := range c.ApprovedCAs {
			ca := &c.ApprovedCAs[i]
			ca.TopCA, ca.IntermediateCAs = globalconf.CAInfo{}, nil
		}
		c.ApprovedTSAs = append([]globalconf.ApprovedTSA(nil), p.ApprovedTSAs...)
		for i := range c.ApprovedTSAs {
			c.ApprovedTSAs[i].Cert = nil
		}
		return c
	}
	if g, w := stripCerts(got), stripCerts(want); !reflect.DeepEqual(g, w) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", g, w)
	}
	// Marshalling the parsed value gives the same document.
	again, err := globalconf.MarshalSharedParameters(got)
	if err != nil || !bytes.Equal(again, doc) {
		t.Errorf("re-marshalled document differs (err %v)", err)
	}
	// Lookups on the generated file.
	p := testPKI(t)
	if s, ok := got.ServerByAuthCertHash(globalconf.AuthCertHash(p.auth2.cert.Raw)); !ok || s.ID.ServerCode != "SS2" || s.MaintenanceMode == nil {
		t.Errorf("ServerByAuthCertHash(auth2) = %+v, %v", s, ok)
	}
	if _, ok := got.ServerByAuthCertHash(globalconf.AuthCertHash(p.mgmtTLS.cert.Raw)); ok {
		t.Error("an unregistered auth cert hash was found")
	}
	if ca, ok := got.ApprovedCAFor(p.auth2.cert); !ok || ca.Name != "Roadreg Test CA 2" {
		t.Errorf("ApprovedCAFor(auth2, issued by an intermediate) = %v, %v", ca, ok)
	}
	if _, ok := got.ApprovedCAFor(p.mgmtTLS.cert); ok {
		t.Error("ApprovedCAFor found a CA for a self-signed certificate")
	}
	if o := got.OCSPResponders(p.ca2inter.cert); len(o) != 1 || o[0].URL != "http://ocsp2.example.org" {
		t.Errorf("OCSPResponders(intermediate) = %+v", o)
	}
	if got := got.SourceVerificationCerts(); len(got) != 2 {
		t.Errorf("SourceVerificationCerts: %d, want 2", len(got))
	}
}

func TestPrivateParametersRoundTrip(t *testing.T) {
	want := realisticPrivate(t)
	doc, err := globalconf.MarshalPrivateParameters(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := globalconf.ParsePrivateParameters(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ManagementService.AuthCertRegServiceCert.Equal(want.ManagementService.AuthCertRegServiceCert) {
		t.Error("management TLS certificate differs")
	}
	g, w := *got, *want
	g.ManagementService.AuthCertRegServiceCert, w.ManagementService.AuthCertRegServiceCert = nil, nil
	if !reflect.DeepEqual(g, w) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", g, w)
	}
}

func TestAnchorBuildParse(t *testing.T) {
	p := testPKI(t)
	want := globalconf.Anchor{
		GeneratedAt: time.Date(2026, 11, 26, 10, 0, 0, 123e6, time.UTC),
		Instance:    "DEV",
		Sources: []globalconf.AnchorSource{
			{DownloadURL: "http://cs.example.org/internalconf", VerificationCerts: []*x509.Certificate{p.signing.cert}},
			{DownloadURL: "https://cs2.example.org/internalconf", VerificationCerts: []*x509.Certificate{p.signing.cert, p.rotated.cert}},
		},
	}
	doc, err := globalconf.BuildAnchor(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := globalconf.ParseAnchor(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !got.GeneratedAt.Equal(want.GeneratedAt) || got.Instance != "DEV" || len(got.Sources) != 2 ||
		got.Sources[1].DownloadURL != want.Sources[1].DownloadURL || !sameCerts(got.Sources[1].VerificationCerts, want.Sources[1].VerificationCerts) {
		t.Errorf("anchor round trip: %+v", got)
	}
	if h := globalconf.AnchorHash(doc); len(h) != 56 || strings.ToUpper(h) != h {
		t.Errorf("AnchorHash = %q, want 56 upper-case hex digits", h)
	}
	if _, err := globalconf.BuildAnchor(globalconf.Anchor{Instance: "DEV"}); err == nil {
		t.Error("BuildAnchor without a source succeeded")
	}
}

func TestMarshalRefusesDanglingReferences(t *testing.T) {
	p := realisticShared(t)
	p.SecurityServers[0].Clients = append(p.SecurityServers[0].Clients, subsystem("COM", "9999", "X"))
	if _, err := globalconf.MarshalSharedParameters(p); err == nil || !strings.Contains(err.Error(), "COM/9999/X") {
		t.Errorf("dangling client: %v", err)
	}
	p = realisticShared(t)
	p.SecurityServers[0].ID.Owner = member("COM", "0000")
	if _, err := globalconf.MarshalSharedParameters(p); err == nil {
		t.Error("unknown owner accepted")
	}
}

// A document with a DOCTYPE, an internal entity (billion laughs) or an
// external entity (XXE) is refused by every parser.
func TestParsersRefuseDoctype(t *testing.T) {
	shared, private := realisticFiles(t)
	anchor, err := globalconf.BuildAnchor(globalconf.Anchor{Instance: "DEV", Sources: []globalconf.AnchorSource{{DownloadURL: "http://cs/internalconf", VerificationCerts: []*x509.Certificate{testPKI(t).signing.cert}}}})
	if err != nil {
		t.Fatal(err)
	}
	inject := func(doc []byte, dtd string) []byte {
		i := bytes.Index(doc, []byte("?>")) + 2
		out := append([]byte{}, doc[:i]...)
		out = append(out, dtd...)
		return append(out, bytes.Replace(doc[i:], []byte("<instanceIdentifier>DEV"), []byte("<instanceIdentifier>&x;DEV"), 1)...)
	}
	dtds := map[string]string{
		"external entity": `<!DOCTYPE conf [<!ENTITY x SYSTEM "file:///etc/passwd">]>`,
		"billion laughs":  `<!DOCTYPE conf [<!ENTITY a "aaaaaaaaaa"><!ENTITY x "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>`,
	}
	parsers := []struct {
		name  string
		doc   []byte
		parse func([]byte) error
		code  string
	}{
		{"shared", shared, func(b []byte) error { _, err := globalconf.ParseSharedParameters(b); return err }, xroad.CodeGlobalConfVerification},
		{"private", private, func(b []byte) error { _, err := globalconf.ParsePrivateParameters(b); return err }, xroad.CodeGlobalConfVerification},
		{"anchor", anchor, func(b []byte) error { _, err := globalconf.ParseAnchor(b); return err }, xroad.CodeMalformedAnchor},
	}
	for _, p := range parsers {
		if err := p.parse(p.doc); err != nil {
			t.Fatalf("%s: clean document refused: %v", p.name, err)
		}
		for dname, dtd := range dtds {
			err := p.parse(inject(p.doc, dtd))
			if !xroad.IsCode(err, p.code) || !strings.Contains(err.Error(), "DOCTYPE") {
				t.Errorf("%s with %s: %v, want %s mentioning DOCTYPE", p.name, dname, err, p.code)
			}
		}
	}
}

func TestParseAnchorRejects(t *testing.T) {
	cert := testPKI(t).signing.cert
	good, err := globalconf.BuildAnchor(globalconf.Anchor{Instance: "DEV", Sources: []globalconf.AnchorSource{{DownloadURL: "http://cs/internalconf", VerificationCerts: []*x509.Certificate{cert}}}})
	if err != nil {
		t.Fatal(err)
	}
	replace := func(old, new string) []byte { return bytes.Replace(good, []byte(old), []byte(new), 1) }
	tests := []struct {
		name string
		doc  []byte
		want string
	}{
		{"not XML", []byte("this is not an anchor"), "not a configuration anchor"},
		{"empty", nil, "not a configuration anchor"},
		{"JSON", []byte(`{"instance":"DEV"}`), "not a configuration anchor"},
		{"wrong root", replace("configurationAnchor", "conf"), "root element"},
		{"no namespace", []byte(`<configurationAnchor><instanceIdentifier>DEV</instanceIdentifier></configurationAnchor>`), "root element"},
		{"missing instance", replace("<instanceIdentifier>DEV</instanceIdentifier>", ""), "instanceIdentifier"},
		{"missing source", regexpCut(good, "<source>", "</source>"), "source"},
		{"bad certificate", replace("<verificationCert>MII", "<verificationCert>AAAMII"), "verificationCert"},
		{"certificate not base64", replace("<verificationCert>MII", "<verificationCert>*"), "verificationCert"},
		{"relative download URL", replace("http://cs/internalconf", "/internalconf"), "download URL"},
		{"too large", append(good, bytes.Repeat([]byte(" "), globalconf.MaxAnchorSize)...), "bytes"},
		{"truncated", good[:len(good)/2], "not a configuration anchor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := globalconf.ParseAnchor(tt.doc)
			if !xroad.IsCode(err, xroad.CodeMalformedAnchor) {
				t.Fatalf("err = %v, want MALFORMED_ANCHOR", err)
			}
			var xe *xroad.Error
			if errors.As(err, &xe); !strings.Contains(xe.Message, tt.want) {
				t.Errorf("message %q does not mention %q", xe.Message, tt.want)
			}
		})
	}
}

// regexpCut removes doc[from-start .. to-end] (first occurrence).
func regexpCut(doc []byte, from, to string) []byte {
	i := bytes.Index(doc, []byte(from))
	j := bytes.Index(doc, []byte(to)) + len(to)
	return append(append([]byte{}, doc[:i]...), doc[j:]...)
}

// Certificates in parameters may be base64 of PEM (as X-Road writes CA certs).
func TestParseAcceptsBase64OfPEM(t *testing.T) {
	p := testPKI(t)
	doc, err := globalconf.MarshalSharedParameters(realisticShared(t))
	if err != nil {
		t.Fatal(err)
	}
	der := b64(p.ca1.cert.Raw)
	pemText := b64([]byte("-----BEGIN CERTIFICATE-----\n" + wrap(der) + "-----END CERTIFICATE-----\n"))
	doc = bytes.Replace(doc, []byte(der), []byte(pemText), 1)
	sp, err := globalconf.ParseSharedParameters(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !sp.ApprovedCAs[0].TopCA.Cert.Equal(p.ca1.cert) {
		t.Error("base64-of-PEM CA certificate not decoded to the same certificate")
	}
}

// The sample shared parameters (with ACME settings, CSR format, cost types)
// survive parse + marshal as a v6-valid document, and xmllint really rejects
// an invalid one.
func TestSampleSharedParametersRemarshalValidates(t *testing.T) {
	sample := testenv.ReadSample(t, sampleVersionDir+"shared-params.xml")
	sp, err := globalconf.ParseSharedParameters(sample)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := globalconf.MarshalSharedParameters(sp)
	if err != nil {
		t.Fatal(err)
	}
	xsdtest.Validate(t, xsdtest.SchemaSharedParametersV6, doc)
	for _, want := range []string{"<directoryURL>http://testca:8887</directoryURL>", "<defaultCsrFormat>PEM</defaultCsrFormat>", "<subsystemName>Test consumer</subsystemName>"} {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("re-marshalled sample lacks %s", want)
		}
	}

	t.Run("xmllint rejects shared parameters without globalSettings", func(t *testing.T) {
		invalid := regexpCut(doc, "<globalSettings>", "</globalSettings>")
		schema := filepath.Join(testenv.Fixtures(t), xsdtest.SchemaSharedParametersV6)
		xsdtest.Xmllint(t)
		if err := xsdtest.ValidateWithXmllint(schema, invalid); err == nil || !strings.Contains(err.Error(), "globalSettings") {
			t.Errorf("xmllint accepted shared parameters without globalSettings: %v", err)
		}
	})
}
