package main

// Authorisation at the GraphQL endpoint: sessions, API keys and anonymous callers.

import (
	"net/http"
	"testing"

	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestRoleGatedOperation(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central)
	q := `mutation { addMemberClass(code: "GOV", description: "Government") { code } }`
	srv.anonymous().fails(t, xroad.CodeUnauthenticated, q, nil)
	srv.user(t, "ro", viewer.RegistrationOfficer).fails(t, xroad.CodeForbidden, q, nil)
	// An API key with the right role gets past authorisation (the server is
	// not initialised yet, which is the next error).
	key := srv.apiKeyClient(t, viewer.SecurityOfficer)
	key.fails(t, xroad.CodeCentralServerNotInitialized, q, nil)
	// A wrong API key is refused outright.
	bad := srv.anonymous()
	bad.bearer = "rr_not-a-key"
	if r := bad.do(t, `{ me { username } }`, nil); r.Status != http.StatusUnauthorized || r.code() != xroad.CodeUnauthenticated {
		t.Fatalf("bad key: %d %s", r.Status, r.raw)
	}
	// node(id) honours the privacy rules too.
	srv.anonymous().fails(t, xroad.CodeUnauthenticated, `{ node(id: "4294967297") { id } }`, nil)
}
