package main

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// TestSecurityServerFlow drives MEMBER_01 on the security server through
// GraphQL against the fake central server: anchor, initialisation,
// timestamping, tokens, keys, CSRs (checked with openssl), certificates,
// registration with its failure modes, approval seen through the
// authCertificateRegistered subscription, activation, revocation and a
// declined registration seen through certificateStatusChanged.
func TestSecurityServerFlow(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t)
	cs, so, admin := e.cs, e.officer, e.sysadmin
	step := func(name string, f func(t *testing.T)) {
		if !t.Run(name, f) {
			t.FailNow() // later steps build on this one
		}
	}

	step("anchor", func(t *testing.T) {
		admin.fails(t, "MALFORMED_ANCHOR", qUploadAnchor, map[string]any{"a": "<configurationAnchor/>"})
		so.fails(t, "FORBIDDEN", qUploadAnchor, map[string]any{"a": string(cs.Anchor)}) // the first upload is init_config's
		var out struct {
			UploadAnchor struct{ Hash, InstanceIdentifier, GeneratedAt string }
		}
		admin.ok(t, qUploadAnchor, map[string]any{"a": string(cs.Anchor)}, &out)
		if out.UploadAnchor.Hash != globalconf.AnchorHash(cs.Anchor) || out.UploadAnchor.InstanceIdentifier != fcsInstance {
			t.Errorf("uploadAnchor = %+v, want hash %s", out.UploadAnchor, globalconf.AnchorHash(cs.Anchor))
		}
		var q struct {
			Anchor                    struct{ Hash string }
			GlobalConfigurationStatus struct {
				Version *int
				Error   *string
			}
			MemberName *string
		}
		so.ok(t, `{ anchor { hash } globalConfigurationStatus { version error } memberName(memberClass: "GOV", memberCode: "1234") }`, nil, &q)
		if q.Anchor.Hash != out.UploadAnchor.Hash || q.GlobalConfigurationStatus.Version == nil || *q.GlobalConfigurationStatus.Version != 1 ||
			q.GlobalConfigurationStatus.Error != nil || q.MemberName == nil || *q.MemberName != fcsOwnerName {
			t.Errorf("after upload: %+v", q)
		}
		// After the upload a security officer may replace it.
		so.ok(t, qUploadAnchor, map[string]any{"a": string(cs.Anchor)}, nil)
	})

	step("initialize", func(t *testing.T) {
		in := map[string]any{"ownerMemberClass": fcsOwnerClass, "ownerMemberCode": fcsOwnerCode, "serverCode": "", "softTokenPin": "1234"}
		r := admin.fails(t, "INVALID_INIT_PARAMS", qInitialize, map[string]any{"in": in})
		if r.ext("metadata") != `["server_code_not_provided"]` {
			t.Errorf("metadata = %s", r.ext("metadata"))
		}
		in["serverCode"] = fcsServerCode
		initializeAs(t, admin, in, "DEV/GOV/1234/SS1")
		c := clients(t, so)
		if len(c) != 1 || !c[0].Owner || c[0].Status != "SAVED" || c[0].MemberID != "DEV/GOV/1234" || c[0].Name == nil || *c[0].Name != fcsOwnerName {
			t.Errorf("clients = %+v", c)
		}
		admin.fails(t, "ALREADY_INITIALIZED", qInitialize, map[string]any{"in": in})
		// Now the anchor must stay of this instance.
		other, err := globalconf.BuildAnchor(globalconf.Anchor{Instance: "OTHER", Sources: []globalconf.AnchorSource{
			{DownloadURL: cs.confSrv.URL + "/internalconf", VerificationCerts: []*x509.Certificate{cs.signCert}}}})
		if err != nil {
			t.Fatal(err)
		}
		r = so.fails(t, "INVALID_INSTANCE_IDENTIFIER", qUploadAnchor, map[string]any{"a": string(other)})
		if !strings.Contains(r.Errors[0].Message, "Unexpected instance identifier found in anchor") {
			t.Errorf("message = %s", r.Errors[0].Message)
		}
	})

	step("timestamping", func(t *testing.T) {
		var a struct{ ApprovedTimestampingServices []struct{ Name, URL string } }
		so.ok(t, `{ approvedTimestampingServices { id name url } }`, nil, &a)
		if len(a.ApprovedTimestampingServices) != 1 || a.ApprovedTimestampingServices[0].Name != fcsTSAName || a.ApprovedTimestampingServices[0].URL != cs.ca.TSAURL() {
			t.Fatalf("approved = %+v", a)
		}
		add := `mutation($n: String!, $u: String!) { addTimestampingService(name: $n, url: $u) { id name url } }`
		so.fails(t, "TIMESTAMPING_SERVICE_NOT_FOUND", add, map[string]any{"n": fcsTSAName, "u": cs.ca.TSAURL() + "x"})
		so.fails(t, "TIMESTAMPING_SERVICE_NOT_FOUND", add, map[string]any{"n": "Other TSA", "u": cs.ca.TSAURL()})
		so.ok(t, add, map[string]any{"n": fcsTSAName, "u": cs.ca.TSAURL()}, nil)
		so.fails(t, "TIMESTAMPING_SERVICE_EXISTS", add, map[string]any{"n": fcsTSAName, "u": cs.ca.TSAURL()})
		var l struct{ TimestampingServices []struct{ Name, URL string } }
		so.ok(t, `{ timestampingServices { name url } }`, nil, &l)
		if len(l.TimestampingServices) != 1 {
			t.Errorf("configured = %+v", l)
		}
		var c struct {
			CheckTimestampingService struct {
				Reachable bool
				Error     *string
			}
		}
		so.ok(t, `query($u: String!) { checkTimestampingService(url: $u) { reachable error checkedAt } }`, map[string]any{"u": cs.ca.TSAURL()}, &c)
		if !c.CheckTimestampingService.Reachable || c.CheckTimestampingService.Error != nil {
			t.Errorf("check = %+v", c)
		}
		so.fails(t, "TIMESTAMPING_SERVICE_NOT_FOUND", `{ checkTimestampingService(url: "http://127.0.0.1:9/tsa") { reachable } }`, nil)
	})

	var softID gid
	step("login", func(t *testing.T) {
		soft := e.token(t, "SOFTWARE")
		softID = soft.ID
		if soft.Name != "softToken-0" || !soft.LoggedIn || !slices.Contains(soft.PossibleActions, "GENERATE_KEY") {
			t.Fatalf("after initialisation: %+v", soft)
		}
		so.ok(t, qLogout, map[string]any{"id": softID}, nil)
		r := so.fails(t, "PIN_INCORRECT", qLogin, map[string]any{"id": softID, "pin": "0000"})
		if strings.Contains(r.raw, "0000") {
			t.Error("the error shows the PIN")
		}
		if tok := e.token(t, "SOFTWARE"); tok.LoggedIn || tok.Status != "USER_PIN_INCORRECT" || !slices.Equal(tok.PossibleActions, []string{"LOGIN"}) {
			t.Errorf("after a wrong PIN: %+v", tok)
		}
		var out struct{ LoginToken tokenNode }
		so.ok(t, qLogin, map[string]any{"id": softID, "pin": "1234"}, &out)
		if !out.LoginToken.LoggedIn || out.LoginToken.Status != "OK" {
			t.Errorf("after login: %+v", out.LoginToken)
		}
	})

	var signKey, authKey keyNode
	step("keys and CSRs", func(t *testing.T) {
		signKey = e.generateKey(t, softID, "sign key", "EC")
		authKey = e.generateKey(t, softID, "auth key", "") // RSA by default
		if signKey.Algorithm != "EC" || authKey.Algorithm != "RSA" || signKey.Usage != nil || signKey.Name != "sign key" ||
			!slices.Equal(signKey.PossibleActions, []string{"GENERATE_AUTH_CSR", "GENERATE_SIGN_CSR", "DELETE"}) {
			t.Fatalf("keys: %+v %+v", signKey, authKey)
		}
		var f struct {
			CsrSubjectFields []struct {
				ID           string
				DefaultValue *string
				ReadOnly     bool
			}
		}
		so.ok(t, `query($ca: String!) { csrSubjectFields(caName: $ca, usage: SIGNING, memberId: "DEV/GOV/1234") { id defaultValue readOnly required label } }`,
			map[string]any{"ca": cs.ca.Name()}, &f)
		if len(f.CsrSubjectFields) != 3 || *f.CsrSubjectFields[2].DefaultValue != fcsOwnerCode || !f.CsrSubjectFields[2].ReadOnly {
			t.Errorf("subject fields = %+v", f)
		}

		base := map[string]any{"keyId": signKey.ID, "usage": "SIGNING", "caName": cs.ca.Name(), "memberId": fcsOwner.String()}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for a, b := range base {
				m[a] = b
			}
			m[k] = v
			return map[string]any{"in": m}
		}
		before := e.tree(t)
		so.fails(t, "CERTIFICATE_AUTHORITY_NOT_FOUND", qGenerateCSR, with("caName", "Unknown CA"))
		r := so.fails(t, "CLIENT_NOT_FOUND", qGenerateCSR, with("memberId", fcsOther.String()))
		if r.ext("metadata") != `["DEV/COM/555"]` {
			t.Errorf("metadata = %s", r.ext("metadata"))
		}
		so.fails(t, "INVALID_DISTINGUISHED_NAME", qGenerateCSR, with("subjectFields", []map[string]string{{"id": "CN", "value": "9999"}}))
		so.fails(t, "INVALID_DISTINGUISHED_NAME", qGenerateCSR, with("subjectFields", []map[string]string{{"id": "OU", "value": "x"}}))
		ro := e.srv.user(t, "registrar", viewer.RegistrationOfficer)
		ro.fails(t, "FORBIDDEN", qGenerateCSR, map[string]any{"in": map[string]any{"keyId": authKey.ID, "usage": "AUTHENTICATION", "caName": cs.ca.Name()}})
		if e.tree(t) != before {
			t.Fatal("a refused CSR changed something")
		}

		csr := e.generateCSR(t, signKey.ID, "SIGNING")
		day := time.Now().UTC().Format("20060102")
		if csr.Subject != "CN=1234,O=GOV,C=DEV" || csr.Key.Usage == nil || *csr.Key.Usage != "SIGNING" ||
			csr.PEMName != "sign_csr_"+day+"_member_DEV_GOV_1234.pem" || csr.DERName != "sign_csr_"+day+"_member_DEV_GOV_1234.der" {
			t.Errorf("sign CSR = %+v", csr)
		}
		der, err := base64.StdEncoding.DecodeString(csr.DER)
		if err != nil || pemBlock("CERTIFICATE REQUEST", der) != csr.PEM {
			t.Error("der and pem differ")
		}
		opensslVerifyCSR(t, csr.PEM, "C = DEV, O = GOV, CN = 1234")
		// The key's usage is fixed now.
		so.fails(t, "WRONG_KEY_USAGE", qGenerateCSR, map[string]any{"in": map[string]any{"keyId": signKey.ID, "usage": "AUTHENTICATION", "caName": cs.ca.Name()}})

		auth := e.generateCSR(t, authKey.ID, "AUTHENTICATION")
		if auth.Subject != "CN=SS1,C=DEV" || auth.PEMName != "auth_csr_"+day+"_securityserver_DEV_GOV_1234_SS1.pem" {
			t.Errorf("auth CSR = %+v", auth)
		}
		opensslVerifyCSR(t, auth.PEM, "C = DEV, CN = SS1")
		if _, err := pki.ParseCSR([]byte(auth.PEM)); err != nil {
			t.Error(err)
		}
	})

	var signCert, authCert certNode
	step("import", func(t *testing.T) {
		signCert = e.certify(t, signKey.ID, "SIGNING")
		if signCert.Status != "REGISTERED" || !signCert.Active || signCert.OcspStatus != "OCSP_RESPONSE_GOOD" ||
			signCert.MemberID == nil || *signCert.MemberID != "DEV/GOV/1234" || signCert.Usage != "SIGNING" {
			t.Errorf("sign cert = %+v", signCert)
		}
		authCert = e.certify(t, authKey.ID, "AUTHENTICATION")
		if authCert.Status != "SAVED" || authCert.Active || authCert.OcspStatus != "DISABLED" ||
			!slices.Equal(authCert.PossibleActions, []string{"REGISTER", "ACTIVATE", "DELETE"}) {
			t.Errorf("auth cert = %+v", authCert)
		}
		var tree struct {
			Tokens []struct {
				Keys []struct {
					ID              gid
					PossibleActions []string
					Csrs            []struct{ ID gid }
				}
			}
		}
		so.ok(t, `{ tokens { keys { id possibleActions csrs { id } } } }`, nil, &tree)
		for _, k := range tree.Tokens[0].Keys {
			if len(k.Csrs) != 0 || !slices.Equal(k.PossibleActions, []string{"DELETE"}) {
				t.Errorf("key %d still has CSRs or CSR actions: %+v", k.ID, k)
			}
		}
		so.fails(t, "ACTION_NOT_POSSIBLE", qGenerateCSR, map[string]any{"in": map[string]any{
			"keyId": signKey.ID, "usage": "SIGNING", "caName": cs.ca.Name(), "memberId": fcsOwner.String()}})
	})

	step("register failures", func(t *testing.T) {
		reg := map[string]any{"id": authCert.ID, "a": "ss1.example.org"}
		r := so.fails(t, "BAD_USER_INPUT", qRegister, map[string]any{"id": authCert.ID, "a": "not a host!"})
		if r.ext("field") != `"address"` {
			t.Errorf("field = %s", r.ext("field"))
		}
		so.fails(t, "ACTION_NOT_POSSIBLE", qRegister, map[string]any{"id": signCert.ID, "a": "ss1.example.org"})

		// Without an active signing certificate the owner has none suitable.
		so.ok(t, qDeactivate, map[string]any{"id": signCert.ID}, nil)
		r = so.fails(t, "NO_SUITABLE_CERTIFICATES", qRegister, reg)
		if !strings.Contains(r.Errors[0].Message, "Member 'DEV/GOV/1234' has no suitable certificates") {
			t.Errorf("message = %s", r.Errors[0].Message)
		}
		var act struct{ ActivateCertificate certNode }
		so.ok(t, qActivate, map[string]any{"id": signCert.ID}, &act)
		if !act.ActivateCertificate.Active || act.ActivateCertificate.OcspStatus != "OCSP_RESPONSE_GOOD" {
			t.Errorf("reactivated sign cert = %+v", act.ActivateCertificate)
		}

		// With the software token logged out the auth key cannot sign.
		so.ok(t, qLogout, map[string]any{"id": softID}, nil)
		so.fails(t, "TOKEN_NOT_ACTIVE", qRegister, reg)
		so.ok(t, qLogin, map[string]any{"id": softID, "pin": "1234"}, nil)

		// The central server's TLS certificate is not the one the
		// configuration names.
		cs.pinCert(newUnapprovedCA(t).cert)
		so.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)
		r = so.fails(t, "REGISTRATION_FAILED", qRegister, reg)
		if !strings.Contains(r.Errors[0].Message, "TLS certificate is not the one in the global configuration") {
			t.Errorf("message = %s", r.Errors[0].Message)
		}
		cs.pinCert(cs.mgmtSrv.Certificate())
		so.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)

		// The central server refuses the request: its code and message.
		cs.refuse(xroad.Errorf(xroad.CodeManagementRequestExists, "Certificate is already submitted for registration with request '7'"))
		r = so.fails(t, "MANAGEMENT_REQUEST_EXISTS", qRegister, reg)
		cs.refuse(nil)
		if !strings.Contains(r.Errors[0].Message, "already submitted for registration with request '7'") {
			t.Errorf("message = %s", r.Errors[0].Message)
		}

		// The central server cannot be reached.
		cs.setDown(true)
		r = so.fails(t, "REGISTRATION_FAILED", qRegister, reg)
		cs.setDown(false)
		if !strings.Contains(r.Errors[0].Message, "Failed to register certificate") {
			t.Errorf("message = %s", r.Errors[0].Message)
		}
		if c := e.cert(t, authCert.ID); c.Status != "SAVED" || c.ManagementRequestID != nil {
			t.Errorf("after failures the auth cert is %+v", c)
		}
	})

	var requestID int
	step("register", func(t *testing.T) {
		var out struct{ RegisterAuthCertificate certNode }
		so.ok(t, qRegister, map[string]any{"id": authCert.ID, "a": "ss1.example.org"}, &out)
		c := out.RegisterAuthCertificate
		if c.Status != "REGISTRATION_IN_PROGRESS" || c.ManagementRequestID == nil || c.RegisteredAddress == nil || *c.RegisteredAddress != "ss1.example.org" {
			t.Fatalf("registered cert = %+v", c)
		}
		requestID = *c.ManagementRequestID
		if fr := cs.request(requestID); fr.status != "WAITING" || fr.req.Message.Server.String() != "DEV/GOV/1234/SS1" {
			t.Errorf("the central server got %+v", fr.req.Message)
		}
		so.fails(t, "ACTION_NOT_POSSIBLE", qRegister, map[string]any{"id": authCert.ID, "a": "ss1.example.org"})
		var audit struct {
			AuditEvents struct {
				Edges []struct{ Node struct{ Event, Data string } }
			}
		}
		so.ok(t, `{ auditEvents(first: 100) { edges { node { event data } } } }`, nil, &audit)
		found := false
		for _, edge := range audit.AuditEvents.Edges {
			if n := edge.Node; n.Event == "Register authentication certificate" {
				var d map[string]any
				_ = json.Unmarshal([]byte(n.Data), &d)
				found = d["address"] == "ss1.example.org" && d["certificateHash"] == authCert.Sha256 && d["requestId"] == float64(requestID)
			}
		}
		if !found {
			t.Errorf("no audit event with address, hash and request id: %+v", audit)
		}
	})

	step("approval", func(t *testing.T) {
		sub, _, err := so.dialWS(t, wsOptions{useCookie: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := sub.waitAck(t); err != nil {
			t.Fatal(err)
		}
		sub.start(t, `subscription { authCertificateRegistered { id status sha256 } }`, nil)

		// A service administrator may not see keys: refused, and nothing arrives.
		svc := e.srv.user(t, "services", viewer.ServiceAdministrator)
		other, _, err := svc.dialWS(t, wsOptions{useCookie: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := other.waitAck(t); err != nil {
			t.Fatal(err)
		}
		other.start(t, `subscription { authCertificateRegistered { id status } }`, nil)
		if _, errs := other.next(t, 10*time.Second); len(errs) == 0 || !strings.Contains(mustJSON(errs), "FORBIDDEN") {
			t.Errorf("service administrator's subscription: %v", errs)
		}
		waitFor(t, 10*time.Second, "the subscription", func() bool { return e.srv.app.events.Subscribers(events.AuthCertificateRegistered) == 1 })

		cs.approve(requestID)
		data, errs := sub.next(t, 15*time.Second)
		if len(errs) > 0 {
			t.Fatalf("errors: %v", errs)
		}
		var ev struct{ AuthCertificateRegistered certNode }
		if err := json.Unmarshal(data, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.AuthCertificateRegistered.ID != authCert.ID || ev.AuthCertificateRegistered.Status != "REGISTERED" {
			t.Errorf("event = %+v", ev)
		}
		other.quiet(t, 300*time.Millisecond)
		if c := clients(t, so); len(c) == 0 || c[0].Status != "REGISTERED" {
			t.Errorf("owner = %+v", c)
		}
	})

	step("activation and revocation", func(t *testing.T) {
		var out struct{ ActivateCertificate certNode }
		so.ok(t, qActivate, map[string]any{"id": authCert.ID}, &out)
		if c := out.ActivateCertificate; !c.Active || c.OcspStatus != "OCSP_RESPONSE_GOOD" || !slices.Equal(c.PossibleActions, []string{"UNREGISTER", "DISABLE"}) {
			t.Errorf("activated = %+v", c)
		}
		so.fails(t, "ACTION_NOT_POSSIBLE", qActivate, map[string]any{"id": authCert.ID})

		// Revoked while active: the OCSP refresh notices and tells subscribers.
		sub, _, err := so.dialWS(t, wsOptions{useCookie: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := sub.waitAck(t); err != nil {
			t.Fatal(err)
		}
		sub.start(t, `subscription($id: ID) { certificateStatusChanged(certificateId: $id) { id active ocspStatus } }`, map[string]any{"id": authCert.ID})
		waitFor(t, 10*time.Second, "the subscription", func() bool { return e.srv.app.events.Subscribers(events.CertificateChanged) == 1 })
		serial, err := cs.ca.FindSerial(serialOf(t, authCert.PEM))
		if err != nil {
			t.Fatal(err)
		}
		if err := cs.ca.Revoke(serial, 1); err != nil {
			t.Fatal(err)
		}
		e.srv.app.security.RefreshOCSP(context.Background())
		if data, _ := sub.next(t, 10*time.Second); !strings.Contains(string(data), `"ocspStatus":"OCSP_RESPONSE_REVOKED"`) {
			t.Errorf("event = %s", data)
		}

		so.ok(t, qDeactivate, map[string]any{"id": authCert.ID}, nil)
		if c := e.cert(t, authCert.ID); c.Active || c.OcspStatus != "DISABLED" {
			t.Errorf("deactivated = %+v", c)
		}
		r := so.fails(t, "OCSP_VERIFICATION_FAILED", qActivate, map[string]any{"id": authCert.ID})
		if !strings.Contains(r.Errors[0].Message, "revoked") {
			t.Errorf("message = %s", r.Errors[0].Message)
		}
		if c := e.cert(t, authCert.ID); c.Active || c.OcspError == nil || !strings.Contains(*c.OcspError, "revoked") {
			t.Errorf("after refused activation: %+v", c)
		}
	})

	step("decline", func(t *testing.T) {
		key := e.generateKey(t, softID, "second auth key", "EC")
		cert := e.certify(t, key.ID, "AUTHENTICATION")
		sub, _, err := so.dialWS(t, wsOptions{useCookie: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := sub.waitAck(t); err != nil {
			t.Fatal(err)
		}
		sub.start(t, `subscription($id: ID) { certificateStatusChanged(certificateId: $id) { id status declineComment managementRequestId } }`, map[string]any{"id": cert.ID})
		waitFor(t, 10*time.Second, "the subscription", func() bool { return e.srv.app.events.Subscribers(events.CertificateChanged) == 1 })

		var out struct{ RegisterAuthCertificate certNode }
		so.ok(t, qRegister, map[string]any{"id": cert.ID, "a": "10.1.2.3"}, &out)
		if data, _ := sub.next(t, 10*time.Second); !strings.Contains(string(data), "REGISTRATION_IN_PROGRESS") {
			t.Errorf("first event = %s", data)
		}
		cs.decline(*out.RegisterAuthCertificate.ManagementRequestID, "Unknown server, call us")
		data, errs := sub.next(t, 15*time.Second)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var ev struct{ CertificateStatusChanged certNode }
		_ = json.Unmarshal(data, &ev)
		c := ev.CertificateStatusChanged
		if c.ID != cert.ID || c.Status != "SAVED" || c.DeclineComment == nil || *c.DeclineComment != "Unknown server, call us" || c.ManagementRequestID != nil {
			t.Errorf("declined cert = %+v", c)
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// opensslVerifyCSR checks a PEM CSR with the real openssl: its signature
// verifies and its subject is want (openssl's one-line form).
func opensslVerifyCSR(t *testing.T, pemText, want string) {
	t.Helper()
	openssl := testenv.NeedTool(t, "openssl")
	f := filepath.Join(t.TempDir(), "req.pem")
	if err := os.WriteFile(f, []byte(pemText), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(openssl, "req", "-in", f, "-verify", "-noout", "-subject", "-nameopt", "oneline").CombinedOutput()
	if err != nil {
		t.Fatalf("openssl req -verify: %v\n%s", err, out)
	}
	text := string(out)
	if !strings.Contains(strings.ToLower(text), "verif") || !strings.Contains(strings.ToLower(text), "ok") {
		t.Errorf("openssl did not say the signature verifies: %s", text)
	}
	if !strings.Contains(text, "subject="+want) && !strings.Contains(text, "subject= "+want) {
		t.Errorf("openssl subject: %s, want %s", text, want)
	}
}
