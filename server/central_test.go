package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/globalconf/xsdtest"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// centralEnv is an initialised central server with its three kinds of
// administrators and an approved test CA and TSA.
type centralEnv struct {
	srv      *testServer
	pki      *testPKI
	sysadmin *gqlClient // SYSTEM_ADMINISTRATOR
	secoff   *gqlClient // SECURITY_OFFICER
	regoff   *gqlClient // REGISTRATION_OFFICER
	instance string
}

const (
	qInit      = `mutation($i: InitializeCentralServerInput!) { initializeCentralServer(input: $i) { role initialized instanceIdentifier } }`
	qAddClass  = `mutation($c: String!, $d: String!) { addMemberClass(code: $c, description: $d) { id code description } }`
	qAddMember = `mutation($c: String!, $m: String!, $n: String!) { addMember(memberClass: $c, memberCode: $m, name: $n) { id memberId name memberClass { code } } }`
	qAddCA     = `mutation($i: AddApprovedCertificationServiceInput!) { addApprovedCertificationService(input: $i) { id name authenticationOnly ocspResponderUrls } }`
	qAddTSA    = `mutation($i: AddApprovedTimestampingAuthorityInput!) { addApprovedTimestampingAuthority(input: $i) { id name url } }`
	qRequests  = `query($s: ManagementRequestStatus) { managementRequests(first: 50, status: $s) { totalCount edges { node {
		id requestId type origin status serverId address authCertificateSha256 comments securityServerOwnerName
		authCertificate { subject issuer serialNumber notAfter } } } } }`
	qApprove  = `mutation($id: ID!) { approveManagementRequest(id: $id) { id requestId status } }`
	qDecline  = `mutation($id: ID!, $c: String) { declineManagementRequest(id: $id, comments: $c) { id requestId status comments } }`
	qAddOwned = `mutation($m: String!, $s: String!, $c: String!) { addOwnedSecurityServer(memberId: $m, serverCode: $s, authCertificate: $c) { id requestId status origin } }`
	qServers  = `{ securityServers(first: 50) { totalCount edges { node { serverId address owner { memberId } authCertificates { sha256 } } } } }`
	qStatus   = `{ globalConfigurationStatus { instanceIdentifier version generatedAt expiresAt error } }`
)

func newCentral(t *testing.T, opts ...func(*config)) *centralEnv {
	t.Helper()
	return newCentralWithInput(t, nil, opts...)
}

// newCentralWithInput is newCentral with more initializeCentralServer
// input.
func newCentralWithInput(t *testing.T, input map[string]any, opts ...func(*config)) *centralEnv {
	t.Helper()
	return setUpCentral(t, startServer(t, viewer.Central, opts...), input)
}

// setUpCentral gives srv its administrators, initialises it as instance
// DEV with more initializeCentralServer input and approves the test CA and
// TSA.
func setUpCentral(t *testing.T, srv *testServer, input map[string]any) *centralEnv {
	t.Helper()
	e := &centralEnv{
		srv:      srv,
		pki:      newTestPKI(t, "DEV"),
		sysadmin: srv.user(t, "sysadmin", viewer.SystemAdministrator),
		secoff:   srv.user(t, "secoff", viewer.SecurityOfficer),
		regoff:   srv.user(t, "regoff", viewer.RegistrationOfficer),
		instance: "DEV",
	}
	init := map[string]any{"instanceIdentifier": "DEV", "centralServerAddress": strings.TrimPrefix(srv.URL, "http://"), "softTokenPin": "Secret-PIN-1"}
	maps.Copy(init, input)
	e.sysadmin.ok(t, qInit, map[string]any{"i": init}, nil)
	e.secoff.ok(t, qAddClass, map[string]any{"c": "GOV", "d": "Government"}, nil)
	e.secoff.ok(t, qAddClass, map[string]any{"c": "com", "d": "Commercial"}, nil)
	e.regoff.ok(t, qAddMember, map[string]any{"c": "GOV", "m": "1234", "n": "Test Agency"}, nil)
	e.sysadmin.ok(t, qAddCA, map[string]any{"i": map[string]any{
		"caCertificate": e.pki.caPEM(), "ocspResponders": []map[string]any{{"url": e.pki.ca.OCSPURL()}},
	}}, nil)
	e.sysadmin.ok(t, qAddTSA, map[string]any{"i": map[string]any{
		"url": e.pki.ca.TSAURL(), "certificate": pemCert(e.pki.ca.TSACertificate().Raw),
	}}, nil)
	return e
}

// waitConf waits until the published configuration satisfies ok.
func (e *centralEnv) waitConf(t *testing.T, ok func(*globalconf.Snapshot) bool) *globalconf.Snapshot {
	t.Helper()
	var anchor struct{ ConfigurationAnchor string }
	e.secoff.ok(t, `{ configurationAnchor }`, nil, &anchor)
	a, err := globalconf.ParseAnchor([]byte(anchor.ConfigurationAnchor))
	if err != nil {
		t.Fatal(err)
	}
	var snap *globalconf.Snapshot
	testenv.WaitFor(t, 10*time.Second, "the configuration to reach the expected state", func() bool {
		var err error
		snap, err = globalconf.Download(context.Background(), http.DefaultClient, a, nil, nil, time.Now())
		return err == nil && ok(snap)
	})
	return snap
}

// authCertReg builds and sends X-Road's authCertReg for a server of member
// owner, returning the HTTP status and body.
type regRequest struct {
	server    xroad.ServerID
	address   string
	authKey   crypto.Signer
	authCert  *x509.Certificate
	ownerKey  crypto.Signer
	ownerCert *x509.Certificate
	ownerOCSP []byte
	dryRun    bool
	tamper    func([]byte) []byte
	// provider is the management service provider the request is
	// addressed to (nil: the default, INSTANCE/ORG/CENTRAL/MANAGEMENT).
	provider *xroad.ClientID
}

func (e *centralEnv) newRegRequest(t *testing.T, serverCode string) *regRequest {
	t.Helper()
	owner := xroad.ClientID{Instance: e.instance, MemberClass: "GOV", MemberCode: "1234"}
	id := xroad.ServerID{Owner: owner, ServerCode: serverCode}
	ak, ac := e.pki.authCert(t, id)
	ok, oc := e.pki.signCert(t, owner)
	return &regRequest{server: id, address: "ss1.example.org", authKey: ak, authCert: ac, ownerKey: ok, ownerCert: oc, ownerOCSP: e.pki.ocsp(t, oc)}
}

func (e *centralEnv) send(t *testing.T, r *regRequest) (int, error) {
	t.Helper()
	provider := xroad.ClientID{Instance: e.instance, MemberClass: "ORG", MemberCode: "CENTRAL", SubsystemCode: "MANAGEMENT"}
	if r.provider != nil {
		provider = *r.provider
	}
	body, ct, err := mgmtreq.Build(mgmtreq.AuthCertReg{
		Client:  r.server.Owner,
		Service: xroad.ServiceID{Client: provider, ServiceCode: "authCertReg"},
		Server:  r.server, Address: r.address, AuthCert: r.authCert.Raw, DryRun: r.dryRun,
	}, r.authKey, r.ownerKey, r.ownerCert.Raw, r.ownerOCSP, crypto.SHA512)
	if err != nil {
		t.Fatal(err)
	}
	if r.tamper != nil {
		body = r.tamper(body)
	}
	return mgmtreq.Send(context.Background(), http.DefaultClient, e.srv.URL+"/managementservice/", body, ct)
}

type mrNode struct {
	ID, Type, Origin, Status, ServerID, Address, AuthCertificateSha256, Comments string
	RequestID                                                                    int
	SecurityServerOwnerName                                                      *string
	AuthCertificate                                                              *struct{ Subject, Issuer, SerialNumber string }
}

func (e *centralEnv) requests(t *testing.T, status string) []mrNode {
	t.Helper()
	var out struct {
		ManagementRequests struct {
			TotalCount int
			Edges      []struct{ Node mrNode }
		}
	}
	vars := map[string]any{}
	if status != "" {
		vars["s"] = status
	}
	e.regoff.ok(t, qRequests, vars, &out)
	var nodes []mrNode
	for _, ed := range out.ManagementRequests.Edges {
		nodes = append(nodes, ed.Node)
	}
	return nodes
}

func TestCentralInitialisationAndRegistry(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	// Initialising again is refused and changes nothing.
	e.sysadmin.fails(t, xroad.CodeAlreadyInit, qInit, map[string]any{"i": map[string]any{
		"instanceIdentifier": "OTHER", "centralServerAddress": "cs.example.org", "softTokenPin": "x"}})
	var info struct {
		ServerInfo struct{ InstanceIdentifier string }
	}
	e.regoff.ok(t, `{ serverInfo { instanceIdentifier } }`, nil, &info)
	if info.ServerInfo.InstanceIdentifier != "DEV" {
		t.Fatalf("instance changed to %q", info.ServerInfo.InstanceIdentifier)
	}
	// Member classes: upper-cased, unique code and description.
	var classes struct {
		MemberClasses []struct{ Code, Description string }
	}
	e.regoff.ok(t, `{ memberClasses { code description } }`, nil, &classes)
	if len(classes.MemberClasses) != 2 || classes.MemberClasses[0].Code != "COM" {
		t.Fatalf("member classes: %+v", classes.MemberClasses)
	}
	e.secoff.fails(t, xroad.CodeMemberClassExists, qAddClass, map[string]any{"c": "gov", "d": "Other"})
	e.secoff.fails(t, xroad.CodeMemberClassExists, qAddClass, map[string]any{"c": "ORG", "d": "Government"})
	e.secoff.fails(t, xroad.CodeBadUserInput, qAddClass, map[string]any{"c": "A/B", "d": "Slashes"})
	// Members (MEMBER_10).
	e.regoff.fails(t, xroad.CodeMemberClassNotFound, qAddMember, map[string]any{"c": "XXX", "m": "1", "n": "N"})
	e.regoff.fails(t, xroad.CodeMemberExists, qAddMember, map[string]any{"c": "GOV", "m": "1234", "n": "Again"})
	for _, bad := range []string{"a:b", "a;b", "a/b", `a\b`, "a%b", "a\x01b", strings.Repeat("x", 256)} {
		r := e.regoff.fails(t, xroad.CodeBadUserInput, qAddMember, map[string]any{"c": "GOV", "m": bad, "n": "N"})
		if r.Errors[0].Extensions["field"] != "memberCode" {
			t.Errorf("error for %q does not name the field: %v", bad, r.Errors[0].Extensions)
		}
	}
	var m struct {
		AddMember struct{ MemberID, Name string }
	}
	e.regoff.ok(t, qAddMember, map[string]any{"c": " COM ", "m": " 5678 ", "n": "  Company  "}, &m)
	if m.AddMember.MemberID != "DEV/COM/5678" || m.AddMember.Name != "Company" {
		t.Fatalf("input not trimmed: %+v", m.AddMember)
	}
	var list struct {
		Members struct {
			TotalCount int
			Edges      []struct{ Node struct{ MemberID string } }
		}
	}
	e.regoff.ok(t, `{ members(first: 1, search: "compa") { totalCount edges { node { memberId } } } }`, nil, &list)
	if list.Members.TotalCount != 1 || list.Members.Edges[0].Node.MemberID != "DEV/COM/5678" {
		t.Fatalf("search: %+v", list.Members)
	}
	// Trust services.
	e.sysadmin.fails(t, xroad.CodeInvalidCertificate, qAddCA, map[string]any{"i": map[string]any{"caCertificate": "not a certificate"}})
	e.sysadmin.fails(t, xroad.CodeApprovedCAExists, qAddCA, map[string]any{"i": map[string]any{"caCertificate": e.pki.caPEM()}})
	e.sysadmin.fails(t, xroad.CodeInvalidCertificate, qAddTSA, map[string]any{"i": map[string]any{"url": "http://tsa.example.org", "certificate": e.pki.caPEM()}})
	e.sysadmin.fails(t, xroad.CodeBadUserInput, qAddTSA, map[string]any{"i": map[string]any{"url": "ftp://x", "certificate": pemCert(e.pki.ca.TSACertificate().Raw)}})
	// The audit log names who did what.
	var audit struct {
		AuditEvents struct {
			Edges []struct{ Node struct{ Event, Actor string } }
		}
	}
	e.regoff.ok(t, `{ auditEvents(first: 100) { edges { node { event actor } } } }`, nil, &audit)
	seen := map[string]string{}
	for _, ed := range audit.AuditEvents.Edges {
		seen[ed.Node.Event] = ed.Node.Actor
	}
	for event, actor := range map[string]string{"Initialize central server": "sysadmin", "Add member class": "secoff", "Add member": "regoff",
		"Add certification service": "sysadmin", "Add timestamping service": "sysadmin", "Add member failed": "regoff"} {
		if seen[event] != actor {
			t.Errorf("audit event %q by %q missing (have %v)", event, actor, seen)
		}
	}
}

func TestCentralPublishesValidConfiguration(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	snap := e.waitConf(t, func(s *globalconf.Snapshot) bool {
		return len(s.Shared.ApprovedTSAs) == 1 && len(s.Shared.Members) == 1 && len(s.Shared.ApprovedCAs) == 1
	})
	xsdtest.Validate(t, xsdtest.SchemaSharedParametersV6, snap.SharedParamsRaw)
	xsdtest.Validate(t, xsdtest.SchemaPrivateParametersV3, snap.PrivateParamsRaw)
	var anchor struct{ ConfigurationAnchor string }
	e.secoff.ok(t, `{ configurationAnchor }`, nil, &anchor)
	xsdtest.Validate(t, xsdtest.SchemaAnchor, []byte(anchor.ConfigurationAnchor))
	if got := snap.Private.ManagementService.AuthCertRegServiceAddress; got != e.srv.URL+"/managementservice/" {
		t.Errorf("authCertRegServiceAddress = %q", got)
	}
	if snap.Shared.GlobalSettings.OCSPFreshnessSeconds != 3600 {
		t.Errorf("ocspFreshnessSeconds = %d", snap.Shared.GlobalSettings.OCSPFreshnessSeconds)
	}
	ca := snap.Shared.ApprovedCAs[0]
	if len(ca.TopCA.OCSP) != 1 || ca.TopCA.OCSP[0].URL != e.pki.ca.OCSPURL() || !ca.TopCA.Cert.Equal(e.pki.ca.Certificate()) {
		t.Errorf("approved CA in configuration: %+v", ca)
	}
	// The anchor file is also downloadable (security officers only).
	resp := httpGet(t, e.secoff, "/configuration-anchor.xml")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "configuration_anchor_DEV_internal.xml") {
		t.Fatalf("anchor download: %d %v", resp.StatusCode, resp.Header)
	}
	if r := httpGet(t, e.regoff, "/configuration-anchor.xml"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("registration officer downloaded the anchor: %d", r.StatusCode)
	}
	// Only version 6 is served.
	if r := httpGet(t, e.srv.anonymous(), "/internalconf?version=5"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("version 5: %d", r.StatusCode)
	}
	var st struct {
		GlobalConfigurationStatus struct {
			InstanceIdentifier string
			Version            int
			Error              *string
		}
	}
	e.regoff.ok(t, qStatus, nil, &st)
	if st.GlobalConfigurationStatus.Version < 1 || st.GlobalConfigurationStatus.Error != nil || st.GlobalConfigurationStatus.InstanceIdentifier != "DEV" {
		t.Fatalf("status: %+v", st.GlobalConfigurationStatus)
	}
}

func httpGet(t *testing.T, c *gqlClient, path string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func TestManagementServiceRegistrationAndApproval(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })

	sub, _, err := e.regoff.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.waitAck(t); err != nil {
		t.Fatal(err)
	}
	sub.start(t, `subscription { managementRequestChanged { requestId status origin serverId } }`, nil)
	e.srv.waitSubscriptions(t, 1)

	r := e.newRegRequest(t, "SS1")
	// A dry run is verified but stores nothing.
	r.dryRun = true
	if id, err := e.send(t, r); err != nil || id != 0 {
		t.Fatalf("dry run: id %d err %v", id, err)
	}
	if n := len(e.requests(t, "")); n != 0 {
		t.Fatalf("dry run stored %d requests", n)
	}
	r.dryRun = false
	id, err := e.send(t, r)
	if err != nil {
		t.Fatalf("authCertReg: %v", err)
	}
	if id != 1 {
		t.Fatalf("requestId = %d, want 1", id)
	}
	ev, errs := sub.next(t, 5*time.Second)
	if len(errs) > 0 || !bytes.Contains(ev, []byte(`"status":"WAITING"`)) || !bytes.Contains(ev, []byte(`"origin":"SECURITY_SERVER"`)) {
		t.Fatalf("subscription event %s %v", ev, errs)
	}
	reqs := e.requests(t, "WAITING")
	if len(reqs) != 1 || reqs[0].ServerID != "DEV/GOV/1234/SS1" || reqs[0].Address != "ss1.example.org" ||
		reqs[0].AuthCertificate == nil || !strings.Contains(reqs[0].AuthCertificate.Subject, "CN=SS1") ||
		reqs[0].SecurityServerOwnerName == nil || *reqs[0].SecurityServerOwnerName != "Test Agency" {
		t.Fatalf("request: %+v", reqs)
	}
	// The same request again (a security server retrying after a lost
	// answer): the pending request's number, nothing stored twice.
	if again, err := e.send(t, r); err != nil || again != 1 {
		t.Fatalf("the same request again: %d, %v", again, err)
	}
	if reqs := e.requests(t, ""); len(reqs) != 1 {
		t.Fatalf("%d requests after the same request was sent twice", len(reqs))
	}
	// Another server's request for the certificate: refused with the
	// pending request's number.
	other := *r
	other.server.ServerCode = "SS2"
	if _, err := e.send(t, &other); !xroad.IsCode(err, xroad.CodeManagementRequestExists) || !strings.Contains(err.Error(), "'1'") {
		t.Fatalf("the certificate for another server: %v", err)
	}
	// Approve (MEMBER_36).
	var ap struct{ ApproveManagementRequest struct{ Status string } }
	e.regoff.ok(t, qApprove, map[string]any{"id": reqs[0].ID}, &ap)
	if ap.ApproveManagementRequest.Status != "APPROVED" {
		t.Fatalf("approve: %+v", ap)
	}
	e.regoff.fails(t, xroad.CodeManagementRequestInvalidStateForApproval, qApprove, map[string]any{"id": reqs[0].ID})
	var servers struct {
		SecurityServers struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ServerID, Address string
					Owner             struct{ MemberID string }
					AuthCertificates  []struct{ Sha256 string }
				}
			}
		}
	}
	e.regoff.ok(t, qServers, nil, &servers)
	if servers.SecurityServers.TotalCount != 1 {
		t.Fatalf("servers: %+v", servers)
	}
	s := servers.SecurityServers.Edges[0].Node
	if s.ServerID != "DEV/GOV/1234/SS1" || s.Address != "ss1.example.org" || len(s.AuthCertificates) != 1 || s.AuthCertificates[0].Sha256 != reqs[0].AuthCertificateSha256 {
		t.Fatalf("server: %+v", s)
	}
	// The configuration lists the server, its certificate and the owners group.
	snap := e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.SecurityServers) == 1 })
	if got, ok := snap.Shared.ServerByAuthCertHash(globalconf.AuthCertHash(r.authCert.Raw)); !ok || got.ID.String() != "DEV/GOV/1234/SS1" {
		t.Fatalf("server by auth cert hash: %v %v", got, ok)
	}
	if len(snap.Shared.GlobalGroups) != 1 || snap.Shared.GlobalGroups[0].Code != "security-server-owners" || len(snap.Shared.GlobalGroups[0].Members) != 1 {
		t.Fatalf("global groups: %+v", snap.Shared.GlobalGroups)
	}
	// A registered certificate cannot be registered again.
	if _, err := e.send(t, r); !xroad.IsCode(err, xroad.CodeManagementRequestSecurityServerExists) {
		t.Fatalf("registered again: %v", err)
	}
}

func TestManagementServiceRefusesBadRequests(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })
	other := newTestPKI(t, "DEV")
	cases := []struct {
		name   string
		mutate func(r *regRequest)
		code   string
	}{
		{"auth cert of an unknown CA", func(r *regRequest) {
			r.authKey, r.authCert = other.authCert(t, r.server)
		}, xroad.CodeManagementRequestInvalidAuthCertificate},
		{"tampered SOAP part", func(r *regRequest) {
			r.tamper = func(body []byte) []byte {
				return bytes.Replace(body, []byte("ss1.example.org"), []byte("ss6.example.org"), 1)
			}
		}, xroad.CodeManagementRequestAuthSignatureInvalid},
		{"owner certificate of another member", func(r *regRequest) {
			r.ownerKey, r.ownerCert = e.pki.signCert(t, xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "9999"})
			r.ownerOCSP = e.pki.ocsp(t, r.ownerCert)
		}, xroad.CodeManagementRequestOwnerIdentifierMismatch},
		{"revoked owner certificate", func(r *regRequest) {
			if err := e.pki.ca.Revoke(r.ownerCert.SerialNumber, 1); err != nil {
				t.Fatal(err)
			}
			r.ownerOCSP = e.pki.ocsp(t, r.ownerCert)
		}, xroad.CodeManagementRequestOwnerCertificateInvalid},
		{"expired owner OCSP response", func(r *regRequest) {
			r.ownerOCSP = staleOCSP(t, e.pki, r.ownerCert)
		}, xroad.CodeManagementRequestOwnerCertificateInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.newRegRequest(t, "SS-"+strings.ReplaceAll(c.name, " ", "-"))
			c.mutate(r)
			_, err := e.send(t, r)
			if err == nil {
				t.Fatal("accepted")
			}
			if c.code != "" && !xroad.IsCode(err, c.code) {
				t.Fatalf("want %s, got %v", c.code, err)
			}
			if n := len(e.requests(t, "")); n != 0 {
				t.Fatalf("a refused request was stored (%d)", n)
			}
		})
	}
	// Garbage and oversized bodies get a SOAP fault too.
	resp, err := http.Post(e.srv.URL+"/managementservice/", "multipart/related; boundary=x", strings.NewReader("garbage"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || !bytes.Contains(b, []byte("Fault")) {
		t.Fatalf("garbage: %d %s", resp.StatusCode, b)
	}
}

func TestPairingDeclineRevokeAndStatusQuery(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })

	// Legacy pairing: the CS admin enters the complementary request first.
	r := e.newRegRequest(t, "SS2")
	var owned struct {
		AddOwnedSecurityServer struct{ ID, Status, Origin string }
	}
	e.regoff.ok(t, qAddOwned, map[string]any{"m": "DEV/GOV/1234", "s": "SS2", "c": pemCert(r.authCert.Raw)}, &owned)
	if owned.AddOwnedSecurityServer.Status != "WAITING" || owned.AddOwnedSecurityServer.Origin != "CENTER" {
		t.Fatalf("owned: %+v", owned)
	}
	e.regoff.fails(t, xroad.CodeManagementRequestExists, qAddOwned, map[string]any{"m": "DEV/GOV/1234", "s": "SS2", "c": pemCert(r.authCert.Raw)})
	e.regoff.fails(t, xroad.CodeManagementRequestServerOwnerNotFound, qAddOwned, map[string]any{"m": "DEV/GOV/4321", "s": "SS2", "c": pemCert(r.authCert.Raw)})
	e.regoff.fails(t, xroad.CodeManagementRequestInvalidAuthCertificate, qAddOwned, map[string]any{"m": "DEV/GOV/1234", "s": "SS9", "c": "garbage"})
	_, signCert := e.pki.signCert(t, r.server.Owner)
	e.regoff.fails(t, xroad.CodeManagementRequestInvalidAuthCertificate, qAddOwned, map[string]any{"m": "DEV/GOV/1234", "s": "SS9", "c": pemCert(signCert.Raw)})
	id, err := e.send(t, r)
	if err != nil {
		t.Fatal(err)
	}
	reqs := e.requests(t, "SUBMITTED_FOR_APPROVAL")
	if len(reqs) != 2 {
		t.Fatalf("pairing: %+v", reqs)
	}
	// Declining one declines the pair, with the comment.
	e.regoff.ok(t, qDecline, map[string]any{"id": reqs[0].ID, "c": "unknown organisation"}, nil)
	if d := e.requests(t, "DECLINED"); len(d) != 2 || d[0].Comments != "unknown organisation" {
		t.Fatalf("declined: %+v", d)
	}
	e.regoff.fails(t, xroad.CodeManagementRequestInvalidState, qDecline, map[string]any{"id": reqs[0].ID})
	// The security server may ask about its request with its auth key.
	ans := e.statusQuery(t, id, r.authCert, r.authKey)
	if ans.Status != "DECLINED" || ans.Comments != "unknown organisation" {
		t.Fatalf("status answer: %+v", ans)
	}
	// …but not with another key.
	otherKey, _ := e.pki.authCert(t, r.server)
	body, _ := mgmtreq.BuildStatusQuery(id, r.authCert.Raw, otherKey, time.Now())
	resp, err := http.Post(e.srv.URL+"/managementservice/status", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status query with another key: %d", resp.StatusCode)
	}
	// A lone CENTER-origin request is revoked, not declined.
	r3 := e.newRegRequest(t, "SS3")
	e.regoff.ok(t, qAddOwned, map[string]any{"m": "DEV/GOV/1234", "s": "SS3", "c": pemCert(r3.authCert.Raw)}, &owned)
	var dec struct{ DeclineManagementRequest struct{ Status string } }
	e.regoff.ok(t, qDecline, map[string]any{"id": owned.AddOwnedSecurityServer.ID}, &dec)
	if dec.DeclineManagementRequest.Status != "REVOKED" {
		t.Fatalf("lone CENTER request: %+v", dec)
	}
}

func (e *centralEnv) statusQuery(t *testing.T, id int, cert *x509.Certificate, key crypto.Signer) mgmtreq.StatusAnswer {
	t.Helper()
	body, err := mgmtreq.BuildStatusQuery(id, cert.Raw, key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(e.srv.URL+"/managementservice/status", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ans mgmtreq.StatusAnswer
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status query: %d %v", resp.StatusCode, err)
	}
	return ans
}

func TestAutoApprove(t *testing.T) {
	t.Parallel()
	e := newCentral(t, func(c *config) { c.AutoApprove = true })
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })
	r := e.newRegRequest(t, "SS1")
	if _, err := e.send(t, r); err != nil {
		t.Fatal(err)
	}
	if got := e.requests(t, "APPROVED"); len(got) != 1 {
		t.Fatalf("not auto-approved: %+v", e.requests(t, ""))
	}
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.SecurityServers) == 1 })
}

// TestCentralAuthorisation calls every central-server mutation and query as
// each role and anonymously: exactly the roles X-Road's central server grants
// (UG-CS, User Roles; X-Road's permissions.yml) get past authorisation.
func TestCentralAuthorisation(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central)
	ops := []struct {
		name  string
		query string
		vars  map[string]any
		roles []viewer.Role
	}{
		{"initializeCentralServer", qInit, map[string]any{"i": map[string]any{"instanceIdentifier": "", "centralServerAddress": "", "softTokenPin": ""}}, []viewer.Role{viewer.SystemAdministrator, viewer.SecurityOfficer}},
		{"addMemberClass", qAddClass, map[string]any{"c": "", "d": ""}, []viewer.Role{viewer.SecurityOfficer}},
		{"addMember", qAddMember, map[string]any{"c": "", "m": "", "n": ""}, []viewer.Role{viewer.RegistrationOfficer}},
		{"addApprovedCertificationService", qAddCA, map[string]any{"i": map[string]any{"caCertificate": ""}}, []viewer.Role{viewer.SystemAdministrator}},
		{"addApprovedTimestampingAuthority", qAddTSA, map[string]any{"i": map[string]any{"url": "", "certificate": ""}}, []viewer.Role{viewer.SystemAdministrator}},
		{"addOwnedSecurityServer", qAddOwned, map[string]any{"m": "", "s": "", "c": ""}, []viewer.Role{viewer.RegistrationOfficer}},
		{"approveManagementRequest", qApprove, map[string]any{"id": "1"}, []viewer.Role{viewer.RegistrationOfficer}},
		{"declineManagementRequest", qDecline, map[string]any{"id": "1"}, []viewer.Role{viewer.RegistrationOfficer}},
		{"generateGlobalConfiguration", `mutation { generateGlobalConfiguration { version } }`, nil, []viewer.Role{viewer.SecurityOfficer, viewer.SystemAdministrator}},
		{"loginCentralServerToken", `mutation { loginCentralServerToken(pin: "x") { version } }`, nil, []viewer.Role{viewer.SystemAdministrator, viewer.SecurityOfficer}},
		{"members", `{ members(first: 1) { totalCount } }`, nil, []viewer.Role{viewer.RegistrationOfficer}},
		{"securityServers", `{ securityServers(first: 1) { totalCount } }`, nil, []viewer.Role{viewer.RegistrationOfficer}},
		{"managementRequests", `{ managementRequests(first: 1) { totalCount } }`, nil, []viewer.Role{viewer.RegistrationOfficer}},
		{"memberClasses", `{ memberClasses { code } }`, nil, []viewer.Role{viewer.SecurityOfficer, viewer.RegistrationOfficer}},
		{"approvedCertificationServices", `{ approvedCertificationServices { name } }`, nil, []viewer.Role{viewer.SystemAdministrator}},
		{"approvedTimestampingAuthorities", `{ approvedTimestampingAuthorities { name } }`, nil, []viewer.Role{viewer.SystemAdministrator}},
		{"configurationAnchor", `{ configurationAnchor }`, nil, []viewer.Role{viewer.SecurityOfficer}},
	}
	clients := map[viewer.Role]*gqlClient{}
	for _, r := range viewer.RolesOf(viewer.Central) {
		clients[r] = srv.user(t, strings.ToLower(string(r)), r)
	}
	anon := srv.anonymous()
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			if code := anon.do(t, op.query, op.vars).code(); code != xroad.CodeUnauthenticated {
				t.Errorf("anonymous: %s", code)
			}
			for role, c := range clients {
				allowed := false
				for _, r := range op.roles {
					allowed = allowed || r == role
				}
				code := c.do(t, op.query, op.vars).code()
				if allowed && (code == xroad.CodeForbidden || code == xroad.CodeUnauthenticated) {
					t.Errorf("%s was refused: %s", role, code)
				}
				if !allowed && code != xroad.CodeForbidden {
					t.Errorf("%s got %q, want FORBIDDEN", role, code)
				}
			}
		})
	}
	// Security-server operations answer WRONG_SERVER_ROLE here.
	if code := clients[viewer.SecurityOfficer].do(t, `{ tokens { id } }`, nil).code(); code != xroad.CodeWrongServerRole {
		t.Errorf("tokens on a central server: %s", code)
	}
	_ = fmt.Sprint()
}

// TestAutoApproveRenewals: with --auto-approve-renewals the central server
// approves on arrival only what is evidently a renewal — a registered
// server asking, at its registered address, for a certificate an approved
// CA issued — and says why in the request; a first registration, another
// address or an unknown server wait for an administrator.
func TestAutoApproveRenewals(t *testing.T) {
	t.Parallel()
	e := newCentral(t, func(c *config) { c.AutoApproveRenewals = true })
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })
	first := e.newRegRequest(t, "SS1")
	if _, err := e.send(t, first); err != nil {
		t.Fatal(err)
	}
	waiting := e.requests(t, "WAITING")
	if len(waiting) != 1 {
		t.Fatalf("a first registration: %+v", e.requests(t, ""))
	}
	e.regoff.ok(t, qApprove, map[string]any{"id": waiting[0].ID}, nil)

	renewal := e.newRegRequest(t, "SS1")
	num, err := e.send(t, renewal)
	if err != nil {
		t.Fatal(err)
	}
	var approved *mrNode
	for _, r := range e.requests(t, "APPROVED") {
		if r.RequestID == num {
			approved = &r
		}
	}
	if approved == nil || !strings.Contains(approved.Comments, "Approved automatically as a renewal") ||
		!strings.Contains(approved.Comments, first.address) || !strings.Contains(approved.Comments, "approved CA") {
		t.Fatalf("the renewal: %+v", e.requests(t, ""))
	}
	e.waitConf(t, func(s *globalconf.Snapshot) bool {
		return len(s.Shared.SecurityServers) == 1 && len(s.Shared.SecurityServers[0].AuthCertHashes) == 2
	})

	moved := e.newRegRequest(t, "SS1")
	moved.address = "ss1-new.example.org"
	other := e.newRegRequest(t, "SS2")
	for _, r := range []*regRequest{moved, other} {
		if _, err := e.send(t, r); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.requests(t, "WAITING"); len(got) != 2 {
		t.Errorf("another address and an unknown server: %+v", e.requests(t, ""))
	}
}
