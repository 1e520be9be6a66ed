package bench

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/roadreg/roadreg/internal/pki/testca"
)

// Password is the password of every user the benchmarks create.
const Password = "bench-password-77"

// Identities of the benchmark instance.
const (
	InstanceID    = "DEV"
	OwnerClass    = "GOV"
	OwnerCode     = "1234"
	OwnerMemberID = InstanceID + "/" + OwnerClass + "/" + OwnerCode
	// SecurityPIN is the software-token PIN of every security server.
	SecurityPIN = "Bench-Security-PIN-2"
)

// InstanceOptions configure StartInstance.
type InstanceOptions struct {
	// Bin is the roadreg binary (Build).
	Bin string
	// Dir holds the logs, the CA and the servers' data folders.
	Dir string
	// CentralDB is the central server's database (a postgres:// URL or a
	// SQLite file).
	CentralDB string
	// CentralArgs are extra `roadreg serve --role=central` flags.
	CentralArgs []string
}

// Instance is an X-Road instance on loopback for the benchmarks: the test
// CA (with OCSP responder and TSA) served from this process, and an
// initialised central server process with member GOV/1234 and the CA and
// TSA approved.
type Instance struct {
	Bin, Dir string
	CA       *testca.CA
	caSrv    *http.Server
	// Central is the central server process, CentralURL its base URL.
	Central    *Process
	CentralURL string
	// Officer is logged in to the central server with every role.
	Officer *Client
	// Anchor is the configuration anchor.
	Anchor string
	// CAName is the approved CA's name in global configuration.
	CAName string
}

// StartInstance starts the CA and the central server and initialises it.
func StartInstance(ctx context.Context, o InstanceOptions) (in *Instance, err error) {
	in = &Instance{Bin: o.Bin, Dir: o.Dir}
	defer func() {
		if err != nil {
			in.Close()
		}
	}()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	if in.CA, err = testca.Init(o.Dir+"/ca", testca.InitOptions{Instance: InstanceID, BaseURL: "http://" + l.Addr().String()}); err != nil {
		l.Close()
		return nil, err
	}
	in.caSrv = &http.Server{Handler: in.CA.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = in.caSrv.Serve(l) }()

	if _, err := RunCLI(ctx, o.Bin, Password+"\n", nil, "user", "add", "--server", "central", "--db", o.CentralDB,
		"--username", "cs-officer", "--role", "REGISTRATION_OFFICER", "--role", "SECURITY_OFFICER", "--role", "SYSTEM_ADMINISTRATOR"); err != nil {
		return nil, err
	}
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--role=central", "--listen", addr, "--db", o.CentralDB, "--data-dir", o.Dir + "/central",
		"--log-format", "json", "--mgmt-rate-limit", "1000000"}, o.CentralArgs...)
	if in.Central, err = StartProcess(o.Bin, "central", o.Dir, nil, args...); err != nil {
		return nil, err
	}
	in.CentralURL = "http://" + addr
	if err := WaitHTTP(ctx, in.CentralURL+"/healthz"); err != nil {
		return nil, err
	}
	in.Officer = NewClient(in.CentralURL)
	if err := in.Officer.Login(ctx, "cs-officer", Password); err != nil {
		return nil, err
	}
	steps := []struct {
		query string
		vars  map[string]any
	}{
		{`mutation($i: InitializeCentralServerInput!) { initializeCentralServer(input: $i) { initialized } }`,
			map[string]any{"i": map[string]any{"instanceIdentifier": InstanceID, "centralServerAddress": addr, "softTokenPin": CentralPIN}}},
		{`mutation { addMemberClass(code: "GOV", description: "Government") { id } }`, nil},
		{`mutation($c: String!) { addMember(memberClass: "GOV", memberCode: $c, name: "Bench Agency") { id } }`, map[string]any{"c": OwnerCode}},
		{`mutation($i: AddApprovedCertificationServiceInput!) { addApprovedCertificationService(input: $i) { id } }`,
			map[string]any{"i": map[string]any{"caCertificate": pemText(in.CA.Certificate().Raw), "ocspResponders": []map[string]any{{"url": in.CA.OCSPURL()}}}}},
		{`mutation($i: AddApprovedTimestampingAuthorityInput!) { addApprovedTimestampingAuthority(input: $i) { id } }`,
			map[string]any{"i": map[string]any{"url": in.CA.TSAURL(), "certificate": pemText(in.CA.TSACertificate().Raw)}}},
		// Publish a version with all of the above now (generation after a
		// change is asynchronous).
		{`mutation { generateGlobalConfiguration { version } }`, nil},
	}
	for _, s := range steps {
		if err := in.Officer.Do(ctx, s.query, s.vars, nil); err != nil {
			return nil, fmt.Errorf("setting up the central server: %w", err)
		}
	}
	var anchor struct{ ConfigurationAnchor string }
	if err := in.Officer.Do(ctx, `{ configurationAnchor }`, nil, &anchor); err != nil {
		return nil, err
	}
	in.Anchor = anchor.ConfigurationAnchor
	in.CAName = in.CA.Name()
	return in, nil
}

// Close stops the central server and the CA.
func (in *Instance) Close() {
	if in.Central != nil {
		_ = in.Central.Stop()
	}
	if in.caSrv != nil {
		_ = in.caSrv.Close()
	}
}

func pemText(der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// SecurityServerProcess is a `roadreg serve --role=security` process with
// an administrator (SECURITY_OFFICER and SYSTEM_ADMINISTRATOR) logged in.
type SecurityServerProcess struct {
	*Process
	URL   string
	Admin *Client
}

// StartSecurityServer starts a security server process on database db.
func (in *Instance) StartSecurityServer(ctx context.Context, name, db string, args ...string) (*SecurityServerProcess, error) {
	if _, err := RunCLI(ctx, in.Bin, Password+"\n", nil, "user", "add", "--server", "security", "--db", db,
		"--username", "ss-admin", "--role", "SECURITY_OFFICER", "--role", "SYSTEM_ADMINISTRATOR"); err != nil {
		return nil, err
	}
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	p, err := StartProcess(in.Bin, name, in.Dir, nil, append([]string{"serve", "--role=security", "--listen", addr, "--db", db,
		"--data-dir", in.Dir + "/" + name, "--log-format", "json"}, args...)...)
	if err != nil {
		return nil, err
	}
	ss := &SecurityServerProcess{Process: p, URL: "http://" + addr}
	if err := ss.connect(ctx); err != nil {
		_ = p.Stop()
		return nil, err
	}
	return ss, nil
}

func (ss *SecurityServerProcess) connect(ctx context.Context) error {
	if err := WaitHTTP(ctx, ss.URL+"/healthz"); err != nil {
		return err
	}
	ss.Admin = NewClient(ss.URL)
	return ss.Admin.Login(ctx, "ss-admin", Password)
}

// Restart stops the process and starts it again with args instead of its
// extra flags (the listen address and database stay), then logs in again.
func (ss *SecurityServerProcess) Restart(ctx context.Context, args ...string) error {
	if err := ss.Stop(); err != nil {
		return err
	}
	base := ss.Args()
	for i, a := range base {
		if a == "json" && i > 0 && base[i-1] == "--log-format" {
			base = base[:i+1]
			break
		}
	}
	ss.SetArgs(append(base, args...)...)
	if err := ss.Start(); err != nil {
		return err
	}
	return ss.connect(ctx)
}

// Steps times named steps; a nil *Steps just runs them.
type Steps struct {
	order []string
	s     map[string]*Sample
}

// NewSteps returns an empty recorder.
func NewSteps() *Steps { return &Steps{s: map[string]*Sample{}} }

// Do runs fn and records its duration under name when it succeeds.
func (st *Steps) Do(name string, fn func() error) error {
	start := time.Now()
	if err := fn(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if st != nil {
		st.sample(name).Add(time.Since(start))
	}
	return nil
}

func (st *Steps) sample(name string) *Sample {
	if s, ok := st.s[name]; ok {
		return s
	}
	st.order = append(st.order, name)
	st.s[name] = &Sample{}
	return st.s[name]
}

// Merge adds other's durations (other must not be used concurrently).
func (st *Steps) Merge(other *Steps) {
	for _, name := range other.order {
		for _, d := range other.s[name].sorted() {
			st.sample(name).Add(d)
		}
	}
}

// Names lists the steps in the order they were first recorded.
func (st *Steps) Names() []string { return st.order }

// Get returns the sample of a step.
func (st *Steps) Get(name string) *Sample { return st.sample(name) }

// SetUpSecurityServer does MEMBER_01 up to the authentication key: it
// uploads the anchor, initialises the server as serverCode of GOV/1234
// with the software token, adds the approved TSA, and gives the owner a
// signing key (alg: EC or RSA) with a certificate from the CA. It returns
// the software token's id. c acts as the server's administrator.
func (in *Instance) SetUpSecurityServer(ctx context.Context, c *Client, serverCode, alg string, st *Steps) (string, error) {
	if err := st.Do("upload anchor (download + verify configuration)", func() error {
		return c.Do(ctx, `mutation($a: String!) { uploadAnchor(anchor: $a) { hash } }`, map[string]any{"a": in.Anchor}, nil)
	}); err != nil {
		return "", err
	}
	if err := st.Do("initialise (software token PIN)", func() error {
		return c.Do(ctx, `mutation($i: InitializeSecurityServerInput!) { initializeSecurityServer(input: $i) { initialized } }`,
			map[string]any{"i": map[string]any{"ownerMemberClass": OwnerClass, "ownerMemberCode": OwnerCode, "serverCode": serverCode, "softTokenPin": SecurityPIN}}, nil)
	}); err != nil {
		return "", err
	}
	if err := st.Do("add timestamping service", func() error {
		// The anchor may be older than the newest configuration, which
		// names the TSA: wait for it.
		var tsas struct{ ApprovedTimestampingServices []struct{ Name, URL string } }
		for deadline := time.Now().Add(30 * time.Second); len(tsas.ApprovedTimestampingServices) == 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				return errors.New("the approved TSA never reached the security server")
			}
			if err := c.Do(ctx, `{ approvedTimestampingServices { name url } }`, nil, &tsas); err != nil {
				return err
			}
		}
		tsa := tsas.ApprovedTimestampingServices[0]
		return c.Do(ctx, `mutation($n: String!, $u: String!) { addTimestampingService(name: $n, url: $u) { id } }`,
			map[string]any{"n": tsa.Name, "u": tsa.URL}, nil)
	}); err != nil {
		return "", err
	}
	var toks struct {
		Tokens []struct{ ID, Type string }
	}
	if err := c.Do(ctx, `{ tokens { id type } }`, nil, &toks); err != nil {
		return "", err
	}
	token := ""
	for _, t := range toks.Tokens {
		if t.Type == "SOFTWARE" {
			token = t.ID
		}
	}
	if token == "" {
		return "", errors.New("the security server has no software token")
	}
	if _, err := in.Certify(ctx, c, token, "SIGNING", alg, st); err != nil {
		return "", err
	}
	return token, nil
}

// Cert is a certificate imported on a security server.
type Cert struct {
	ID, Status, Sha256 string
}

// Certify generates a key (alg EC or RSA) on the token, a CSR for usage
// (SIGNING for the owner, or AUTHENTICATION), has the CA sign it and
// imports the certificate.
func (in *Instance) Certify(ctx context.Context, c *Client, tokenID, usage, alg string, st *Steps) (Cert, error) {
	kind := strings.ToLower(usage[:4])
	var key struct{ GenerateKey struct{ ID string } }
	if err := st.Do("generate "+kind+" key", func() error {
		return c.Do(ctx, `mutation($t: ID!, $a: KeyAlgorithm) { generateKey(tokenId: $t, algorithm: $a) { id } }`,
			map[string]any{"t": tokenID, "a": alg}, &key)
	}); err != nil {
		return Cert{}, err
	}
	input := map[string]any{"keyId": key.GenerateKey.ID, "usage": usage, "caName": in.CAName}
	profile := "auth"
	if usage == "SIGNING" {
		input["memberId"], profile = OwnerMemberID, "sign"
	}
	var csr struct{ GenerateCsr struct{ Pem string } }
	if err := st.Do("generate "+kind+" CSR", func() error {
		return c.Do(ctx, `mutation($i: GenerateCsrInput!) { generateCsr(input: $i) { pem } }`, map[string]any{"i": input}, &csr)
	}); err != nil {
		return Cert{}, err
	}
	var certPEM string
	if err := st.Do("CA signs "+kind+" certificate", func() (err error) {
		certPEM, err = in.Sign(ctx, csr.GenerateCsr.Pem, profile)
		return err
	}); err != nil {
		return Cert{}, err
	}
	var imp struct{ ImportCertificate Cert }
	err := st.Do("import "+kind+" certificate", func() error {
		return c.Do(ctx, `mutation($c: String!) { importCertificate(certificate: $c) { id status sha256 } }`, map[string]any{"c": certPEM}, &imp)
	})
	return imp.ImportCertificate, err
}

// Sign has the test CA sign a CSR with profile "auth" or "sign".
func (in *Instance) Sign(ctx context.Context, csrPEM, profile string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, in.CA.BaseURL()+testca.PathSign+"?profile="+profile, strings.NewReader(csrPEM))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-pem-file")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("the CA answered %s: %s", resp.Status, body)
	}
	return string(body), nil
}

// Register sends the authentication certificate's registration request
// and returns the central server's request number.
func Register(ctx context.Context, c *Client, certID, address string) (int, error) {
	var out struct {
		RegisterAuthCertificate struct {
			Status              string
			ManagementRequestID *int `json:"managementRequestId"`
		}
	}
	err := c.Do(ctx, `mutation($c: ID!, $a: String!) { registerAuthCertificate(certificateId: $c, address: $a) { status managementRequestId } }`,
		map[string]any{"c": certID, "a": address}, &out)
	if err != nil {
		return 0, err
	}
	if out.RegisterAuthCertificate.ManagementRequestID == nil {
		return 0, fmt.Errorf("registration answered %+v", out.RegisterAuthCertificate)
	}
	return *out.RegisterAuthCertificate.ManagementRequestID, nil
}

// Approve approves the central server's management request with the given
// request number (of server serverID, INSTANCE/CLASS/CODE/SERVERCODE) and
// returns when the approval's response arrived.
func (in *Instance) Approve(ctx context.Context, serverID string, requestID int) (time.Time, error) {
	var reqs struct {
		ManagementRequests struct {
			Edges []struct {
				Node struct {
					ID        string
					RequestID int
				}
			}
		}
	}
	if err := in.Officer.Do(ctx, `query($s: String) { managementRequests(first: 20, serverId: $s, status: WAITING) { edges { node { id requestId } } } }`,
		map[string]any{"s": serverID}, &reqs); err != nil {
		return time.Time{}, err
	}
	for _, e := range reqs.ManagementRequests.Edges {
		if e.Node.RequestID == requestID {
			err := in.Officer.Do(ctx, `mutation($id: ID!) { approveManagementRequest(id: $id) { status } }`, map[string]any{"id": e.Node.ID}, nil)
			return time.Now(), err
		}
	}
	return time.Time{}, fmt.Errorf("no waiting management request %d of %s on the central server", requestID, serverID)
}

// LoginToken logs in to a token (after a restart the software token is
// logged out).
func LoginToken(ctx context.Context, c *Client, tokenID, pin string) error {
	return c.Do(ctx, `mutation($t: ID!, $p: String!) { loginToken(tokenId: $t, pin: $p) { loggedIn } }`,
		map[string]any{"t": tokenID, "p": pin}, nil)
}
