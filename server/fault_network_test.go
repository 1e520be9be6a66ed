package main

import (
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

// TestFaultCentralServerUnreachable: while the central server drops every
// connection, registration fails with a clear error and changes nothing on
// either server, and a configuration download fails while the last good
// configuration stays in use; once the central server is back both work
// without restarting anything. A slow central server only makes them slow.
func TestFaultCentralServerUnreachable(t *testing.T) {
	t.Parallel()
	e := newMember01Env(t, member01Options{})
	before := e.confStatus(t)
	if before.Version == nil || before.Error != nil {
		t.Fatalf("configuration before the fault: %+v", before)
	}
	cas := e.approvedCAs(t)

	e.proxy.set(proxyMode{drop: true})
	t.Run("registration fails and changes nothing", func(t *testing.T) {
		r := e.admin.fails(t, xroad.CodeRegistrationFailed, qRegister, map[string]any{"id": e.auth.ID, "a": "ss1.example.org"})
		if !strings.Contains(r.Errors[0].Message, "Failed to register certificate") {
			t.Errorf("message %q does not say what failed", r.Errors[0].Message)
		}
		if c := e.cert(t, e.auth.ID); c.Status != "SAVED" || c.ManagementRequestID != nil || c.RegisteredAddress != nil {
			t.Errorf("after the failed registration the certificate is %+v", c)
		}
		if reqs := e.requests(t); len(reqs) != 0 {
			t.Errorf("the central server has requests: %+v", reqs)
		}
	})
	t.Run("configuration download fails and the last good one stays", func(t *testing.T) {
		r := e.admin.fails(t, xroad.CodeGlobalConfDownload, `mutation { refreshGlobalConfiguration { version } }`, nil)
		if !strings.Contains(r.Errors[0].Message, "reachable") {
			t.Errorf("message %q does not point at the central server", r.Errors[0].Message)
		}
		st := e.confStatus(t)
		if st.Error == nil || st.FailingSince == nil || st.Version == nil || *st.Version != *before.Version || *st.LastSuccessAt != *before.LastSuccessAt {
			t.Errorf("status while the central server is unreachable: %+v (before %+v)", st, before)
		}
		if got := e.approvedCAs(t); got != cas {
			t.Errorf("the approved CAs changed: %s, was %s", got, cas)
		}
	})

	e.proxy.set(proxyMode{})
	t.Run("recovery", func(t *testing.T) {
		e.admin.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)
		if st := e.confStatus(t); st.Error != nil || st.FailingSince != nil {
			t.Errorf("status after recovery: %+v", st)
		}
		var reg struct{ RegisterAuthCertificate certNode }
		e.admin.ok(t, qRegister, map[string]any{"id": e.auth.ID, "a": "ss1.example.org"}, &reg)
		if reg.RegisterAuthCertificate.Status != "REGISTRATION_IN_PROGRESS" {
			t.Errorf("registration after recovery: %+v", reg.RegisterAuthCertificate)
		}
		reqs := e.requests(t)
		if len(reqs) != 1 || reqs[0].Status != "WAITING" || reqs[0].RequestID != *reg.RegisterAuthCertificate.ManagementRequestID {
			t.Errorf("central server requests: %+v", reqs)
		}
	})

	e.proxy.set(proxyMode{delay: 700 * time.Millisecond})
	t.Run("slow central server", func(t *testing.T) {
		auth2 := e.certify(t, "AUTHENTICATION")
		var reg struct{ RegisterAuthCertificate certNode }
		e.admin.ok(t, qRegister, map[string]any{"id": auth2.ID, "a": "ss1.example.org"}, &reg)
		if reg.RegisterAuthCertificate.Status != "REGISTRATION_IN_PROGRESS" {
			t.Errorf("registration through a slow link: %+v", reg.RegisterAuthCertificate)
		}
		e.admin.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)
		if reqs := e.requests(t); len(reqs) != 2 {
			t.Errorf("central server requests: %+v", reqs)
		}
	})
}

// TestFaultRegistrationAnswerLost: the central server stores the request
// but its answer never reaches the security server. The security server
// reports the failure and keeps the certificate SAVED; sending again gets
// the stored request's number (the central server knows the request), so
// the certificate is REGISTRATION_IN_PROGRESS with that request and no
// second request is stored; approving it completes the registration.
func TestFaultRegistrationAnswerLost(t *testing.T) {
	t.Parallel()
	e := newMember01Env(t, member01Options{})
	e.proxy.set(proxyMode{loseAnswer: true})
	e.admin.fails(t, xroad.CodeRegistrationFailed, qRegister, map[string]any{"id": e.auth.ID, "a": "ss1.example.org"})
	reqs := e.requests(t)
	if len(reqs) != 1 || reqs[0].Status != "WAITING" {
		t.Fatalf("central server requests: %+v", reqs)
	}
	if c := e.cert(t, e.auth.ID); c.Status != "SAVED" {
		t.Errorf("certificate after the lost answer: %s", c.Status)
	}
	e.proxy.set(proxyMode{})
	var reg struct{ RegisterAuthCertificate certNode }
	e.admin.ok(t, qRegister, map[string]any{"id": e.auth.ID, "a": "ss1.example.org"}, &reg)
	if c := reg.RegisterAuthCertificate; c.Status != "REGISTRATION_IN_PROGRESS" || c.ManagementRequestID == nil || *c.ManagementRequestID != reqs[0].RequestID {
		t.Errorf("sending again: %+v, want REGISTRATION_IN_PROGRESS with request %d", c, reqs[0].RequestID)
	}
	if got := e.requests(t); len(got) != 1 {
		t.Errorf("the central server stored %d requests for one certificate: %+v", len(got), got)
	}
	e.cs.regoff.ok(t, qApprove, map[string]any{"id": reqs[0].ID}, nil)
	waitFor(t, 20*time.Second, "the certificate to become REGISTERED", func() bool {
		return e.cert(t, e.auth.ID).Status == "REGISTERED"
	})
}
