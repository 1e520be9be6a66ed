// Package rule holds the privacy rules of the ent schema: small named
// functions that Allow, Deny or Skip based on the viewer in the context.
package rule

import (
	"context"

	"entgo.io/ent"

	"github.com/roadreg/roadreg/ent/privacy"
	"github.com/roadreg/roadreg/internal/viewer"
)

// DenyIfNoViewer denies any operation without a viewer in the context:
// every caller must be a user, an API key or the server itself.
func DenyIfNoViewer() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx) == nil {
			return privacy.Denyf("viewer-context is missing")
		}
		return privacy.Skip
	})
}

// AllowIfSystem allows the server's own work.
func AllowIfSystem() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if v := viewer.FromContext(ctx); v != nil && v.System {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// AllowIfCan allows queries by a viewer that holds any of the permissions.
func AllowIfCan(ps ...viewer.Permission) privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, _ ent.Query) error {
		v := viewer.FromContext(ctx)
		for _, p := range ps {
			if v.Can(p) {
				return privacy.Allow
			}
		}
		return privacy.Skip
	})
}

// AllowIfViewer allows mutations by any authenticated viewer: the domain
// service that runs the mutation has already checked the permission that
// fits the operation (several depend on the input, e.g. auth vs. sign
// certificates).
func AllowIfViewer() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		if viewer.FromContext(ctx) != nil {
			return privacy.Allow
		}
		return privacy.Skip
	})
}
