// Package viewer says who is calling: a user (with X-Road roles on this
// server), an API key, or the server itself (background jobs, the management
// service). It is a leaf package: ent privacy rules, domain packages and the
// GraphQL layer all read it.
package viewer

import (
	"context"
	"slices"

	"github.com/roadreg/roadreg/internal/xroad"
)

// ServerRole is the role the running server plays.
type ServerRole string

// Server roles.
const (
	Central  ServerRole = "CENTRAL"
	Security ServerRole = "SECURITY"
)

// Viewer is the caller of an operation.
type Viewer struct {
	// Username is the user name, or "apikey:<id>" for an API key, or
	// "system" for the server itself.
	Username string
	Roles    []Role
	// Server is the role of the server being called.
	Server ServerRole
	// System marks the server's own background work; it may do anything.
	System bool
	// SessionID identifies the session the caller authenticated with, if any.
	SessionID int
	// UserID is the user behind a session (0 for API keys and the system).
	UserID int
	// APIKeyID identifies the API key the caller authenticated with, if any.
	APIKeyID int
}

type ctxKey struct{}

// NewContext returns ctx carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// FromContext returns the viewer in ctx, or nil.
func FromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(ctxKey{}).(*Viewer)
	return v
}

// SystemContext returns ctx acting as the server itself (background jobs,
// start-up, the management service).
func SystemContext(ctx context.Context, server ServerRole) context.Context {
	return NewContext(ctx, &Viewer{Username: "system", System: true, Server: server})
}

// Has reports whether v holds role r.
func (v *Viewer) Has(r Role) bool { return v != nil && slices.Contains(v.Roles, r) }

// Can reports whether v may do p on its server.
func (v *Viewer) Can(p Permission) bool {
	if v == nil {
		return false
	}
	if v.System {
		return true
	}
	for _, r := range v.Roles {
		if p.grantedTo(v.Server, r) {
			return true
		}
	}
	return false
}

// Can reports whether the viewer in ctx may do p.
func Can(ctx context.Context, p Permission) bool { return FromContext(ctx).Can(p) }

// Require returns nil if the viewer in ctx may do any of ps, else
// UNAUTHENTICATED (no viewer) or FORBIDDEN.
func Require(ctx context.Context, ps ...Permission) error {
	v := FromContext(ctx)
	if v == nil {
		return xroad.Errorf(xroad.CodeUnauthenticated, "log in first")
	}
	for _, p := range ps {
		if v.Can(p) {
			return nil
		}
	}
	return xroad.Errorf(xroad.CodeForbidden, "your roles do not allow this operation (%s)", joinPerms(ps))
}

func joinPerms(ps []Permission) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += " or "
		}
		s += string(p)
	}
	return s
}

// Elevated returns ctx whose viewer keeps its identity (for the audit log)
// but may read and write everything, as the server itself. Domain code
// calls it after checking the permission an operation needs, so its
// internal lookups are not limited by what the caller may browse.
func Elevated(ctx context.Context) context.Context {
	v := FromContext(ctx)
	if v == nil || v.System {
		return ctx
	}
	e := *v
	e.System = true
	return NewContext(ctx, &e)
}
