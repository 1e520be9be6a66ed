package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// SecurityServer is a security server registered on the central server. It
// is created when its first authentication certificate is approved.
type SecurityServer struct{ ent.Schema }

// Fields of SecurityServer.
func (SecurityServer) Fields() []ent.Field {
	return []ent.Field{
		field.String("server_code").NotEmpty().MaxLen(255).
			Annotations(entgql.OrderField("SERVER_CODE")),
		field.String("address").Optional().Nillable().MaxLen(255),
	}
}

// Edges of SecurityServer.
func (SecurityServer) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("owner", Member.Type).Ref("owned_servers").Unique().Required(),
		edge.To("auth_certificates", AuthCertificate.Type),
	}
}

// Indexes of SecurityServer.
func (SecurityServer) Indexes() []ent.Index {
	return []ent.Index{index.Fields("server_code").Edges("owner").Unique()}
}

// Mixin of SecurityServer.
func (SecurityServer) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of SecurityServer.
func (SecurityServer) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
