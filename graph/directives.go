package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// allowed implements @allowed(server, permissions): the caller must be
// authenticated, on the right kind of server, and hold one of the
// permissions.
func (r *Resolver) allowed(ctx context.Context, _ any, next graphql.Resolver, server *viewer.ServerRole, permissions []string) (any, error) {
	if err := authorize(ctx, r.Role, graphql.GetFieldContext(ctx).Field.Name, server, permissions); err != nil {
		return nil, err
	}
	return next(ctx)
}

// authorize is the check of @allowed(server, permissions) on field for the
// caller in ctx, on a server of the given role.
func authorize(ctx context.Context, role viewer.ServerRole, field string, server *viewer.ServerRole, permissions []string) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return xroad.Errorf(xroad.CodeUnauthenticated, "log in first")
	}
	if server != nil && *server != role {
		return xroad.Errorf(xroad.CodeWrongServerRole, "%s is an operation of a %s server; this is a %s server",
			field, roleName(*server), roleName(role))
	}
	if len(permissions) > 0 {
		ps := make([]viewer.Permission, len(permissions))
		for i, p := range permissions {
			ps[i] = viewer.Permission(p)
		}
		if err := viewer.Require(ctx, ps...); err != nil {
			return err
		}
	}
	return nil
}

// authorizeField runs the @allowed check of a field's definition, if it has
// one, before gqlgen would: for argument errors (gqlgen reads arguments
// before it runs directives) and for limits checked before execution.
func authorizeField(ctx context.Context, role viewer.ServerRole, def *ast.FieldDefinition) error {
	if def == nil {
		return nil
	}
	d := def.Directives.ForName("allowed")
	if d == nil {
		return nil
	}
	var server *viewer.ServerRole
	if a := d.Arguments.ForName("server"); a != nil {
		s := viewer.ServerRole(a.Value.Raw)
		server = &s
	}
	var permissions []string
	if a := d.Arguments.ForName("permissions"); a != nil {
		for _, c := range a.Value.Children {
			permissions = append(permissions, c.Value.Raw)
		}
	}
	return authorize(ctx, role, def.Name, server, permissions)
}

func roleName(s viewer.ServerRole) string { return strings.ToLower(string(s)) }
