package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/ent/privacy"
	"github.com/roadreg/roadreg/ent/rule"
	"github.com/roadreg/roadreg/internal/viewer"
)

// readableWith is the policy of most entities: reads need one of the
// permissions (or the server's own system context); writes need a viewer,
// because the domain service doing the write checks the permission that
// fits the operation.
func readableWith(ps ...viewer.Permission) ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.DenyIfNoViewer(),
			rule.AllowIfSystem(),
			rule.AllowIfCan(ps...),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.DenyIfNoViewer(),
			rule.AllowIfSystem(),
			rule.AllowIfViewer(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// systemOnly is the policy of internal entities (sessions, API keys,
// server configuration rows): only the server itself reads or writes them;
// resolvers reach them through domain services that act as the system.
func systemOnly() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.AllowIfSystem(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{rule.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

// anyViewer is the policy of configuration rows that every caller's
// operation may need to read (instance identifier, initialisation state).
// They are not part of the GraphQL schema.
func anyViewer() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.DenyIfNoViewer(), privacy.AlwaysAllowRule()},
		Mutation: privacy.MutationPolicy{rule.DenyIfNoViewer(), privacy.AlwaysAllowRule()},
	}
}
