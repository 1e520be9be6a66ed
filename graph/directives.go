package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// allowed implements @allowed(server, permissions): the caller must be
// authenticated, on the right kind of server, and hold one of the
// permissions.
func (r *Resolver) allowed(ctx context.Context, _ any, next graphql.Resolver, server *viewer.ServerRole, permissions []string) (any, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, xroad.Errorf(xroad.CodeUnauthenticated, "log in first")
	}
	if server != nil && *server != r.Role {
		return nil, xroad.Errorf(xroad.CodeWrongServerRole, "%s is an operation of a %s server; this is a %s server",
			graphql.GetFieldContext(ctx).Field.Name, roleName(*server), roleName(r.Role))
	}
	if len(permissions) > 0 {
		ps := make([]viewer.Permission, len(permissions))
		for i, p := range permissions {
			ps[i] = viewer.Permission(p)
		}
		if err := viewer.Require(ctx, ps...); err != nil {
			return nil, err
		}
	}
	return next(ctx)
}

func roleName(s viewer.ServerRole) string { return strings.ToLower(string(s)) }
