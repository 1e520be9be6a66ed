package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// SecurityServerConf is the security server's single configuration row
// (X-Road's serverconf plus the configuration anchor). It is created by
// the anchor upload and completed by initialisation (§3.1).
type SecurityServerConf struct{ ent.Schema }

// Fields of SecurityServerConf.
func (SecurityServerConf) Fields() []ent.Field {
	return []ent.Field{
		field.String("instance_identifier").NotEmpty(),
		field.Bytes("anchor").NotEmpty(),
		field.String("anchor_hash").NotEmpty(),
		field.Time("anchor_generated_at"),
		field.String("server_code").Optional().MaxLen(255),
		field.Time("initialized_at").Optional().Nillable(),
	}
}

// Edges of SecurityServerConf.
func (SecurityServerConf) Edges() []ent.Edge {
	return []ent.Edge{edge.To("owner", ServerClient.Type).Unique()}
}

// Mixin of SecurityServerConf.
func (SecurityServerConf) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of SecurityServerConf.
func (SecurityServerConf) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of SecurityServerConf.
func (SecurityServerConf) Policy() ent.Policy { return anyViewer() }
