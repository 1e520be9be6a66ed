package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// ClusterLease is a lease one replica of the central server holds at a
// time, such as the right to generate global configuration. Its holder
// renews it before it expires; another replica takes it over once it has
// expired, with the next epoch (the fencing token its writes are checked
// against). Times are the database's clock.
type ClusterLease struct{ ent.Schema }

// Fields of ClusterLease.
func (ClusterLease) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Unique().Immutable(),
		// holder is the run id of the holding process, holder_node its
		// replica's name.
		field.String("holder"),
		field.String("holder_node"),
		field.Int64("epoch"),
		field.Time("acquired_at"),
		field.Time("expires_at"),
	}
}

// Annotations of ClusterLease.
func (ClusterLease) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of ClusterLease.
func (ClusterLease) Policy() ent.Policy { return systemOnly() }
