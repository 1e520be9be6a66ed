package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// OcspResponder is an OCSP responder of an approved certification service.
type OcspResponder struct{ ent.Schema }

// Fields of OcspResponder.
func (OcspResponder) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").NotEmpty().MaxLen(255),
		// certificate is the responder's certificate when it is not the CA
		// itself (optional).
		field.Bytes("certificate").Optional().Annotations(skip),
	}
}

// Edges of OcspResponder.
func (OcspResponder) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("certification_service", ApprovedCertificationService.Type).
			Ref("ocsp_responders").Unique().Required(),
	}
}

// Mixin of OcspResponder.
func (OcspResponder) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of OcspResponder.
func (OcspResponder) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
