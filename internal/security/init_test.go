package security

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/roadreg/roadreg/ent/token"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestInitParamProblems(t *testing.T) {
	all := InitInput{OwnerMemberClass: "GOV", OwnerMemberCode: "1234", ServerCode: "SS1", SoftTokenPIN: "1234"}
	none := InitInput{}
	cases := []struct {
		name  string
		state initState
		in    InitInput
		want  []string
	}{
		{"fresh, everything given", initState{}, all, nil},
		{"fresh, nothing given", initState{}, none, []string{initServerCodeNotProvided, initMemberClassNotProvided, initMemberCodeNotProvided, initPINNotProvided}},
		{"fresh, no PIN", initState{}, InitInput{OwnerMemberClass: "GOV", OwnerMemberCode: "1234", ServerCode: "SS1"}, []string{initPINNotProvided}},
		{"code and owner done, PIN given", initState{ServerCode: true, Owner: true}, InitInput{SoftTokenPIN: "1234"}, nil},
		{"code and owner done, all given", initState{ServerCode: true, Owner: true}, all, []string{initServerCodeExists, initMemberClassExists, initMemberCodeExists}},
		{"token done, PIN given again", initState{SoftToken: true}, all, []string{initPINExists}},
	}
	for _, tc := range cases {
		if got := initParamProblems(tc.state, tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestInitWarnings(t *testing.T) {
	owner := xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"}
	server := xroad.ServerID{Owner: owner, ServerCode: "SS1"}
	cases := []struct {
		name                    string
		state                   initState
		ownerKnown, serverKnown bool
		want                    []xroad.Warning
	}{
		{"known owner, new server", initState{}, true, false, nil},
		{"unknown owner", initState{}, false, false, []xroad.Warning{{Code: WarnUnregisteredMember, Metadata: []string{"DEV/GOV/1234"}}}},
		{"server id exists", initState{}, true, true, []xroad.Warning{{Code: WarnServerIDExists, Metadata: []string{"DEV/GOV/1234/SS1"}}}},
		{"partly initialised", initState{ServerCode: true, Owner: true}, true, false, []xroad.Warning{{Code: WarnServerCodeExists}, {Code: WarnServerOwnerExists}}},
		{"soft token done", initState{SoftToken: true}, true, false, []xroad.Warning{{Code: WarnSoftTokenInitialized}}},
	}
	for _, tc := range cases {
		if got := initWarnings(tc.state, owner, server, tc.ownerKnown, tc.serverKnown); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// cheapKDF keeps the software token's key derivation fast in tests.
var cheapKDF = &softtoken.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

// newTestService opens a fresh database with an anchor row (initialisation
// needs one) and returns a service on it.
func newTestService(t *testing.T, enforcePINPolicy bool) *Service {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, testenv.DB(t).URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	sys := viewer.SystemContext(ctx, viewer.Security)
	if err := d.Client.SecurityServerConf.Create().SetInstanceIdentifier("DEV").SetAnchor(testAnchor(t)).
		SetAnchorHash("AB").SetAnchorGeneratedAt(time.Now()).Exec(sys); err != nil {
		t.Fatal(err)
	}
	s, err := New(ctx, Options{Client: d.Client, EnforcePINPolicy: enforcePINPolicy, SoftTokenKDF: cheapKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testAnchor is an anchor whose source nobody serves.
func testAnchor(t *testing.T) []byte {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "signing"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	a, err := globalconf.BuildAnchor(globalconf.Anchor{Instance: "DEV", GeneratedAt: time.Now(),
		Sources: []globalconf.AnchorSource{{DownloadURL: "http://127.0.0.1:9/internalconf", VerificationCerts: []*x509.Certificate{cert}}}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func sysAdmin() context.Context {
	return viewer.NewContext(context.Background(), &viewer.Viewer{Username: "admin", Roles: []viewer.Role{viewer.SystemAdministrator}, Server: viewer.Security})
}

// TestInitializePINPolicy checks that initialisation applies the PIN rules:
// printable ASCII always, length and character classes when the policy is
// enforced; a PIN that passes gets as far as the warnings (the owner is not
// in any configuration here).
func TestInitializePINPolicy(t *testing.T) {
	cases := []struct {
		name     string
		enforce  bool
		pin      string
		wantCode string
		wantMD   []string
	}{
		{"short PIN, no policy", false, "1234", xroad.CodeWarningsDetected, nil},
		{"short PIN, policy", true, "1234", xroad.CodeTokenWeakPin, []string{"pin_min_length", "10", "pin_min_char_classes_count", "3"}},
		{"long PIN of two classes, policy", true, "abcdefghij12", xroad.CodeTokenWeakPin, nil},
		{"strong PIN, policy", true, "Secret-PIN-2026", xroad.CodeWarningsDetected, nil},
		{"non-ASCII PIN", false, "pïn-1234", xroad.CodeBadUserInput, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestService(t, tc.enforce)
			err := s.Initialize(sysAdmin(), InitInput{OwnerMemberClass: "GOV", OwnerMemberCode: "1234", ServerCode: "SS1", SoftTokenPIN: tc.pin})
			if got := xroad.CodeOf(err); got != tc.wantCode {
				t.Fatalf("code = %q (%v), want %q", got, err, tc.wantCode)
			}
			var xe *xroad.Error
			xe, _ = err.(*xroad.Error)
			if tc.wantMD != nil && !slices.Equal(xe.Metadata, tc.wantMD) {
				t.Errorf("metadata = %v, want %v", xe.Metadata, tc.wantMD)
			}
			if tc.wantCode == xroad.CodeWarningsDetected && (len(xe.Warnings) != 1 || xe.Warnings[0].Code != WarnUnregisteredMember) {
				t.Errorf("warnings = %v", xe.Warnings)
			}
			if info, _ := s.Info(sysAdmin()); info.Initialized {
				t.Error("a refused initialisation initialised the server")
			}
		})
	}
}

// TestInitialize checks the outcome of a successful initialisation and the
// errors around it.
func TestInitialize(t *testing.T) {
	s := newTestService(t, false)
	ctx := sysAdmin()
	in := InitInput{OwnerMemberClass: " GOV ", OwnerMemberCode: "1234", ServerCode: "SS1", SoftTokenPIN: "1234", IgnoreWarnings: true}

	officer := viewer.NewContext(context.Background(), &viewer.Viewer{Username: "so", Roles: []viewer.Role{viewer.SecurityOfficer}, Server: viewer.Security})
	if err := s.Initialize(officer, in); xroad.CodeOf(err) != xroad.CodeForbidden {
		t.Fatalf("security officer: %v, want FORBIDDEN", err)
	}
	if err := s.Initialize(ctx, InitInput{ServerCode: "SS1"}); xroad.CodeOf(err) != xroad.CodeInvalidInitParams {
		t.Fatalf("missing values: %v", err)
	} else if md := err.(*xroad.Error).Metadata; !slices.Equal(md, []string{initMemberClassNotProvided, initMemberCodeNotProvided, initPINNotProvided}) {
		t.Errorf("metadata = %v", md)
	}
	if err := s.Initialize(ctx, InitInput{OwnerMemberClass: "GOV", OwnerMemberCode: "a/b", ServerCode: "SS1", SoftTokenPIN: "1234", IgnoreWarnings: true}); xroad.CodeOf(err) != xroad.CodeBadUserInput {
		t.Fatalf("bad member code: %v", err)
	}

	if err := s.Initialize(ctx, in); err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil || !info.Initialized || info.ServerID.String() != "DEV/GOV/1234/SS1" {
		t.Fatalf("info = %+v, %v", info, err)
	}
	sys := viewer.SystemContext(context.Background(), viewer.Security)
	owner, err := s.client.ServerClient.Query().Only(sys)
	if err != nil || owner.Status != xroad.ClientSaved || owner.MemberClass != "GOV" {
		t.Errorf("owner = %+v, %v", owner, err)
	}
	tok, err := s.client.Token.Query().Where(token.TokenID(signer.SoftTokenID)).Only(sys)
	if err != nil || tok.Name != signer.SoftTokenName || tok.Type != xroad.TokenSoftware || len(tok.SoftTokenState) == 0 {
		t.Fatalf("soft token row = %+v, %v", tok, err)
	}
	if st := s.TokenState(tok); !st.LoggedIn || !st.Available {
		t.Errorf("the software token is not left logged in: %+v", st)
	}
	if err := s.Initialize(ctx, in); xroad.CodeOf(err) != xroad.CodeAlreadyInit {
		t.Errorf("second initialisation: %v", err)
	}

	// After a restart the software token is logged out; the state loads.
	s2, err := New(context.Background(), Options{Client: s.client})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if st := s2.TokenState(tok); st.LoggedIn || !st.Available || st.Status != signer.StatusOK {
		t.Errorf("after restart: %+v", st)
	}
}
