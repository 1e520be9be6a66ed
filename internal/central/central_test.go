package central

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/roadreg/roadreg/ent/managementrequest"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/pki/pkitest"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

const testPIN = "Secret-PIN-1"

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testEnv is a central server's service on the test database, with a
// caller of each role.
type testEnv struct {
	s                              *Service
	sysadmin, secoff, regoff, anon context.Context
}

func newEnv(t *testing.T) *testEnv {
	t.Helper()
	d, err := db.Open(context.Background(), testenv.DB(t).URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	s, err := New(Options{
		Client: d.Client, Dialect: d.Dialect, Events: events.NewBroker(),
		SoftTokenKDF: &softtoken.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1},
		Now:          func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	as := func(r viewer.Role) context.Context {
		return viewer.NewContext(context.Background(), &viewer.Viewer{Username: string(r), Server: viewer.Central, Roles: []viewer.Role{r}})
	}
	return &testEnv{s: s, sysadmin: as(viewer.SystemAdministrator), secoff: as(viewer.SecurityOfficer),
		regoff: as(viewer.RegistrationOfficer), anon: context.Background()}
}

func (e *testEnv) initialize(t *testing.T) {
	t.Helper()
	if err := e.s.Initialize(e.sysadmin, InitInput{InstanceIdentifier: "DEV", CentralServerAddress: "cs.example.org:4000", SoftTokenPIN: testPIN}); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if xroad.CodeOf(err) != code {
		t.Errorf("%s: %v, want code %q", what, err, code)
	}
}

func TestInitialize(t *testing.T) {
	e := newEnv(t)
	valid := InitInput{InstanceIdentifier: " DEV ", CentralServerAddress: "cs.example.org:4000", SoftTokenPIN: testPIN}
	with := func(f func(*InitInput)) InitInput { in := valid; f(&in); return in }
	for _, tc := range []struct {
		name string
		ctx  context.Context
		in   InitInput
		code string
	}{
		{"anonymous", e.anon, valid, xroad.CodeUnauthenticated},
		{"registration officer", e.regoff, valid, xroad.CodeForbidden},
		{"no instance", e.sysadmin, with(func(in *InitInput) { in.InstanceIdentifier = "" }), xroad.CodeBadUserInput},
		{"instance with a space", e.sysadmin, with(func(in *InitInput) { in.InstanceIdentifier = "D EV" }), xroad.CodeBadUserInput},
		{"no address", e.sysadmin, with(func(in *InitInput) { in.CentralServerAddress = "" }), xroad.CodeBadUserInput},
		{"address with a path", e.sysadmin, with(func(in *InitInput) { in.CentralServerAddress = "cs.example.org/x" }), xroad.CodeBadUserInput},
		{"no PIN", e.sysadmin, with(func(in *InitInput) { in.SoftTokenPIN = "" }), xroad.CodeBadUserInput},
		{"PIN with a control character", e.sysadmin, with(func(in *InitInput) { in.SoftTokenPIN = "pin\x01" }), xroad.CodeBadUserInput},
	} {
		wantCode(t, tc.name, e.s.Initialize(tc.ctx, tc.in), tc.code)
	}
	// Nothing was stored: the server is still uninitialised.
	if info, err := e.s.Info(e.sysadmin); err != nil || info.Initialized {
		t.Fatalf("after refused initialisations: %+v, %v", info, err)
	}
	_, err := e.s.AddMemberClass(e.secoff, "GOV", "Government")
	wantCode(t, "member class before initialisation", err, xroad.CodeCentralServerNotInitialized)

	if err := e.s.Initialize(e.secoff, valid); err != nil { // security officers may initialise too
		t.Fatal(err)
	}
	info, err := e.s.Info(e.regoff)
	if err != nil || !info.Initialized || info.Instance != "DEV" {
		t.Errorf("info: %+v, %v", info, err)
	}
	if !e.s.TokenLoggedIn() {
		t.Error("the software token is not logged in after initialisation")
	}
	wantCode(t, "second initialisation", e.s.Initialize(e.sysadmin, valid), xroad.CodeAlreadyInit)
}

func TestMemberClassesAndMembers(t *testing.T) {
	e := newEnv(t)
	e.initialize(t)
	for _, tc := range []struct {
		name              string
		ctx               context.Context
		code, description string
		want              string // stored code, or "" when refused
		err               string
	}{
		{"added, code upper-cased", e.secoff, " gov ", "Government", "GOV", ""},
		{"registration officer", e.regoff, "COM", "Commercial", "", xroad.CodeForbidden},
		{"same code", e.secoff, "GOV", "Other", "", xroad.CodeMemberClassExists},
		{"same description", e.secoff, "ORG", "Government", "", xroad.CodeMemberClassExists},
		{"code with a slash", e.secoff, "G/V", "Slashed", "", xroad.CodeBadUserInput},
		{"no description", e.secoff, "ORG", " ", "", xroad.CodeBadUserInput},
		{"description with a forbidden character", e.secoff, "ORG", "Orgs <b>", "", xroad.CodeBadUserInput},
		{"second class", e.secoff, "COM", "Commercial, Ltd.", "COM", ""},
	} {
		mc, err := e.s.AddMemberClass(tc.ctx, tc.code, tc.description)
		wantCode(t, tc.name, err, tc.err)
		if tc.want != "" && (mc == nil || mc.Code != tc.want) {
			t.Errorf("%s: %+v", tc.name, mc)
		}
	}
	for _, tc := range []struct {
		name, class, code, memberName string
		ctx                           context.Context
		err                           string
	}{
		{"added", "GOV", "1234", "Agency", e.regoff, ""},
		{"security officer", "GOV", "1235", "Agency", e.secoff, xroad.CodeForbidden},
		{"unknown class", "EDU", "1", "School", e.regoff, xroad.CodeMemberClassNotFound},
		{"same class and code", "GOV", "1234", "Another", e.regoff, xroad.CodeMemberExists},
		{"same code, other class", "COM", "1234", "Company", e.regoff, ""},
		{"code with a colon", "GOV", "12:34", "Agency", e.regoff, xroad.CodeBadUserInput},
		{"no name", "GOV", "1236", "  ", e.regoff, xroad.CodeBadUserInput},
	} {
		m, err := e.s.AddMember(tc.ctx, tc.class, tc.code, tc.memberName)
		wantCode(t, tc.name, err, tc.err)
		if tc.err == "" {
			if id, err := e.s.MemberID(e.regoff, m); err != nil || id != "DEV/"+tc.class+"/"+tc.code {
				t.Errorf("%s: member id %q, %v", tc.name, id, err)
			}
		}
	}
}

// testCA issues certificates for the management request tests.
type testCA struct {
	key  crypto.Signer
	cert *x509.Certificate
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key := pkitest.Key(t)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	return &testCA{key: key, cert: pkitest.Issue(t, tmpl, nil, key.Public(), key)}
}

// leaf is a PEM certificate with the key usage (authentication:
// digitalSignature; signing: nonRepudiation).
func (ca *testCA) leaf(t *testing.T, serial int64, ku x509.KeyUsage) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{Country: []string{"DEV"}, CommonName: "ss"},
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.AddDate(1, 0, 0), KeyUsage: ku}
	c := pkitest.Issue(t, tmpl, ca.cert, pkitest.Key(t).Public(), ca.key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

func pemOf(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// TestManagementRequests: CENTER-origin registration requests (MEMBER_12),
// their checks, approval (MEMBER_36) and decline.
func TestManagementRequests(t *testing.T) {
	e := newEnv(t)
	e.initialize(t)
	ca, unapproved := newTestCA(t, "Approved CA"), newTestCA(t, "Unknown CA")
	if _, err := e.s.AddMemberClass(e.secoff, "GOV", "Government"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.AddMember(e.regoff, "GOV", "1234", "Agency"); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.AddApprovedCertificationService(e.regoff, CAInput{CACertificate: pemOf(ca.cert)})
	wantCode(t, "CA by a registration officer", err, xroad.CodeForbidden)
	if _, err := e.s.AddApprovedCertificationService(e.sysadmin, CAInput{CACertificate: pemOf(ca.cert),
		OCSPResponders: []OCSPResponderInput{{URL: "http://ocsp.example.org"}}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.AddApprovedCertificationService(e.sysadmin, CAInput{CACertificate: pemOf(ca.cert)})
	wantCode(t, "the same CA again", err, xroad.CodeApprovedCAExists)

	auth := ca.leaf(t, 10, x509.KeyUsageDigitalSignature)
	for _, tc := range []struct {
		name, member, server, cert string
		ctx                        context.Context
		code                       string
	}{
		{"security officer", "DEV/GOV/1234", "SS1", auth, e.secoff, xroad.CodeForbidden},
		{"malformed member id", "DEV/GOV", "SS1", auth, e.regoff, xroad.CodeInvalidIdentifier},
		{"member of another instance", "EE/GOV/1234", "SS1", auth, e.regoff, xroad.CodeBadUserInput},
		{"unknown member", "DEV/GOV/9999", "SS1", auth, e.regoff, xroad.CodeManagementRequestServerOwnerNotFound},
		{"bad server code", "DEV/GOV/1234", "S/1", auth, e.regoff, xroad.CodeBadUserInput},
		{"not a certificate", "DEV/GOV/1234", "SS1", "garbage", e.regoff, xroad.CodeManagementRequestInvalidAuthCertificate},
		{"signing certificate", "DEV/GOV/1234", "SS1", ca.leaf(t, 11, x509.KeyUsageContentCommitment), e.regoff, xroad.CodeManagementRequestInvalidAuthCertificate},
		{"CA not approved", "DEV/GOV/1234", "SS1", unapproved.leaf(t, 12, x509.KeyUsageDigitalSignature), e.regoff, xroad.CodeManagementRequestInvalidAuthCertificate},
	} {
		_, err := e.s.AddOwnedSecurityServer(tc.ctx, tc.member, tc.server, tc.cert)
		wantCode(t, tc.name, err, tc.code)
	}

	req, err := e.s.AddOwnedSecurityServer(e.regoff, "DEV/GOV/1234", "SS1", auth)
	if err != nil || req.Status != managementrequest.StatusWAITING || req.Origin != managementrequest.OriginCENTER || req.RequestID == 0 {
		t.Fatalf("request: %+v, %v", req, err)
	}
	if id := ServerIDOf(req); id.String() != "DEV/GOV/1234/SS1" {
		t.Errorf("server id of the request: %s", id)
	}
	_, err = e.s.Approve(e.secoff, req.ID)
	wantCode(t, "approval by a security officer", err, xroad.CodeForbidden)
	approved, err := e.s.Approve(e.regoff, req.ID)
	if err != nil || approved.Status != managementrequest.StatusAPPROVED {
		t.Fatalf("approve: %+v, %v", approved, err)
	}
	_, err = e.s.Approve(e.regoff, req.ID)
	wantCode(t, "second approval", err, xroad.CodeManagementRequestInvalidStateForApproval)
	_, err = e.s.Decline(e.regoff, req.ID, "too late")
	wantCode(t, "decline after approval", err, xroad.CodeManagementRequestInvalidState)
	_, err = e.s.Approve(e.regoff, 987654)
	wantCode(t, "unknown request", err, xroad.CodeManagementRequestNotFound)
	_, err = e.s.AddOwnedSecurityServer(e.regoff, "DEV/GOV/1234", "SS1", ca.leaf(t, 13, x509.KeyUsageDigitalSignature))
	wantCode(t, "a registered server code", err, xroad.CodeManagementRequestServerCodeExists)

	// A CENTER-origin request without a pair is revoked, not declined.
	second, err := e.s.AddOwnedSecurityServer(e.regoff, "DEV/GOV/1234", "SS2", ca.leaf(t, 14, x509.KeyUsageDigitalSignature))
	if err != nil || second.RequestID <= req.RequestID {
		t.Fatalf("second request: %+v, %v (request ids grow)", second, err)
	}
	revoked, err := e.s.Decline(e.regoff, second.ID, " not ours ")
	if err != nil || revoked.Status != managementrequest.StatusREVOKED || revoked.Comments == nil || *revoked.Comments != "not ours" {
		t.Fatalf("decline: %+v, %v", revoked, err)
	}
}

// TestConfigurationInputs: what the shared and private parameters are
// generated from — the instance, member classes, members with their
// servers and authentication certificates, approved CAs and TSAs, the
// security-server owners group and the management service.
func TestConfigurationInputs(t *testing.T) {
	e := newEnv(t)
	e.initialize(t)
	ca := newTestCA(t, "Approved CA")
	tsaKey := pkitest.Key(t)
	tsa := pkitest.Issue(t, &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Test TSA"},
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}}, ca.cert, tsaKey.Public(), ca.key)
	for _, step := range []func() error{
		func() error { _, err := e.s.AddMemberClass(e.secoff, "GOV", "Government"); return err },
		func() error { _, err := e.s.AddMemberClass(e.secoff, "COM", "Commercial"); return err },
		func() error { _, err := e.s.AddMember(e.regoff, "GOV", "1234", "Agency"); return err },
		func() error {
			_, err := e.s.AddApprovedCertificationService(e.sysadmin, CAInput{CACertificate: pemOf(ca.cert),
				OCSPResponders: []OCSPResponderInput{{URL: "http://ocsp.example.org"}}})
			return err
		},
		func() error {
			_, err := e.s.AddApprovedTimestampingAuthority(e.sysadmin, TSAInput{URL: "http://tsa.example.org", Certificate: pemOf(tsa)})
			return err
		},
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	auth := ca.leaf(t, 10, x509.KeyUsageDigitalSignature)
	req, err := e.s.AddOwnedSecurityServer(e.regoff, "DEV/GOV/1234", "SS1", auth)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Approve(e.regoff, req.ID); err != nil {
		t.Fatal(err)
	}

	ctx := sys(context.Background())
	conf, err := e.s.conf(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shared, private, err := e.s.buildParameters(ctx, conf)
	if err != nil {
		t.Fatal(err)
	}
	authCert, _ := pki.ParseCertificate([]byte(auth))
	authHash := sha256.Sum256(authCert.Raw)
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"instance", shared.InstanceIdentifier == "DEV" && private.InstanceIdentifier == "DEV"},
		{"source address without port", len(shared.Sources) == 1 && shared.Sources[0].Address == "cs.example.org"},
		{"verification certificate", len(shared.Sources) == 1 && len(shared.Sources[0].InternalVerificationCerts) == 1},
		{"OCSP freshness", shared.GlobalSettings.OCSPFreshnessSeconds == OCSPFreshnessSeconds},
		{"member classes, sorted", len(shared.GlobalSettings.MemberClasses) == 2 && shared.GlobalSettings.MemberClasses[0].Code == "COM"},
		{"member", len(shared.Members) == 1 && shared.Members[0].Code == "1234" && shared.Members[0].Name == "Agency"},
		{"security server", len(shared.SecurityServers) == 1 && shared.SecurityServers[0].ID.String() == "DEV/GOV/1234/SS1"},
		{"its authentication certificate", len(shared.SecurityServers) == 1 && len(shared.SecurityServers[0].AuthCertHashes) == 1 &&
			string(shared.SecurityServers[0].AuthCertHashes[0]) == string(authHash[:])},
		{"approved CA with OCSP", len(shared.ApprovedCAs) == 1 && shared.ApprovedCAs[0].TopCA.Cert.Equal(ca.cert) &&
			len(shared.ApprovedCAs[0].TopCA.OCSP) == 1 && shared.ApprovedCAs[0].TopCA.OCSP[0].URL == "http://ocsp.example.org"},
		{"approved TSA", len(shared.ApprovedTSAs) == 1 && shared.ApprovedTSAs[0].URL == "http://tsa.example.org" && shared.ApprovedTSAs[0].Name == "Test TSA"},
		{"owners group", len(shared.GlobalGroups) == 1 && shared.GlobalGroups[0].Code == SecurityServerOwnersGroup &&
			len(shared.GlobalGroups[0].Members) == 1 && shared.GlobalGroups[0].Members[0].String() == "DEV/GOV/1234"},
		{"management service address", private.ManagementService.AuthCertRegServiceAddress == "http://cs.example.org:4000/managementservice/"},
		{"management service provider", private.ManagementService.ManagementRequestServiceProviderID.String() == "DEV/ORG/CENTRAL/MANAGEMENT"},
		{"management service TLS certificate", private.ManagementService.AuthCertRegServiceCert != nil},
		{"timestamping interval", private.TimeStampingIntervalSeconds == TimeStampingIntervalSeconds},
	} {
		if !c.ok {
			t.Errorf("%s: shared %+v private %+v", c.name, shared, private)
		}
	}
}
