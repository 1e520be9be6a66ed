package main

// The MEMBER_01 scenario across real processes: `roadreg ca serve`, a
// central server and a security server (`roadreg serve`) on PostgreSQL, the
// signing key on a SoftHSM2 token through PKCS#11 and the authentication key
// on the software token, driven over GraphQL (HTTP + websocket) only, as a
// central-server officer and a security-server officer.

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/globalconf/xsdtest"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

// process is a roadreg process started by the scenario.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	args []string
	env  []string
	bin  string
	// exited is closed when the process has ended (cmd.Wait returned).
	exited chan struct{}
}

// buildRoadreg returns the roadreg binary, built once per test run.
func buildRoadreg(t *testing.T) string {
	t.Helper()
	bin, err := roadregBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func startProcess(t *testing.T, bin, name, logDir string, env []string, args ...string) *process {
	t.Helper()
	p := &process{name: name, log: filepath.Join(logDir, name+".log"), args: args, env: env, bin: bin}
	p.start(t)
	t.Cleanup(func() { p.stop(t) })
	return p
}

func (p *process) start(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(p.bin, p.args...)
	p.cmd.Env = append(os.Environ(), p.env...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", p.name, err)
	}
	exited, cmd := make(chan struct{}), p.cmd
	p.exited = exited
	go func() { _ = cmd.Wait(); f.Close(); close(exited) }()
}

func (p *process) stop(t *testing.T) {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Errorf("%s did not stop on SIGTERM", p.name)
	}
	p.cmd = nil
}

func waitHTTP(t *testing.T, url string) {
	t.Helper()
	testenv.WaitFor(t, 60*time.Second, url+" to come up", func() bool {
		resp, err := http.Get(url)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode < 500
	})
}

// waitSubscriptionsAt waits until the server at base reports n open GraphQL
// subscriptions in /metrics (roadreg_subscriptions).
func waitSubscriptionsAt(t *testing.T, base string, n int) {
	t.Helper()
	want := fmt.Sprintf("roadreg_subscriptions %d\n", n)
	testenv.WaitFor(t, 10*time.Second, want, func() bool {
		return strings.Contains(httpBody(t, base+"/metrics"), want)
	})
}

func runCLI(t *testing.T, bin string, stdin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("roadreg %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func loginClient(t *testing.T, base, user string) *gqlClient {
	t.Helper()
	c := (&testServer{URL: base}).anonymous()
	if status, body := c.login(t, user, testPassword); status != http.StatusOK {
		t.Fatalf("login %s at %s: %d %s", user, base, status, body)
	}
	return c
}

func TestScenarioMember01(t *testing.T) {
	if testing.Short() {
		t.Skip("the cross-process scenario is not run with -short")
	}
	if os.Getenv("ROADREG_TEST_DB") != "postgres" {
		t.Skip("the scenario runs on PostgreSQL: ROADREG_TEST_DB=postgres (make test's PostgreSQL pass)")
	}
	hsm := testenv.NewSoftHSM(t, "roadreg-sign")
	testenv.NeedTool(t, "openssl")
	bin := buildRoadreg(t)
	logs := t.TempDir()
	csDB, ssDB := testenv.Postgres(t), testenv.Postgres(t)

	// The test CA.
	caAddr := testenv.FreeAddress(t)
	caDir := filepath.Join(t.TempDir(), "ca")
	runCLI(t, bin, "", nil, "ca", "init", "--dir", caDir, "--instance", "DEV", "--base-url", "http://"+caAddr)
	startProcess(t, bin, "ca", logs, nil, "ca", "serve", "--dir", caDir)
	waitHTTP(t, "http://"+caAddr+"/testca/ca.pem")
	caPEM := httpBody(t, "http://"+caAddr+"/testca/ca.pem")
	tsaPEM := httpBody(t, "http://"+caAddr+"/testca/tsa.pem")

	// Users: a central-server officer and a security-server officer.
	runCLI(t, bin, testPassword+"\n", nil, "user", "add", "--server", "central", "--db", csDB.URL, "--username", "cs-officer",
		"--role", "REGISTRATION_OFFICER", "--role", "SECURITY_OFFICER", "--role", "SYSTEM_ADMINISTRATOR")
	runCLI(t, bin, testPassword+"\n", nil, "user", "add", "--server", "security", "--db", ssDB.URL, "--username", "ss-officer",
		"--role", "SECURITY_OFFICER", "--role", "SYSTEM_ADMINISTRATOR")

	csAddr, ssAddr := testenv.FreeAddress(t), testenv.FreeAddress(t)
	csArgs := []string{"serve", "--role=central", "--listen", csAddr, "--db", csDB.URL, "--data-dir", t.TempDir(), "--log-format", "json", "--log-level", "debug"}
	cs := startProcess(t, bin, "central", logs, nil, csArgs...)
	startProcess(t, bin, "security", logs, []string{"SOFTHSM2_CONF=" + hsm.Conf},
		"serve", "--role=security", "--listen", ssAddr, "--db", ssDB.URL, "--data-dir", t.TempDir(), "--log-format", "json",
		"--log-level", "debug", "--pkcs11-module", hsm.Module)
	csURL, ssURL := "http://"+csAddr, "http://"+ssAddr
	waitHTTP(t, csURL+"/healthz")
	waitHTTP(t, ssURL+"/healthz")
	csc, ssc := loginClient(t, csURL, "cs-officer"), loginClient(t, ssURL, "ss-officer")
	const csPIN, ssPIN = "Central-Token-PIN-77", "Security-Token-PIN-55"

	// Central server: initialisation and trust services.
	csc.ok(t, qInit, map[string]any{"i": map[string]any{"instanceIdentifier": "DEV", "centralServerAddress": csAddr, "softTokenPin": csPIN}}, nil)
	csc.ok(t, qAddClass, map[string]any{"c": "GOV", "d": "Government"}, nil)
	csc.ok(t, qAddMember, map[string]any{"c": "GOV", "m": "1234", "n": "Scenario Agency"}, nil)
	csc.ok(t, qAddCA, map[string]any{"i": map[string]any{"caCertificate": caPEM, "ocspResponders": []map[string]any{{"url": "http://" + caAddr + "/testca/ocsp"}}}}, nil)
	csc.ok(t, qAddTSA, map[string]any{"i": map[string]any{"url": "http://" + caAddr + "/testca/tsa", "certificate": tsaPEM}}, nil)
	// The first configuration is generated right after initialisation;
	// wait until one is published before handing out the anchor.
	testenv.WaitFor(t, 30*time.Second, "the central server's first configuration", func() bool {
		var st struct{ GlobalConfigurationStatus struct{ Version int } }
		csc.ok(t, `{ globalConfigurationStatus { version } }`, nil, &st)
		return st.GlobalConfigurationStatus.Version > 0
	})
	var anchor struct{ ConfigurationAnchor string }
	csc.ok(t, `{ configurationAnchor }`, nil, &anchor)

	// Security server: anchor, initialisation, timestamping.
	var up struct {
		UploadAnchor struct{ Hash, InstanceIdentifier string }
	}
	ssc.ok(t, `mutation($a: String!) { uploadAnchor(anchor: $a) { hash instanceIdentifier } }`, map[string]any{"a": anchor.ConfigurationAnchor}, &up)
	if up.UploadAnchor.Hash != globalconf.AnchorHash([]byte(anchor.ConfigurationAnchor)) || up.UploadAnchor.InstanceIdentifier != "DEV" {
		t.Fatalf("anchor: %+v", up)
	}
	ssc.ok(t, `mutation($i: InitializeSecurityServerInput!) { initializeSecurityServer(input: $i) { initialized securityServerId } }`,
		map[string]any{"i": map[string]any{"ownerMemberClass": "GOV", "ownerMemberCode": "1234", "serverCode": "SS1", "softTokenPin": ssPIN}}, nil)
	// The anchor was exported right after the last change; the newest
	// configuration arrives over the watch channel.
	var tsas struct{ ApprovedTimestampingServices []struct{ Name, URL string } }
	testenv.WaitFor(t, 20*time.Second, "the approved TSA on the security server", func() bool {
		ssc.ok(t, `{ approvedTimestampingServices { name url } }`, nil, &tsas)
		return len(tsas.ApprovedTimestampingServices) > 0
	})
	ssc.ok(t, `mutation($n: String!, $u: String!) { addTimestampingService(name: $n, url: $u) { id } }`,
		map[string]any{"n": tsas.ApprovedTimestampingServices[0].Name, "u": tsas.ApprovedTimestampingServices[0].URL}, nil)

	// Tokens: the software token (logged in after initialisation, as in
	// X-Road) and the SoftHSM2 token.
	var toks struct {
		Tokens []struct {
			ID, Name, Type string
			LoggedIn       bool
		}
	}
	ssc.ok(t, `{ tokens { id name type loggedIn } }`, nil, &toks)
	var softID, hwID string
	for _, tk := range toks.Tokens {
		switch {
		case tk.Type == "SOFTWARE":
			softID = tk.ID
		case tk.Type == "HARDWARE" && tk.Name == hsm.Label:
			hwID = tk.ID
		}
	}
	if softID == "" || hwID == "" {
		t.Fatalf("tokens: %+v", toks)
	}
	ssc.fails(t, xroad.CodePinIncorrect, qScenarioLogin, map[string]any{"t": hwID, "p": "0000"})
	ssc.ok(t, qScenarioLogin, map[string]any{"t": hwID, "p": hsm.PIN}, nil)
	ssc.ok(t, `mutation($t: ID!) { logoutToken(tokenId: $t) { loggedIn } }`, map[string]any{"t": softID}, nil)
	ssc.ok(t, qScenarioLogin, map[string]any{"t": softID, "p": ssPIN}, nil)

	var caList struct{ ApprovedCertificationAuthorities []struct{ Name string } }
	ssc.ok(t, `{ approvedCertificationAuthorities { name } }`, nil, &caList)
	caName := caList.ApprovedCertificationAuthorities[0].Name

	// Keys, CSRs (checked with openssl), certificates from the CA, import.
	signCert := scenarioCertify(t, ssc, hwID, "sign-key", "SIGNING", caName, "http://"+caAddr)
	if !strings.Contains(hsm.ListObjects(t), "sign-key") {
		t.Fatal("the signing key is not on the SoftHSM2 token")
	}
	authCert := scenarioCertify(t, ssc, softID, "auth-key", "AUTHENTICATION", caName, "http://"+caAddr)
	if signCert.Status != "REGISTERED" || !signCert.Active || signCert.OcspStatus != "OCSP_RESPONSE_GOOD" {
		t.Fatalf("signing certificate after import: %+v", signCert)
	}
	if authCert.Status != "SAVED" || authCert.Active {
		t.Fatalf("authentication certificate after import: %+v", authCert)
	}

	// Subscribe as the security officer, register, approve on the CS.
	sub, _, err := ssc.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.waitAck(t); err != nil {
		t.Fatal(err)
	}
	sub.start(t, `subscription { authCertificateRegistered { id status sha256 } }`, nil)
	waitSubscriptionsAt(t, ssURL, 1)
	var reg struct {
		RegisterAuthCertificate struct {
			Status              string
			ManagementRequestId *int
		}
	}
	ssc.ok(t, qScenarioRegister, map[string]any{"c": authCert.ID, "a": "ss1.scenario.example"}, &reg)
	if reg.RegisterAuthCertificate.Status != "REGISTRATION_IN_PROGRESS" || reg.RegisterAuthCertificate.ManagementRequestId == nil {
		t.Fatalf("register: %+v", reg)
	}
	var reqs struct {
		ManagementRequests struct {
			Edges []struct {
				Node struct {
					ID, ServerID, Status string
					RequestID            int
				}
			}
		}
	}
	csc.ok(t, `{ managementRequests(first: 10, status: WAITING) { edges { node { id requestId serverId status } } } }`, nil, &reqs)
	if len(reqs.ManagementRequests.Edges) != 1 || reqs.ManagementRequests.Edges[0].Node.RequestID != *reg.RegisterAuthCertificate.ManagementRequestId {
		t.Fatalf("requests on the CS: %+v", reqs)
	}
	approved := time.Now()
	csc.ok(t, qApprove, map[string]any{"id": reqs.ManagementRequests.Edges[0].Node.ID}, nil)
	data, errs := sub.next(t, 30*time.Second)
	t.Logf("approval reached the security officer's subscription after %s", time.Since(approved).Round(time.Millisecond))
	if len(errs) > 0 || !bytes.Contains(data, []byte(`"status":"REGISTERED"`)) || !bytes.Contains(data, []byte(authCert.Sha256)) {
		t.Fatalf("authCertificateRegistered: %s %v", data, errs)
	}
	var clients struct {
		SecurityServerClients []struct {
			MemberID, Status string
			Owner            bool
		}
	}
	ssc.ok(t, `{ securityServerClients { memberId status owner } }`, nil, &clients)
	if len(clients.SecurityServerClients) == 0 || !clients.SecurityServerClients[0].Owner || clients.SecurityServerClients[0].Status != "REGISTERED" {
		t.Fatalf("owner client: %+v", clients)
	}
	var act struct {
		ActivateCertificate struct {
			Active     bool
			OcspStatus string
		}
	}
	ssc.ok(t, `mutation($c: ID!) { activateCertificate(certificateId: $c) { active ocspStatus } }`, map[string]any{"c": authCert.ID}, &act)
	if !act.ActivateCertificate.Active || act.ActivateCertificate.OcspStatus != "OCSP_RESPONSE_GOOD" {
		t.Fatalf("activate: %+v", act)
	}

	// The published configuration validates against X-Road's schemas.
	a, err := globalconf.ParseAnchor([]byte(anchor.ConfigurationAnchor))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := globalconf.Download(context.Background(), http.DefaultClient, a, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	xsdtest.Validate(t, xsdtest.SchemaSharedParametersV6, snap.SharedParamsRaw)
	xsdtest.Validate(t, xsdtest.SchemaPrivateParametersV3, snap.PrivateParamsRaw)
	xsdtest.Validate(t, xsdtest.SchemaAnchor, []byte(anchor.ConfigurationAnchor))

	// Negative path: a second authentication certificate; the central server
	// is down while registering, then declines.
	auth2 := scenarioCertify(t, ssc, softID, "auth-key-2", "AUTHENTICATION", caName, "http://"+caAddr)
	cs.stop(t)
	r := ssc.do(t, qScenarioRegister, map[string]any{"c": auth2.ID, "a": "ss1.scenario.example"})
	if len(r.Errors) == 0 {
		t.Fatal("registration succeeded with the central server down")
	}
	t.Logf("with the central server down: %s: %s", r.code(), r.Errors[0].Message)
	if got := scenarioCert(t, ssc, auth2.ID); got.Status != "SAVED" {
		t.Fatalf("after a failed registration the certificate is %s", got.Status)
	}
	cs.start(t)
	waitHTTP(t, csURL+"/healthz")
	csc = loginClient(t, csURL, "cs-officer")
	csc.ok(t, `mutation($p: String!) { loginCentralServerToken(pin: $p) { version } }`, map[string]any{"p": csPIN}, nil)
	changes, _, err := ssc.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := changes.waitAck(t); err != nil {
		t.Fatal(err)
	}
	changes.start(t, `subscription($c: ID) { certificateStatusChanged(certificateId: $c) { status declineComment } }`, map[string]any{"c": auth2.ID})
	waitSubscriptionsAt(t, ssURL, 2)
	ssc.ok(t, qScenarioRegister, map[string]any{"c": auth2.ID, "a": "ss1.scenario.example"}, &reg)
	if reg.RegisterAuthCertificate.Status != "REGISTRATION_IN_PROGRESS" {
		t.Fatalf("register after the CS came back: %+v", reg)
	}
	csc.ok(t, `{ managementRequests(first: 10, status: WAITING) { edges { node { id requestId serverId status } } } }`, nil, &reqs)
	csc.ok(t, qDecline, map[string]any{"id": reqs.ManagementRequests.Edges[0].Node.ID, "c": "wrong address"}, nil)
	deadline := time.Now().Add(30 * time.Second)
	for {
		data, errs := changes.next(t, time.Until(deadline))
		if len(errs) > 0 {
			t.Fatalf("certificateStatusChanged: %v", errs)
		}
		if bytes.Contains(data, []byte(`"status":"SAVED"`)) && bytes.Contains(data, []byte("wrong address")) {
			break
		}
	}

	// Renewal by hand and unregistration (UG-SS §5.5, §5.6.1): the second
	// authentication certificate is registered while the first is active;
	// then the first is unregistered with authCertDeletion. The central
	// server's next configuration lists only the second, and the security
	// server's certificate leaves DELETION_IN_PROGRESS (SAVED, unregistered)
	// when that configuration arrives; its key is deleted afterwards.
	ssc.ok(t, qScenarioRegister, map[string]any{"c": auth2.ID, "a": "ss1.scenario.example"}, &reg)
	csc.ok(t, `{ managementRequests(first: 10, status: WAITING) { edges { node { id requestId serverId status } } } }`, nil, &reqs)
	csc.ok(t, qApprove, map[string]any{"id": reqs.ManagementRequests.Edges[0].Node.ID}, nil)
	testenv.WaitFor(t, 30*time.Second, "the second certificate to be registered", func() bool {
		return scenarioCert(t, ssc, auth2.ID).Status == "REGISTERED"
	})
	if first := scenarioCert(t, ssc, authCert.ID); first.Status != "REGISTERED" || !first.Active {
		t.Fatalf("the first certificate after the second was registered: %+v", first)
	}
	if second := scenarioCert(t, ssc, auth2.ID); second.Active {
		t.Fatal("the second certificate was activated without --auto-activate")
	}
	unreg, _, err := ssc.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := unreg.waitAck(t); err != nil {
		t.Fatal(err)
	}
	unreg.start(t, `subscription($c: ID) { certificateStatusChanged(certificateId: $c) { status unregisteredAt } }`, map[string]any{"c": authCert.ID})
	waitSubscriptionsAt(t, ssURL, 3)
	var un struct {
		UnregisterAuthCertificate struct {
			Status            string
			DeletionRequestID *int `json:"deletionRequestId"`
		}
	}
	ssc.ok(t, `mutation($c: ID!) { unregisterAuthCertificate(certificateId: $c) { status deletionRequestId } }`, map[string]any{"c": authCert.ID}, &un)
	if un.UnregisterAuthCertificate.DeletionRequestID == nil {
		t.Fatalf("unregister: %+v", un)
	}
	var dels struct {
		ManagementRequests struct {
			Edges []struct {
				Node struct {
					RequestID                int
					Status, Origin, ServerID string
				}
			}
		}
	}
	csc.ok(t, `{ managementRequests(first: 10, type: AUTH_CERT_DELETION_REQUEST) { edges { node { requestId status origin serverId } } } }`, nil, &dels)
	if len(dels.ManagementRequests.Edges) != 1 || dels.ManagementRequests.Edges[0].Node.RequestID != *un.UnregisterAuthCertificate.DeletionRequestID ||
		dels.ManagementRequests.Edges[0].Node.Status != "APPROVED" || dels.ManagementRequests.Edges[0].Node.ServerID != "DEV/GOV/1234/SS1" {
		t.Fatalf("deletion requests on the CS: %+v", dels)
	}
	deadline = time.Now().Add(30 * time.Second)
	for {
		data, errs := unreg.next(t, time.Until(deadline))
		if len(errs) > 0 {
			t.Fatalf("certificateStatusChanged: %v", errs)
		}
		if bytes.Contains(data, []byte(`"status":"SAVED"`)) && !bytes.Contains(data, []byte(`"unregisteredAt":null`)) {
			break
		}
	}
	snap, err = globalconf.Download(context.Background(), http.DefaultClient, a, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv, ok := snap.Shared.SecurityServer(xroad.ServerID{Owner: xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"}, ServerCode: "SS1"})
	if !ok || len(srv.AuthCertHashes) != 1 || fmt.Sprintf("%x", srv.AuthCertHashes[0]) != auth2.Sha256 {
		t.Fatalf("the configuration lists %+v, want only the second certificate %s", srv, auth2.Sha256)
	}
	xsdtest.Validate(t, xsdtest.SchemaSharedParametersV6, snap.SharedParamsRaw)
	var keyOf struct {
		Node struct{ Key struct{ ID string } }
	}
	ssc.ok(t, `query($id: ID!) { node(id: $id) { ... on Certificate { key { id } } } }`, map[string]any{"id": authCert.ID}, &keyOf)
	ssc.ok(t, `mutation($k: ID!) { deleteKey(keyId: $k) }`, map[string]any{"k": keyOf.Node.Key.ID}, nil)
	if r := ssc.do(t, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": authCert.ID}); len(r.Errors) == 0 && !bytes.Contains(r.Data, []byte(`"node":null`)) {
		t.Fatalf("the first certificate is still there: %s", r.raw)
	}

	// Malformed requests carrying the PINs and the password, to both
	// servers (the processes log through their redacting handler).
	for _, base := range []string{csURL, ssURL} {
		for _, m := range malformedSecretRequests(ssPIN, csPIN, testPassword) {
			req, _ := http.NewRequest(m.method, base+m.path, strings.NewReader(m.body))
			req.Header.Set("Content-Type", m.ctype)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
	}

	// No PIN, private key, password or session token in either log.
	cookie := ssc.cookieHeader()
	for _, name := range []string{"central", "security", "ca"} {
		b, err := os.ReadFile(filepath.Join(logs, name+".log"))
		if err != nil {
			t.Fatal(err)
		}
		secrets := []string{csPIN, ssPIN, hsm.PIN + `"`, testPassword, "PRIVATE KEY", sessionToken(cookie)}
		if s, found := testenv.Contains(string(b), secrets...); found {
			t.Errorf("%s log contains a secret (%q)", name, s)
		}
	}
}

const (
	qScenarioLogin    = `mutation($t: ID!, $p: String!) { loginToken(tokenId: $t, pin: $p) { loggedIn status } }`
	qScenarioRegister = `mutation($c: ID!, $a: String!) { registerAuthCertificate(certificateId: $c, address: $a) { status managementRequestId } }`
)

type scenarioCertNode struct {
	ID, Status, OcspStatus, Sha256 string
	Active                         bool
}

// scenarioCertify generates a key and a CSR on a token, checks the CSR with
// openssl, has the CA sign it and imports the certificate.
func scenarioCertify(t *testing.T, c *gqlClient, tokenID, label, usage, caName, caURL string) scenarioCertNode {
	t.Helper()
	var k struct{ GenerateKey struct{ ID string } }
	c.ok(t, `mutation($t: ID!, $l: String) { generateKey(tokenId: $t, label: $l) { id } }`, map[string]any{"t": tokenID, "l": label}, &k)
	in := map[string]any{"keyId": k.GenerateKey.ID, "usage": usage, "caName": caName}
	profile := "auth"
	if usage == "SIGNING" {
		in["memberId"], profile = "DEV/GOV/1234", "sign"
	}
	var csr struct{ GenerateCsr struct{ Pem, Subject string } }
	c.ok(t, `mutation($i: GenerateCsrInput!) { generateCsr(input: $i) { pem subject } }`, map[string]any{"i": in}, &csr)
	cmd := exec.Command("openssl", "req", "-verify", "-noout")
	cmd.Stdin = strings.NewReader(csr.GenerateCsr.Pem)
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "verif") {
		t.Fatalf("openssl req -verify: %v %s", err, out)
	}
	resp, err := http.Post(caURL+"/testca/sign?profile="+profile, "application/x-pem-file", strings.NewReader(csr.GenerateCsr.Pem))
	if err != nil {
		t.Fatal(err)
	}
	certPEM, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("CA signing: %d %s", resp.StatusCode, certPEM)
	}
	if b, _ := pem.Decode(certPEM); b == nil {
		t.Fatalf("CA answered %s", certPEM)
	}
	var imp struct{ ImportCertificate scenarioCertNode }
	c.ok(t, `mutation($c: String!) { importCertificate(certificate: $c) { id status active ocspStatus sha256 } }`, map[string]any{"c": string(certPEM)}, &imp)
	return imp.ImportCertificate
}

func scenarioCert(t *testing.T, c *gqlClient, id string) scenarioCertNode {
	t.Helper()
	var n struct{ Node scenarioCertNode }
	c.ok(t, `query($id: ID!) { node(id: $id) { ... on Certificate { id status active ocspStatus sha256 } } }`, map[string]any{"id": id}, &n)
	return n.Node
}

func httpBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
