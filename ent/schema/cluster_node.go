package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// ClusterNode is one replica of the central server (a `roadreg serve
// --role=central` process) on the shared database: its name, the address
// security servers may reach it at directly, and its heartbeat. Rows are
// written by the replica itself and removed by `roadreg cluster remove`.
type ClusterNode struct{ ent.Schema }

// Fields of ClusterNode.
func (ClusterNode) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Unique().Immutable(),
		// run_id identifies the process now using the name (a new one at
		// every start).
		field.String("run_id").NotEmpty(),
		// address is host[:port] under which security servers reach this
		// replica itself (the anchor lists it beside the central server
		// address); NULL when it is reached only through that address.
		field.String("address").Optional().Nillable(),
		field.String("software_version"),
		field.Time("started_at"),
		field.Time("heartbeat_at"),
		// stopped_at is set when the replica shut down cleanly.
		field.Time("stopped_at").Optional().Nillable(),
		// signing_token_logged_in: the replica can sign global
		// configuration, so it may generate.
		field.Bool("signing_token_logged_in").Default(false),
	}
}

// Annotations of ClusterNode.
func (ClusterNode) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of ClusterNode.
func (ClusterNode) Policy() ent.Policy { return systemOnly() }
