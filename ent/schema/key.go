package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Key is a key pair on a token. Its usage is undefined until the first CSR
// or certificate fixes it (§3.3).
type Key struct{ ent.Schema }

// Fields of Key.
func (Key) Fields() []ent.Field {
	return []ent.Field{
		// key_id is the token's id of the key (hex; CKA_ID on PKCS#11).
		field.String("key_id").NotEmpty().Immutable().
			Annotations(entgql.MapsTo("keyId")),
		field.String("label").Optional().Nillable().MaxLen(255),
		field.Enum("usage").GoType(xroad.KeyUsage("")).Optional().Nillable().
			Annotations(entgql.Type("KeyUsage")),
		field.Enum("algorithm").GoType(xroad.KeyAlgorithm("")).Immutable().
			Annotations(entgql.Type("KeyAlgorithm")),
		field.Bytes("public_key").NotEmpty().Immutable().Annotations(skip),
		// private_key_blob is the software token's encrypted private key.
		field.Bytes("private_key_blob").Optional().Sensitive().Immutable(),
	}
}

// Edges of Key.
func (Key) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("token", Token.Type).Ref("keys").Unique().Required(),
		edge.To("certificates", Certificate.Type),
		edge.To("csrs", CertificateSigningRequest.Type),
	}
}

// Indexes of Key.
func (Key) Indexes() []ent.Index {
	return []ent.Index{index.Fields("key_id").Edges("token").Unique()}
}

// Mixin of Key.
func (Key) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of Key.
func (Key) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput, entgql.SkipOrderField)}
}
