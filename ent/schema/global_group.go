package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// GlobalGroup is a global group of members (Roadreg keeps
// security-server-owners up to date).
type GlobalGroup struct{ ent.Schema }

// Fields of GlobalGroup.
func (GlobalGroup) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").NotEmpty().MaxLen(255).Unique(),
		field.String("description").MaxLen(255),
	}
}

// Edges of GlobalGroup.
func (GlobalGroup) Edges() []ent.Edge {
	return []ent.Edge{edge.To("members", Member.Type)}
}

// Mixin of GlobalGroup.
func (GlobalGroup) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of GlobalGroup.
func (GlobalGroup) Annotations() []schema.Annotation { return []schema.Annotation{skip} }
