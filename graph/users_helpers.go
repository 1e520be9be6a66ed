package graph

import "github.com/roadreg/roadreg/internal/viewer"

// roleNames turns GraphQL roles into the names the auth service checks.
func roleNames(roles []viewer.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}
