package main

import (
	"math"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/viewer"
)

const qDiagnostics = `{ diagnostics {
	globalConfiguration { statusClass sourceUrl lastAttemptAt nextUpdateAt status { version error } }
	timestampingServices { name url reachable error checkedAt }
	ocspResponders { name url reachable error checkedAt }
	managementService { url reachable error checkedAt }
	clockOffset { offsetSeconds source resolutionSeconds } } }`

type serviceCheck struct {
	Name      *string
	URL       string
	Reachable bool
	Error     *string
	CheckedAt string
}

type diagnostics struct {
	GlobalConfiguration struct {
		StatusClass   string
		SourceURL     *string
		LastAttemptAt *string
		NextUpdateAt  *string
		Status        struct {
			Version *int
			Error   *string
		}
	}
	TimestampingServices []serviceCheck
	OcspResponders       []serviceCheck
	ManagementService    *serviceCheck
	ClockOffset          *struct {
		OffsetSeconds     float64
		Source            string
		ResolutionSeconds float64
	}
}

func (e *ssEnv) diagnostics(t *testing.T, c *gqlClient) diagnostics {
	t.Helper()
	var out struct{ Diagnostics diagnostics }
	c.ok(t, qDiagnostics, nil, &out)
	return out.Diagnostics
}

// The diagnostics page asks every service when it is loaded: before the
// anchor nothing is known (WAITING); once initialised, the configuration
// downloads (OK), the timestamping service, the CA's OCSP responder (asked
// about this server's own certificate) and the management service answer,
// and the clock agrees with the TSA's. With the CA and the management
// service down, each says why it is unreachable and no clock is compared.
func TestDiagnostics(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t)
	observer := e.srv.user(t, "observer", viewer.SecurityServerObserver)
	d := e.diagnostics(t, observer)
	if d.GlobalConfiguration.StatusClass != "WAITING" || len(d.TimestampingServices)+len(d.OcspResponders) != 0 || d.ManagementService != nil || d.ClockOffset != nil {
		t.Fatalf("before the anchor: %+v", d)
	}

	e.initialize(t)
	tok := e.token(t, "SOFTWARE")
	e.certify(t, e.generateKey(t, tok.ID, "sign", "EC").ID, "SIGNING")
	e.officer.ok(t, `mutation($n: String!, $u: String!) { addTimestampingService(name: $n, url: $u) { id } }`,
		map[string]any{"n": fcsTSAName, "u": e.cs.ca.TSAURL()}, nil)

	d = e.diagnostics(t, e.sysadmin)
	conf := d.GlobalConfiguration
	if conf.StatusClass != "OK" || conf.SourceURL == nil || !strings.HasSuffix(*conf.SourceURL, "/internalconf") ||
		conf.LastAttemptAt == nil || conf.NextUpdateAt == nil || conf.Status.Version == nil {
		t.Errorf("global configuration: %+v", conf)
	}
	wantReachable := func(what string, cs []serviceCheck, name, url string) {
		t.Helper()
		if len(cs) != 1 || !cs[0].Reachable || cs[0].Error != nil || cs[0].URL != url || cs[0].CheckedAt == "" || cs[0].Name == nil || *cs[0].Name != name {
			t.Errorf("%s: %+v, want %s at %s reachable", what, cs, name, url)
		}
	}
	wantReachable("timestamping", d.TimestampingServices, fcsTSAName, e.cs.ca.TSAURL())
	wantReachable("OCSP", d.OcspResponders, e.cs.ca.Name(), e.cs.ca.OCSPURL())
	if m := d.ManagementService; m == nil || !m.Reachable || m.Error != nil || m.URL != e.cs.mgmtSrv.URL+"/managementservice/" {
		t.Errorf("management service: %+v", m)
	}
	if c := d.ClockOffset; c == nil || c.Source != e.cs.ca.TSAURL() || math.Abs(c.OffsetSeconds) > 2 || c.ResolutionSeconds < 1 {
		t.Errorf("clock: %+v, want within 2 s of the TSA", c)
	}

	e.cs.caSrv.Close()
	e.cs.setDown(true)
	d = e.diagnostics(t, observer)
	for what, c := range map[string]serviceCheck{"timestamping": d.TimestampingServices[0], "OCSP": d.OcspResponders[0], "management service": *d.ManagementService} {
		if c.Reachable || c.Error == nil || !strings.Contains(*c.Error, "could not be reached") {
			t.Errorf("%s with its server down: %+v, want unreachable with the reason", what, c)
		}
	}
	if d.ClockOffset != nil {
		t.Errorf("clock with nothing answering: %+v", d.ClockOffset)
	}
}

// The public address a security server is configured with is offered to
// those who register (and read diagnostics); without one it is null.
func TestSecurityServerAddress(t *testing.T) {
	t.Parallel()
	const q = `{ securityServerAddress }`
	var out struct{ SecurityServerAddress *string }
	e := newSSEnv(t, func(c *config) { c.ServerAddress = "ss1.example.org" })
	e.officer.ok(t, q, nil, &out)
	if out.SecurityServerAddress == nil || *out.SecurityServerAddress != "ss1.example.org" {
		t.Errorf("configured: %v", out.SecurityServerAddress)
	}
	startServer(t, viewer.Security).user(t, "officer", viewer.SecurityOfficer).ok(t, q, nil, &out)
	if out.SecurityServerAddress != nil {
		t.Errorf("not configured: %q, want null", *out.SecurityServerAddress)
	}
}
