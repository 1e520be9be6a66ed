package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Member is an X-Road member registered on the central server (MEMBER_10).
type Member struct{ ent.Schema }

// Fields of Member.
func (Member) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_code").NotEmpty().MaxLen(255).
			Annotations(entgql.OrderField("MEMBER_CODE")),
		field.String("name").NotEmpty().MaxLen(255).
			Annotations(entgql.OrderField("NAME")),
	}
}

// Edges of Member.
func (Member) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("member_class", MemberClass.Type).Ref("members").Unique().Required(),
		edge.To("subsystems", Subsystem.Type),
		edge.To("owned_servers", SecurityServer.Type),
		edge.From("global_groups", GlobalGroup.Type).Ref("members").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of Member.
func (Member) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("member_code").Edges("member_class").Unique(),
	}
}

// Mixin of Member.
func (Member) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of Member.
func (Member) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
