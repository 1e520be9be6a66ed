package main

// Helpers that drive a security server through GraphQL against the fake
// central server.

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
)

// ssEnv is a security server with its fake central server and users.
type ssEnv struct {
	cs       *fakeCS
	srv      *testServer
	sysadmin *gqlClient // SYSTEM_ADMINISTRATOR
	officer  *gqlClient // SECURITY_OFFICER
}

// newSSEnv starts a fake central server and a security server.
func newSSEnv(t *testing.T, opts ...func(*config)) *ssEnv {
	t.Helper()
	cs := newFakeCS(t)
	srv := startServer(t, viewer.Security, opts...)
	return &ssEnv{
		cs: cs, srv: srv,
		sysadmin: srv.user(t, "sysadmin", viewer.SystemAdministrator),
		officer:  srv.user(t, "officer", viewer.SecurityOfficer),
	}
}

const (
	qUploadAnchor = `mutation($a: String!) { uploadAnchor(anchor: $a) { hash generatedAt instanceIdentifier } }`
	qInitialize   = `mutation($in: InitializeSecurityServerInput!) { initializeSecurityServer(input: $in) { initialized securityServerId } }`
	qLogin        = `mutation($id: ID!, $pin: String!) { loginToken(tokenId: $id, pin: $pin) { id loggedIn status possibleActions } }`
	qLogout       = `mutation($id: ID!) { logoutToken(tokenId: $id) { id loggedIn status possibleActions } }`
	qGenerateKey  = `mutation($id: ID!, $label: String, $alg: KeyAlgorithm) { generateKey(tokenId: $id, label: $label, algorithm: $alg) { id name label usage algorithm possibleActions } }`
	qGenerateCSR  = `mutation($in: GenerateCsrInput!) { generateCsr(input: $in) { id usage memberId caName subject pem der pemName: fileName(format: PEM) derName: fileName(format: DER) key { id usage } } }`
	qImport       = `mutation($c: String!) { importCertificate(certificate: $c) { ...C } }` + certFragment
	qRegister     = `mutation($id: ID!, $a: String!) { registerAuthCertificate(certificateId: $id, address: $a) { ...C } }` + certFragment
	qActivate     = `mutation($id: ID!) { activateCertificate(certificateId: $id) { ...C } }` + certFragment
	qDeactivate   = `mutation($id: ID!) { deactivateCertificate(certificateId: $id) { ...C } }` + certFragment
	qCert         = `query($id: ID!) { node(id: $id) { ...C } }` + certFragment
	qTokensTree   = `{ tokens { id name type loggedIn available status possibleActions keys { id name label usage algorithm possibleActions
		certificates { id status active ocspStatus sha256 managementRequestId } csrs { id usage memberId subject } } } }`
	qClients = `{ securityServerClients { memberId subsystemCode name owner status } }`

	certFragment = ` fragment C on Certificate { id usage status active ocspStatus ocspError sha256 memberId
		managementRequestId registeredAddress declineComment deletionRequestId unregisteredAt possibleActions subject pem key { id usage } }`
)

type certNode struct {
	ID                  gid      `json:"id"`
	Usage               string   `json:"usage"`
	Status              string   `json:"status"`
	Active              bool     `json:"active"`
	OcspStatus          string   `json:"ocspStatus"`
	OcspError           *string  `json:"ocspError"`
	Sha256              string   `json:"sha256"`
	MemberID            *string  `json:"memberId"`
	ManagementRequestID *int     `json:"managementRequestId"`
	RegisteredAddress   *string  `json:"registeredAddress"`
	DeclineComment      *string  `json:"declineComment"`
	DeletionRequestID   *int     `json:"deletionRequestId"`
	UnregisteredAt      *string  `json:"unregisteredAt"`
	PossibleActions     []string `json:"possibleActions"`
	Subject             string   `json:"subject"`
	PEM                 string   `json:"pem"`
	Key                 struct {
		ID    gid     `json:"id"`
		Usage *string `json:"usage"`
	} `json:"key"`
}

type csrNode struct {
	ID       gid     `json:"id"`
	Usage    string  `json:"usage"`
	MemberID *string `json:"memberId"`
	CAName   string  `json:"caName"`
	Subject  string  `json:"subject"`
	PEM      string  `json:"pem"`
	DER      string  `json:"der"`
	PEMName  string  `json:"pemName"`
	DERName  string  `json:"derName"`
	Key      struct {
		ID    gid     `json:"id"`
		Usage *string `json:"usage"`
	} `json:"key"`
}

type keyNode struct {
	ID              gid      `json:"id"`
	Name            string   `json:"name"`
	Label           *string  `json:"label"`
	Usage           *string  `json:"usage"`
	Algorithm       string   `json:"algorithm"`
	PossibleActions []string `json:"possibleActions"`
}

type tokenNode struct {
	ID              gid      `json:"id"`
	Name            string   `json:"name"`
	Type            string   `json:"type"`
	LoggedIn        bool     `json:"loggedIn"`
	Available       bool     `json:"available"`
	Status          string   `json:"status"`
	PossibleActions []string `json:"possibleActions"`
	Keys            []struct {
		ID    gid     `json:"id"`
		Label *string `json:"label"`
		Usage *string `json:"usage"`
	} `json:"keys"`
}

// initialize uploads the anchor and initialises the server as owner
// GOV/1234, server code SS1, PIN 1234.
func (e *ssEnv) initialize(t *testing.T) {
	t.Helper()
	e.sysadmin.ok(t, qUploadAnchor, map[string]any{"a": string(e.cs.Anchor)}, nil)
	e.sysadmin.ok(t, qInitialize, map[string]any{"in": map[string]any{
		"ownerMemberClass": fcsOwnerClass, "ownerMemberCode": fcsOwnerCode, "serverCode": fcsServerCode, "softTokenPin": "1234",
	}}, nil)
}

// tokens lists the tokens.
func (e *ssEnv) tokens(t *testing.T) []tokenNode {
	t.Helper()
	var out struct{ Tokens []tokenNode }
	e.officer.ok(t, `{ tokens { id name type loggedIn available status possibleActions keys { id label usage } } }`, nil, &out)
	return out.Tokens
}

// token returns the token of the given type (the first one).
func (e *ssEnv) token(t *testing.T, typ string) tokenNode {
	t.Helper()
	for _, tok := range e.tokens(t) {
		if tok.Type == typ {
			return tok
		}
	}
	t.Fatalf("no %s token", typ)
	return tokenNode{}
}

// generateKey makes a key on a token.
func (e *ssEnv) generateKey(t *testing.T, tokenID gid, label, alg string) keyNode {
	t.Helper()
	vars := map[string]any{"id": tokenID, "label": label}
	if alg != "" {
		vars["alg"] = alg
	}
	var out struct{ GenerateKey keyNode }
	e.officer.ok(t, qGenerateKey, vars, &out)
	return out.GenerateKey
}

// generateCSR makes a CSR for the CA of the fake central server.
func (e *ssEnv) generateCSR(t *testing.T, keyID gid, usage string) csrNode {
	t.Helper()
	in := map[string]any{"keyId": keyID, "usage": usage, "caName": e.cs.ca.Name()}
	if usage == "SIGNING" {
		in["memberId"] = fcsOwner.String()
	}
	var out struct{ GenerateCsr csrNode }
	e.officer.ok(t, qGenerateCSR, map[string]any{"in": in}, &out)
	return out.GenerateCsr
}

// importCert imports a certificate given as DER (sent as PEM).
func (e *ssEnv) importCert(t *testing.T, der []byte) certNode {
	t.Helper()
	var out struct{ ImportCertificate certNode }
	e.officer.ok(t, qImport, map[string]any{"c": pemBlock("CERTIFICATE", der)}, &out)
	return out.ImportCertificate
}

// certify makes a CSR for the key, has the test CA sign it and imports the
// certificate.
func (e *ssEnv) certify(t *testing.T, keyID gid, usage string) certNode {
	t.Helper()
	csr := e.generateCSR(t, keyID, usage)
	profile := "sign"
	if usage == "AUTHENTICATION" {
		profile = "auth"
	}
	return e.importCert(t, e.cs.sign(t, csr.PEM, profile))
}

// register sends the registration of an authentication certificate and
// returns the fake central server's request id.
func (e *ssEnv) register(t *testing.T, id gid) int {
	t.Helper()
	var out struct{ RegisterAuthCertificate certNode }
	e.officer.ok(t, qRegister, map[string]any{"id": id, "a": "ss1.example.org"}, &out)
	return *out.RegisterAuthCertificate.ManagementRequestID
}

// registeredAuthCert makes an authentication key and certificate on the
// software token, registers it and has the fake central server approve it;
// it returns the certificate once the status checker has it REGISTERED.
// The server must be initialised and hold the owner's signing certificate.
func (e *ssEnv) registeredAuthCert(t *testing.T, label string) certNode {
	t.Helper()
	auth := e.certify(t, e.generateKey(t, e.token(t, "SOFTWARE").ID, label, "EC").ID, "AUTHENTICATION")
	e.cs.approve(e.register(t, auth.ID))
	e.officer.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil) // with or without the watch channel
	waitFor(t, 15*time.Second, label+" to be registered", func() bool { return e.cert(t, auth.ID).Status == "REGISTERED" })
	return e.cert(t, auth.ID)
}

// cert reads a certificate.
func (e *ssEnv) cert(t *testing.T, id gid) certNode {
	t.Helper()
	var out struct{ Node certNode }
	e.officer.ok(t, qCert, map[string]any{"id": id}, &out)
	return out.Node
}

// tree is the tokens tree as JSON, to prove that nothing changed.
func (e *ssEnv) tree(t *testing.T) string {
	t.Helper()
	r := e.officer.do(t, qTokensTree, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("tokens: %s", r.raw)
	}
	return string(r.Data)
}

// ssClient is a security-server client as qClients reads it.
type ssClient struct {
	MemberID, Status string
	Name             *string
	Owner            bool
}

// clients lists the security server's clients as c sees them.
func clients(t *testing.T, c *gqlClient) []ssClient {
	t.Helper()
	var out struct{ SecurityServerClients []ssClient }
	c.ok(t, qClients, nil, &out)
	return out.SecurityServerClients
}

// initializeAs initialises the security server with in as c and checks the
// server id it reports.
func initializeAs(t *testing.T, c *gqlClient, in map[string]any, wantID string) {
	t.Helper()
	var out struct {
		InitializeSecurityServer struct {
			Initialized      bool
			SecurityServerID string
		}
	}
	c.ok(t, qInitialize, map[string]any{"in": in}, &out)
	if !out.InitializeSecurityServer.Initialized || out.InitializeSecurityServer.SecurityServerID != wantID {
		t.Errorf("initialize = %+v, want server %s", out, wantID)
	}
}

// waitFor waits until cond holds (testenv.WaitFor).
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	testenv.WaitFor(t, timeout, what, cond)
}

func pemBlock(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// mustDER is the DER of a PEM certificate.
func mustDER(t *testing.T, pemText string) []byte {
	t.Helper()
	b, _ := pem.Decode([]byte(pemText))
	if b == nil {
		t.Fatal("not PEM")
	}
	return b.Bytes
}

// serialOf is the serial number of a PEM certificate.
func serialOf(t *testing.T, pemText string) string {
	t.Helper()
	b, _ := pem.Decode([]byte(pemText))
	if b == nil {
		t.Fatal("not PEM")
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c.SerialNumber.Text(16)
}

// ext returns an extensions field of the first error as JSON text.
func (r gqlResponse) ext(name string) string {
	if len(r.Errors) == 0 {
		return ""
	}
	b, _ := json.Marshal(r.Errors[0].Extensions[name])
	return string(b)
}

// gid is a GraphQL ID as the API sends it (a string holding an integer).
type gid int

// UnmarshalJSON reads "123" or 123.
func (g *gid) UnmarshalJSON(b []byte) error {
	n, err := strconv.Atoi(strings.Trim(string(b), `"`))
	*g = gid(n)
	return err
}
