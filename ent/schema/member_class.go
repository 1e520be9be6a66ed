package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// MemberClass is a class of X-Road members (GOV, COM, …) on the central server.
type MemberClass struct{ ent.Schema }

// Fields of MemberClass.
func (MemberClass) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").NotEmpty().MaxLen(255).Unique().
			Annotations(entgql.OrderField("CODE")),
		field.String("description").NotEmpty().MaxLen(255).Unique(),
	}
}

// Edges of MemberClass.
func (MemberClass) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("members", Member.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Mixin of MemberClass.
func (MemberClass) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of MemberClass.
func (MemberClass) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
