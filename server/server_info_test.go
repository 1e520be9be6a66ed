package main

import (
	"testing"

	"github.com/roadreg/roadreg/internal/viewer"
)

// serverInfo names the kind of server and its instance before login (the
// login page shows them; the instance is in the configuration anchor and
// in the global configuration anyone can download). The security server's
// own id is for logged-in callers.
func TestServerInfoBeforeLogin(t *testing.T) {
	t.Parallel()
	const q = `{ serverInfo { role initialized instanceIdentifier securityServerId } }`
	type info struct {
		Role               string
		Initialized        bool
		InstanceIdentifier *string
		SecurityServerID   *string
	}
	var out struct{ ServerInfo info }

	cs := newCentral(t)
	cs.srv.anonymous().ok(t, q, nil, &out)
	if got := out.ServerInfo; got.Role != "CENTRAL" || !got.Initialized || got.InstanceIdentifier == nil || *got.InstanceIdentifier != "DEV" {
		t.Errorf("central server, anonymously: %+v", got)
	}

	ss := newSSEnv(t)
	ss.srv.anonymous().ok(t, q, nil, &out)
	if got := out.ServerInfo; got.Role != "SECURITY" || got.Initialized || got.InstanceIdentifier != nil {
		t.Errorf("security server without an anchor, anonymously: %+v", got)
	}
	ss.initialize(t)
	ss.srv.anonymous().ok(t, q, nil, &out)
	if got := out.ServerInfo; !got.Initialized || got.InstanceIdentifier == nil || *got.InstanceIdentifier != fcsInstance || got.SecurityServerID != nil {
		t.Errorf("initialised security server, anonymously: %+v; want the instance and no server id", got)
	}
	ss.srv.user(t, "observer", viewer.SecurityServerObserver).ok(t, q, nil, &out)
	if got := out.ServerInfo; got.SecurityServerID == nil || *got.SecurityServerID != fcsOwner.String()+"/"+fcsServerCode {
		t.Errorf("initialised security server, logged in: %+v", got)
	}
}
