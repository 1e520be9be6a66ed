package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// AuthCertificate is a registered authentication certificate of a security
// server (central server side).
type AuthCertificate struct{ ent.Schema }

// Fields of AuthCertificate.
func (AuthCertificate) Fields() []ent.Field {
	return []ent.Field{
		field.Bytes("certificate").NotEmpty().Annotations(skip),
		field.String("sha256").NotEmpty().Unique().Immutable(),
		field.String("subject"),
		field.String("issuer"),
		field.String("serial_number"),
		field.Time("not_before"),
		field.Time("not_after"),
	}
}

// Edges of AuthCertificate.
func (AuthCertificate) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("security_server", SecurityServer.Type).Ref("auth_certificates").Unique().Required(),
	}
}

// Mixin of AuthCertificate.
func (AuthCertificate) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Annotations of AuthCertificate.
func (AuthCertificate) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
