package main

import (
	"slices"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/central"
	"github.com/roadreg/roadreg/internal/globalconf"
)

const qServerList = `query($s: String, $st: SecurityServerStatus, $w: SecurityServerWhereInput) {
	securityServers(first: 50, search: $s, status: $st, where: $w) { totalCount edges { node { serverId address status } } } }`

// The security servers list searches server code, address and owner, and
// filters by owner, address and status: a server is REGISTERED while an
// authentication certificate is valid and NO_VALID_AUTH_CERTIFICATE once
// all have expired.
func TestSecurityServersSearchAndStatus(t *testing.T) {
	t.Parallel()
	clk := newTestClock()
	e := newCentral(t, clk.option)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })
	for _, s := range []struct{ code, address string }{{"SS1", "ss1.example.org"}, {"SS2", "gateway.example.net"}} {
		r := e.newRegRequest(t, s.code)
		r.address = s.address
		if _, err := e.send(t, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range e.requests(t, "WAITING") {
		e.regoff.ok(t, qApprove, map[string]any{"id": r.ID}, nil)
	}

	list := func(vars map[string]any) []string {
		t.Helper()
		var out struct {
			SecurityServers struct {
				TotalCount int
				Edges      []struct {
					Node struct{ ServerID, Address, Status string }
				}
			}
		}
		e.regoff.ok(t, qServerList, vars, &out)
		var ids []string
		for _, ed := range out.SecurityServers.Edges {
			ids = append(ids, ed.Node.ServerID+" "+ed.Node.Status)
		}
		return ids
	}
	const ss1, ss2 = "DEV/GOV/1234/SS1 REGISTERED", "DEV/GOV/1234/SS2 REGISTERED"
	for _, tc := range []struct {
		name string
		vars map[string]any
		want []string
	}{
		{"all", nil, []string{ss1, ss2}},
		{"search: server code", map[string]any{"s": "ss1"}, []string{ss1}},
		{"search: address", map[string]any{"s": "GATEWAY"}, []string{ss2}},
		{"search: owner name", map[string]any{"s": "test agency"}, []string{ss1, ss2}},
		{"search: owner code", map[string]any{"s": "123"}, []string{ss1, ss2}},
		{"search: no match", map[string]any{"s": "nothing"}, nil},
		{"owner", map[string]any{"w": map[string]any{"hasOwnerWith": []map[string]any{{"memberCode": "1234"}}}}, []string{ss1, ss2}},
		{"address", map[string]any{"w": map[string]any{"addressContainsFold": "example.org"}}, []string{ss1}},
		{"status registered", map[string]any{"st": "REGISTERED"}, []string{ss1, ss2}},
		{"status without a valid certificate", map[string]any{"st": "NO_VALID_AUTH_CERTIFICATE"}, nil},
	} {
		if got := list(tc.vars); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}

	// The request list takes a where filter beside its own arguments.
	var reqs struct{ ManagementRequests struct{ TotalCount int } }
	e.regoff.ok(t, `{ managementRequests(first: 10, status: APPROVED, where: {serverCode: "SS2"}) { totalCount } }`, nil, &reqs)
	if reqs.ManagementRequests.TotalCount != 1 {
		t.Errorf("approved requests of SS2: %d, want 1", reqs.ManagementRequests.TotalCount)
	}

	clk.Add(2 * 365 * 24 * time.Hour) // past the certificates' end
	if got := list(map[string]any{"st": central.ServerNoValidAuthCertificate}); !slices.Equal(got, []string{
		"DEV/GOV/1234/SS1 NO_VALID_AUTH_CERTIFICATE", "DEV/GOV/1234/SS2 NO_VALID_AUTH_CERTIFICATE"}) {
		t.Errorf("with expired certificates: %v", got)
	}
	if got := list(map[string]any{"st": "REGISTERED"}); len(got) != 0 {
		t.Errorf("registered with expired certificates: %v", got)
	}
}
