package globalconf_test

import (
	"errors"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

const sampleVersionDir = "globalconf/V6/20251110170000548026000/"

func TestParseSampleAnchors(t *testing.T) {
	tests := []struct {
		file, instance, hash string
		urls                 []string
	}{
		{"configuration_anchor_CS_internal.xml", "DEV", "5470AFFE1578E00369FBC3BE99D0B00BD077215214873D2CB36D7CC7", []string{"http://cs/internalconf", "https://cs/internalconf"}},
		{"trusted-anchor.xml", "CS0", "402A4F9405D29BEDC9EEA26DECEC11945DC9A83E291FB292A6E4DF1D", []string{"http://cs0/internalconf"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := testenv.ReadSample(t, tt.file)
			if got := globalconf.AnchorHash(data); got != tt.hash {
				t.Errorf("AnchorHash = %s, want %s", got, tt.hash)
			}
			a, err := globalconf.ParseAnchor(data)
			if err != nil {
				t.Fatal(err)
			}
			if a.Instance != tt.instance {
				t.Errorf("instance = %q, want %q", a.Instance, tt.instance)
			}
			if len(a.Sources) != len(tt.urls) {
				t.Fatalf("%d sources, want %d", len(a.Sources), len(tt.urls))
			}
			for i, u := range tt.urls {
				if a.Sources[i].DownloadURL != u || len(a.Sources[i].VerificationCerts) != 1 {
					t.Errorf("source %d = %s with %d certs, want %s with 1", i, a.Sources[i].DownloadURL, len(a.Sources[i].VerificationCerts), u)
				}
			}
			if a.GeneratedAt.IsZero() {
				t.Error("generatedAt not parsed")
			}
			if got := len(a.VerificationCerts()); got != 1 {
				t.Errorf("VerificationCerts() has %d certs, want 1 (deduplicated)", got)
			}
		})
	}
}

func sampleAnchor(t *testing.T) *globalconf.Anchor {
	t.Helper()
	a, err := globalconf.ParseAnchor(testenv.ReadSample(t, "configuration_anchor_CS_internal.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestVerifySampleDirectory(t *testing.T) {
	anchor := sampleAnchor(t)
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	dir, err := globalconf.VerifyDirectory(testenv.ReadSample(t, "globalconf/V6/internalconf"), "DEV", anchor.VerificationCerts(), now)
	if err != nil {
		t.Fatalf("VerifyDirectory with the anchor certificate: %v", err)
	}
	if dir.Version != 6 || !dir.ExpireDate.Equal(time.Date(2035, 11, 11, 3, 7, 40, 0, time.UTC)) {
		t.Errorf("version %d, expire %v", dir.Version, dir.ExpireDate)
	}
	if len(dir.SignedData) != 843 {
		t.Errorf("signed data has %d bytes, want 843 (file bytes [184,1027))", len(dir.SignedData))
	}
	if dir.Instance() != "DEV" {
		t.Errorf("Instance() = %q", dir.Instance())
	}
	for _, tt := range []struct{ id, file string }{
		{globalconf.ContentSharedParameters, "shared-params.xml"},
		{globalconf.ContentPrivateParameters, "private-params.xml"},
	} {
		p, ok := dir.Part(tt.id, "DEV")
		if !ok {
			t.Fatalf("no %s part for DEV (single quotes in Content-identifier not understood?)", tt.id)
		}
		if p.ContentLocation != "/V6/20251110170000548026000/"+tt.file {
			t.Errorf("%s location = %s", tt.id, p.ContentLocation)
		}
		if err := globalconf.VerifyPart(p, testenv.ReadSample(t, sampleVersionDir+tt.file)); err != nil {
			t.Errorf("VerifyPart(%s): %v", tt.id, err)
		}
	}
	// Expired when pinned after the Expire-date.
	_, err = globalconf.VerifyDirectory(testenv.ReadSample(t, "globalconf/V6/internalconf"), "DEV", anchor.VerificationCerts(), time.Date(2035, 11, 12, 0, 0, 0, 0, time.UTC))
	if !xroad.IsCode(err, xroad.CodeGlobalConfOutdated) || !errors.Is(err, globalconf.ErrExpired) {
		t.Errorf("after expiry: %v, want GLOBAL_CONF_OUTDATED", err)
	}
}

func TestParseSampleParameters(t *testing.T) {
	sp, err := globalconf.ParseSharedParameters(testenv.ReadSample(t, sampleVersionDir+"shared-params.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if sp.InstanceIdentifier != "DEV" || len(sp.Members) != 2 || len(sp.SecurityServers) != 2 {
		t.Fatalf("instance %q, %d members, %d servers", sp.InstanceIdentifier, len(sp.Members), len(sp.SecurityServers))
	}
	if name, ok := sp.MemberName(member("COM", "1234")); !ok || name != "Test member" {
		t.Errorf("MemberName(COM/1234) = %q, %v", name, ok)
	}
	if !sp.IsClientKnown(subsystem("COM", "1234", "test-consumer")) || sp.IsClientKnown(subsystem("COM", "1234", "nope")) {
		t.Error("IsClientKnown wrong for subsystems")
	}
	if len(sp.Members[0].Subsystems) != 4 || sp.Members[0].Subsystems[0].Name != "Management services" {
		t.Errorf("subsystems of COM/1234: %+v", sp.Members[0].Subsystems)
	}
	ss0 := sp.SecurityServers[0]
	if ss0.ID.String() != "DEV/COM/1234/SS0" || ss0.Address != "ss0" || len(ss0.Clients) != 4 || ss0.Clients[3] != subsystem("COM", "4321", "TestClient") {
		t.Errorf("SS0 = %+v", ss0)
	}
	if s, ok := sp.ServerByAuthCertHash(ss0.AuthCertHashes[0]); !ok || s.ID.ServerCode != "SS0" {
		t.Error("ServerByAuthCertHash does not find SS0")
	}
	if len(sp.ApprovedTSAs) != 1 || sp.ApprovedTSAs[0].Name != "Test TSA" || sp.ApprovedTSAs[0].URL != "http://testca:8899" || sp.ApprovedTSAs[0].CostType != globalconf.CostFree {
		t.Errorf("TSAs = %+v", sp.ApprovedTSAs)
	}
	if _, ok := sp.ApprovedTSA("Test TSA", "http://testca:8899"); !ok {
		t.Error("ApprovedTSA(Test TSA) not found")
	}
	ca, ok := sp.ApprovedCA("New CA")
	if !ok || ca.DefaultCSRFormat != "PEM" || ca.TopCA.Cert == nil || len(ca.TopCA.OCSP) != 1 || ca.TopCA.OCSP[0].Cert == nil || ca.ACMEServer == nil {
		t.Fatalf("New CA = %+v", ca)
	}
	if got := sp.OCSPResponders(ca.TopCA.Cert); len(got) != 1 || got[0].URL != "http://testca:8888" {
		t.Errorf("OCSPResponders = %+v", got)
	}
	if len(sp.CACerts()) != 2 {
		t.Errorf("CACerts: %d", len(sp.CACerts()))
	}
	if len(sp.GlobalGroups) != 1 || sp.GlobalGroups[0].Code != "security-server-owners" || len(sp.GlobalGroups[0].Members) != 2 {
		t.Errorf("groups = %+v", sp.GlobalGroups)
	}
	if mc := sp.MemberClasses(); len(mc) != 3 || mc[1].Code != "GOV" || sp.GlobalSettings.OCSPFreshnessSeconds != 3600 {
		t.Errorf("settings = %+v", sp.GlobalSettings)
	}
	if len(sp.SourceVerificationCerts()) != 1 {
		t.Errorf("source certs: %d", len(sp.SourceVerificationCerts()))
	}

	pp, err := globalconf.ParsePrivateParameters(testenv.ReadSample(t, sampleVersionDir+"private-params.xml"))
	if err != nil {
		t.Fatal(err)
	}
	ms := pp.ManagementService
	if pp.InstanceIdentifier != "DEV" || ms.AuthCertRegServiceAddress != "https://cs:4001/managementservice/" ||
		ms.AuthCertRegServiceCert == nil || ms.ManagementRequestServiceProviderID != subsystem("COM", "1234", "MANAGEMENT") ||
		pp.TimeStampingIntervalSeconds != 60 || len(pp.ConfigurationAnchors) != 0 {
		t.Errorf("private parameters = %+v", pp)
	}
}
