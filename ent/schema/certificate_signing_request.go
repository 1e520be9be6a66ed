package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/roadreg/roadreg/internal/xroad"
)

// CertificateSigningRequest is a CSR generated for a key (X-Road's "CSR
// notice"); it is removed when the matching certificate is imported.
type CertificateSigningRequest struct{ ent.Schema }

// Fields of CertificateSigningRequest.
func (CertificateSigningRequest) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("usage").GoType(xroad.KeyUsage("")).Immutable().
			Annotations(entgql.Type("KeyUsage")),
		// member_id is INSTANCE/CLASS/CODE of the member a signing CSR is
		// for (the owner for authentication CSRs).
		field.String("member_id").Optional().Nillable().Immutable().
			Annotations(entgql.MapsTo("memberId")),
		field.String("ca_name").Immutable(),
		field.String("subject").Immutable(),
		field.Bytes("der").NotEmpty().Immutable().Annotations(skip),
	}
}

// Edges of CertificateSigningRequest.
func (CertificateSigningRequest) Edges() []ent.Edge {
	return []ent.Edge{edge.From("key", Key.Type).Ref("csrs").Unique().Required()}
}

// Mixin of CertificateSigningRequest.
func (CertificateSigningRequest) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Annotations of CertificateSigningRequest.
func (CertificateSigningRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput, entgql.SkipOrderField)}
}
