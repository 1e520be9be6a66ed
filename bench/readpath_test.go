package bench

import (
	"context"
	"strings"
	"testing"
)

// ReadPathQuery is the query of the read-path benchmark: a page of security
// servers with their owners and authentication certificates.
const ReadPathQuery = `{ securityServers(first: 100) { edges { node { serverId address owner { memberId name } authCertificates { sha256 } } } } }`

// TestReadPathStatements runs list queries on a registry of 150 members
// and servers and fails when a page needs more SQL statements than its
// eager loading should take: one per table, whatever the page size (no
// N+1 queries).
func TestReadPathStatements(t *testing.T) {
	ctx := context.Background()
	s, err := StartCentral(ctx, "memory:readpath", 150)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The first request reads the instance identifier, which is cached.
	if err := s.GraphQL.Do(ctx, `{ securityServers(first: 1) { edges { node { serverId } } } }`, nil, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, query string
		// want is a string every page must contain (the first row).
		want          string
		maxStatements int
	}{
		{"servers with owners and certificates", ReadPathQuery, `"serverId":"DEV/GOV/M000000/SS000000","address":"ss0.example.org","owner":{"memberId":"DEV/GOV/M000000"`, 4},
		{"server identifiers only", `{ securityServers(first: 100) { edges { node { serverId } } } }`, `"serverId":"DEV/GOV/M000000/SS000000"`, 3},
		{"members", `{ members(first: 100) { edges { node { memberId name } } } }`, `"memberId":"DEV/GOV/M000000","name":"Member 0 Agency"`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.Statements.Reset()
			var out map[string]struct{ Edges []map[string]any }
			var raw jsonRaw
			if err := s.GraphQL.Do(ctx, tt.query, nil, &raw); err != nil {
				t.Fatal(err)
			}
			if err := raw.decode(&out); err != nil {
				t.Fatal(err)
			}
			for field, conn := range out {
				if len(conn.Edges) != 100 {
					t.Errorf("%s: %d rows, want 100", field, len(conn.Edges))
				}
			}
			if !strings.Contains(string(raw), tt.want) {
				t.Errorf("page lacks %s:\n%.300s", tt.want, raw)
			}
			if got := s.Statements.Max(); got > tt.maxStatements {
				t.Errorf("one request ran %d SQL statements, want at most %d (an N+1 query?)", got, tt.maxStatements)
			}
		})
	}
}
