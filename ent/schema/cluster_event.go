package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ClusterEvent is an event one replica of the central server published
// for the others (PostgreSQL): they are told by NOTIFY and read the rows
// after the last one they saw, so a replica whose listening connection was
// lost catches up when it is back. Rows are kept for an hour.
type ClusterEvent struct{ ent.Schema }

// Fields of ClusterEvent.
func (ClusterEvent) Fields() []ent.Field {
	return []ent.Field{
		field.String("topic").NotEmpty().Immutable(),
		// entity_id is the id of the row the event is about (0: none).
		field.Int("entity_id").Default(0).Immutable(),
		// origin is the run id of the publishing process.
		field.String("origin").Immutable(),
	}
}

// Indexes of ClusterEvent.
func (ClusterEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("created_at")}
}

// Mixin of ClusterEvent.
func (ClusterEvent) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Annotations of ClusterEvent.
func (ClusterEvent) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of ClusterEvent.
func (ClusterEvent) Policy() ent.Policy { return systemOnly() }
