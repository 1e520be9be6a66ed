package main

import (
	"bytes"
	"context"
	"crypto"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

// TestFaultConfigurationAttacks serves the security server, through the
// proxy, a tampered part, a tampered directory, a replayed older version
// and an expired version. Each is refused with its code, the status says
// so, and the configuration in use stays the last good one. The central
// server's configuration is valid for 6 s and regenerated every second,
// so a captured copy expires during the test; the security server
// downloads it when the test refreshes (watch channel and periodic
// downloads off). Its timing is tight: it does not run in parallel with
// the slower tests.
func TestFaultConfigurationAttacks(t *testing.T) {
	short := func(c *config) { c.ConfExpire, c.ConfInterval = 6*time.Second, time.Second }
	// Only the test's refreshes download: a periodic download still under
	// way when the proxy changes would make the status it checks a race.
	poll := func(c *config) { c.Watch, c.ConfPoll = false, time.Hour }
	e := newMember01Env(t, member01Options{central: []func(*config){short}, security: []func(*config){poll}})
	newMember := func(t *testing.T, code, name string) {
		e.cs.regoff.ok(t, qAddMember, map[string]any{"c": "GOV", "m": code, "n": name}, nil)
		e.cs.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	}
	memberName := func(t *testing.T, code string) string {
		var out struct{ MemberName *string }
		e.admin.ok(t, `query($c: String!) { memberName(memberClass: "GOV", memberCode: $c) }`, map[string]any{"c": code}, &out)
		if out.MemberName == nil {
			return ""
		}
		return *out.MemberName
	}
	refresh := `mutation { refreshGlobalConfiguration { version } }`
	// refused checks that a refresh fails with code and reason and that
	// the configuration in use did not change.
	refused := func(t *testing.T, code, reason string) {
		t.Helper()
		before := e.confStatus(t)
		r := e.admin.fails(t, code, refresh, nil)
		if !strings.Contains(r.Errors[0].Message, reason) {
			t.Errorf("message %q does not say %q", r.Errors[0].Message, reason)
		}
		st := e.confStatus(t)
		if st.Error == nil || st.Version == nil || *st.Version != *before.Version || *st.LastSuccessAt != *before.LastSuccessAt {
			t.Errorf("status after the refused configuration: %+v (before %+v)", st, before)
		}
	}

	// A directory the security server applied, captured on the wire.
	var mu sync.Mutex
	var captured []byte
	e.proxy.set(proxyMode{rewrite: func(path string, body []byte) []byte {
		if path == "/internalconf" {
			mu.Lock()
			captured = bytes.Clone(body)
			mu.Unlock()
		}
		return body
	}})
	e.admin.ok(t, refresh, nil, nil)
	e.proxy.set(proxyMode{})
	mu.Lock()
	capturedExpiry := expiryOf(t, captured)
	mu.Unlock()
	serveCaptured := proxyMode{rewrite: func(path string, body []byte) []byte {
		if path == "/internalconf" {
			mu.Lock()
			defer mu.Unlock()
			return captured
		}
		return body
	}}

	t.Run("replayed older version", func(t *testing.T) {
		newMember(t, "R1", "Replay Witness")
		e.admin.ok(t, refresh, nil, nil) // a newer version replaces the captured one
		if time.Now().After(capturedExpiry) {
			t.Skip("the captured version expired before it could be replayed (a very slow machine)")
		}
		e.proxy.set(serveCaptured)
		refused(t, xroad.CodeGlobalConfVerification, "already replaced")
		if got := memberName(t, "R1"); got != "Replay Witness" {
			t.Errorf("after the replay the newer version's member is %q", got)
		}
		e.proxy.set(proxyMode{})
	})

	t.Run("tampered part", func(t *testing.T) {
		newMember(t, "T1", "Tamper Target")
		e.proxy.set(proxyMode{rewrite: replaceInShared("Tamper Target", "Evil Target!")})
		refused(t, xroad.CodeGlobalConfVerification, "integrity")
		if got := memberName(t, "T1"); got != "" {
			t.Errorf("the tampered member name %q is in use", got)
		}
		e.proxy.set(proxyMode{})
		e.admin.ok(t, refresh, nil, nil)
		if got := memberName(t, "T1"); got != "Tamper Target" {
			t.Errorf("after recovery the member is %q", got)
		}
	})

	t.Run("tampered directory", func(t *testing.T) {
		e.proxy.set(proxyMode{rewrite: func(path string, body []byte) []byte {
			if path == "/internalconf" {
				return bytes.Replace(body, []byte("private-params.xml"), []byte("privatx-params.xml"), 1)
			}
			return body
		}})
		refused(t, xroad.CodeGlobalConfVerification, "signature")
		e.proxy.set(proxyMode{})
	})

	t.Run("expired version", func(t *testing.T) {
		// Wait until the captured copy has expired (it is valid for 6 s);
		// the central server keeps publishing fresh versions meanwhile.
		testenv.WaitFor(t, time.Until(capturedExpiry)+5*time.Second, "the captured copy to expire", func() bool {
			return time.Now().After(capturedExpiry.Add(time.Second))
		})
		e.admin.ok(t, refresh, nil, nil)
		e.proxy.set(serveCaptured)
		refused(t, xroad.CodeGlobalConfOutdated, "expired")
		e.proxy.set(proxyMode{})
		e.admin.ok(t, refresh, nil, nil)
		if st := e.confStatus(t); st.Error != nil {
			t.Errorf("status after recovery: %+v", st)
		}
	})
}

// TestFaultReplayedAuthCertReg sends one signed authCertReg request to the
// central server's management service again: while its request is
// waiting (answered with that request's number, as a security server
// retrying after a lost answer is), after approval, and built with an OCSP
// response older than the freshness limit (a request captured long ago).
// The last two are refused with their code; none stores anything.
func TestFaultReplayedAuthCertReg(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	r := e.newRegRequest(t, "SS7")
	body, ct := buildRequest(t, e, r)
	send := func() (int, error) {
		return mgmtreq.Send(context.Background(), http.DefaultClient, e.srv.URL+"/managementservice/", body, ct)
	}
	id, err := send()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// before prepares the central server.
		before func(t *testing.T)
		code   string // "": answered with the stored request's number
	}{
		{"while the request waits", func(t *testing.T) {}, ""},
		{"after approval", func(t *testing.T) {
			reqs := e.requests(t, "WAITING")
			if len(reqs) != 1 || reqs[0].RequestID != id {
				t.Fatalf("requests: %+v", reqs)
			}
			e.regoff.ok(t, qApprove, map[string]any{"id": reqs[0].ID}, nil)
		}, xroad.CodeManagementRequestSecurityServerExists},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.before(t)
			n := len(e.requests(t, ""))
			got, err := send()
			if code := xroad.CodeOf(err); code != tt.code || (tt.code == "" && (err != nil || got != id)) {
				t.Errorf("replay: %d, %v; want %q (request %d)", got, err, tt.code, id)
			}
			if got := len(e.requests(t, "")); got != n {
				t.Errorf("the replay stored a request (%d, was %d)", got, n)
			}
		})
	}
	t.Run("captured long ago (stale OCSP response)", func(t *testing.T) {
		old := e.newRegRequest(t, "SS8")
		old.ownerOCSP = staleOCSP(t, e.pki, old.ownerCert)
		body, ct := buildRequest(t, e, old)
		_, err := mgmtreq.Send(context.Background(), http.DefaultClient, e.srv.URL+"/managementservice/", body, ct)
		if xroad.CodeOf(err) != xroad.CodeManagementRequestOwnerCertificateInvalid || !strings.Contains(xroad.Message(err), "too old") {
			t.Errorf("request with a stale OCSP response: %v", err)
		}
		if reqs := e.requests(t, "WAITING"); len(reqs) != 0 {
			t.Errorf("waiting requests: %+v", reqs)
		}
	})
}

// buildRequest signs an authCertReg request as a security server would.
func buildRequest(t *testing.T, e *centralEnv, r *regRequest) ([]byte, string) {
	t.Helper()
	body, ct, err := mgmtreq.Build(mgmtreq.AuthCertReg{
		Client:  r.server.Owner,
		Service: xroad.ServiceID{Client: xroad.ClientID{Instance: e.instance, MemberClass: "ORG", MemberCode: "CENTRAL", SubsystemCode: "MANAGEMENT"}, ServiceCode: "authCertReg"},
		Server:  r.server, Address: r.address, AuthCert: r.authCert.Raw,
	}, r.authKey, r.ownerKey, r.ownerCert.Raw, r.ownerOCSP, crypto.SHA512)
	if err != nil {
		t.Fatal(err)
	}
	return body, ct
}

func expiryOf(t *testing.T, directory []byte) time.Time {
	t.Helper()
	d, err := globalconf.ParseDirectory(directory)
	if err != nil {
		t.Fatal(err)
	}
	return d.ExpireDate
}
