package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Subsystem is a subsystem of a member on the central server.
type Subsystem struct{ ent.Schema }

// Fields of Subsystem.
func (Subsystem) Fields() []ent.Field {
	return []ent.Field{
		field.String("subsystem_code").NotEmpty().MaxLen(255),
		field.String("name").Optional().Nillable().MaxLen(255),
	}
}

// Edges of Subsystem.
func (Subsystem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("member", Member.Type).Ref("subsystems").Unique().Required(),
	}
}

// Indexes of Subsystem.
func (Subsystem) Indexes() []ent.Index {
	return []ent.Index{index.Fields("subsystem_code").Edges("member").Unique()}
}

// Mixin of Subsystem.
func (Subsystem) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of Subsystem.
func (Subsystem) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
