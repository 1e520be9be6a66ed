package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/auth"
	"github.com/roadreg/roadreg/internal/central"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/security"
	"github.com/roadreg/roadreg/internal/viewer"
)

// Resolver is the root resolver. It is the only place dependencies enter
// the GraphQL layer; resolvers translate GraphQL to one domain call each.
type Resolver struct {
	// Role is the role of this server.
	Role viewer.ServerRole
	// Version is the Roadreg version string.
	Version string
	Client  *ent.Client
	Events  *events.Broker
	// Auth manages users, sessions and API keys.
	Auth *auth.Service

	// Central is set on a central server, Security on a security server.
	Central  *central.Service
	Security *security.Service
}

// NewSchema returns the executable schema for r.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{
		Resolvers:  r,
		Directives: DirectiveRoot{Allowed: r.allowed},
	})
}
