package globalconf_test

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/testenv"
)

// addSamples seeds f with X-Road sample files when the fixtures are present.
func addSamples(f *testing.F, files ...string) {
	for _, b := range testenv.SampleSeeds(files...) {
		f.Add(b)
	}
}

func FuzzParseAnchor(f *testing.F) {
	a, err := globalconf.BuildAnchor(globalconf.Anchor{GeneratedAt: time.Now(), Instance: "DEV", Sources: []globalconf.AnchorSource{{DownloadURL: "http://cs/internalconf", VerificationCerts: []*x509.Certificate{testPKI(f).signing.cert}}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(a)
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`))
	addSamples(f, "configuration_anchor_CS_internal.xml", "trusted-anchor.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := globalconf.ParseAnchor(data)
		if err != nil {
			return
		}
		if a.Instance == "" || len(a.Sources) == 0 {
			t.Fatalf("accepted an anchor without instance or source: %+v", a)
		}
		if _, err := globalconf.BuildAnchor(*a); err != nil {
			t.Fatalf("a parsed anchor does not build again: %v", err)
		}
	})
}

func FuzzParseDirectory(f *testing.F) {
	f.Add(signed(f, testPKI(f).signing))
	for _, l := range []layout{
		{noInnerClose: true, noOuterClose: true},
		{nl: "\n", noInnerClose: true},
		{outerType: `multipart/related;boundary="%s"`, innerType: "multipart/mixed;boundary=%s;charset=UTF-8"},
	} {
		f.Add(l.build(f, testPKI(f).signing))
	}
	addSamples(f, "globalconf/V6/internalconf")
	trusted := []*x509.Certificate{testPKI(f).signing.cert}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := globalconf.ParseDirectory(data)
		if err != nil {
			return
		}
		if d.ExpireDate.IsZero() || len(d.Signature) == 0 {
			t.Fatalf("accepted a directory without expiry or signature")
		}
		// A directory that verifies is the one ParseDirectory read.
		if v, err := globalconf.VerifyDirectory(data, "DEV", trusted, time.Now()); err == nil && (len(v.Parts) != len(d.Parts) || !v.ExpireDate.Equal(d.ExpireDate)) {
			t.Fatalf("VerifyDirectory read %d parts expiring %v, ParseDirectory %d expiring %v", len(v.Parts), v.ExpireDate, len(d.Parts), d.ExpireDate)
		}
		for i := range d.Parts {
			_ = globalconf.VerifyPart(&d.Parts[i], data)
		}
	})
}

func FuzzParseSharedParameters(f *testing.F) {
	b, err := globalconf.MarshalSharedParameters(realisticShared(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	addSamples(f, "globalconf/V6/20251110170000548026000/shared-params.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := globalconf.ParseSharedParameters(data)
		if err != nil {
			return
		}
		// Whatever parses can be looked into and written again.
		p.ServerByAuthCertHash(make([]byte, 32))
		p.CACerts()
		p.SourceVerificationCerts()
		if len(p.Sources) > 0 {
			// Duplicate members parse (X-Road would too) but are not written.
			if _, err := globalconf.MarshalSharedParameters(p); err != nil && !strings.Contains(err.Error(), "listed twice") {
				t.Fatalf("parsed shared parameters do not marshal: %v", err)
			}
		}
	})
}

func FuzzParsePrivateParameters(f *testing.F) {
	b, err := globalconf.MarshalPrivateParameters(realisticPrivate(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	addSamples(f, "globalconf/V6/20251110170000548026000/private-params.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := globalconf.ParsePrivateParameters(data)
		if err != nil {
			return
		}
		if p.InstanceIdentifier == "" {
			t.Fatal("accepted private parameters without instance")
		}
	})
}

// FuzzSharedScanner: wherever the fast scanner reads a shared-parameters
// document, encoding/xml reads it too, to the same result. Each input is
// tried as a document and, so that mutations mostly stay readable, as
// elements inside the root and as text and attribute values.
func FuzzSharedScanner(f *testing.F) {
	b, err := globalconf.MarshalSharedParameters(realisticShared(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	addSamples(f, "globalconf/V6/20251110170000548026000/shared-params.xml")
	f.Add(scanDoc(`<instanceIdentifier>A&amp;&#x42;&#10;</instanceIdentifier><member id='m'><name>Õ</name></member>`))
	f.Add(scanDoc("<approvedCA><authenticationOnly> true </authenticationOnly><topCA><cert>x\r\n</cert></topCA></approvedCA><x><y/></x>"))
	f.Add([]byte(`<member id="m"><name>x</name><subsystem id="s"/></member><securityServer><owner>m</owner><client>s</client></securityServer>`))
	f.Add([]byte("a&amp;b&#x42;\r\n]]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkScanner(t, data)
		checkScanner(t, scanDoc(string(data)))
		checkScanner(t, scanDoc(`<instanceIdentifier>`+string(data)+`</instanceIdentifier><member id="`+string(data)+`"/>`))
	})
}
