package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// ApprovedCertificationService is a certification authority the governing
// authority approved (central server).
type ApprovedCertificationService struct{ ent.Schema }

// Fields of ApprovedCertificationService.
func (ApprovedCertificationService) Fields() []ent.Field {
	return []ent.Field{
		// name is the CA certificate's subject common name (X-Road uses it
		// as the CA's id on security servers).
		field.String("name").NotEmpty(),
		field.Bytes("certificate").NotEmpty().Annotations(skip),
		field.String("sha256").NotEmpty().Unique(),
		field.String("subject_dn"),
		field.String("issuer_dn"),
		field.Time("not_before"),
		field.Time("not_after"),
		field.Bool("authentication_only").Default(false),
		field.String("certificate_profile_info"),
	}
}

// Edges of ApprovedCertificationService.
func (ApprovedCertificationService) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("ocsp_responders", OcspResponder.Type),
	}
}

// Mixin of ApprovedCertificationService.
func (ApprovedCertificationService) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of ApprovedCertificationService.
func (ApprovedCertificationService) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
