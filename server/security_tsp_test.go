package main

import (
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

// A security officer deletes a configured timestamping service (SS_08):
// it leaves the list, stays approved (it can be added again), and the audit
// log names it; deleting it twice is TIMESTAMPING_SERVICE_NOT_FOUND.
func TestDeleteTimestampingService(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t)
	e.initialize(t)
	const add = `mutation($n: String!, $u: String!) { addTimestampingService(name: $n, url: $u) { id } }`
	const del = `mutation($id: ID!) { deleteTimestampingService(id: $id) }`
	var added struct{ AddTimestampingService struct{ ID string } }
	e.officer.ok(t, add, map[string]any{"n": fcsTSAName, "u": e.cs.ca.TSAURL()}, &added)
	id := added.AddTimestampingService.ID

	var out struct{ DeleteTimestampingService string }
	e.officer.ok(t, del, map[string]any{"id": id}, &out)
	if out.DeleteTimestampingService != id {
		t.Errorf("deleteTimestampingService = %q, want %q", out.DeleteTimestampingService, id)
	}
	var list struct{ TimestampingServices []struct{ ID string } }
	e.officer.ok(t, `{ timestampingServices { id } }`, nil, &list)
	if len(list.TimestampingServices) != 0 {
		t.Errorf("after deletion: %+v", list)
	}
	e.officer.fails(t, xroad.CodeTimestampingServiceNotFound, del, map[string]any{"id": id})
	if events := auditEvents(t, e.sysadmin); !strings.Contains(events, `Delete timestamping service {"name":"`+fcsTSAName+`","url":"`+e.cs.ca.TSAURL()+`"}`) ||
		!strings.Contains(events, `Delete timestamping service failed {"code":"TIMESTAMPING_SERVICE_NOT_FOUND"`) {
		t.Errorf("audit log:\n%s", events)
	}
	e.officer.ok(t, add, map[string]any{"n": fcsTSAName, "u": e.cs.ca.TSAURL()}, nil)
}
