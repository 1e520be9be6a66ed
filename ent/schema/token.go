package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Token is a key store known to the security server: the software token
// (token_id "0") or a PKCS#11 token. Login state and availability live in
// the signer at run time, not here.
type Token struct{ ent.Schema }

// Fields of Token.
func (Token) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_id").NotEmpty().Unique().Immutable().
			Annotations(entgql.MapsTo("tokenId")),
		field.String("name").NotEmpty(),
		field.Enum("type").GoType(xroad.TokenType("")).Immutable().
			Annotations(entgql.Type("TokenType")),
		// soft_token_state holds the software token's KDF salt, parameters
		// and PIN verifier (never the PIN).
		field.Bytes("soft_token_state").Optional().Sensitive(),
		field.String("module_path").Optional().Annotations(skip),
		field.String("serial_number").Optional().Nillable(),
		field.String("label").Optional().Nillable(),
	}
}

// Edges of Token.
func (Token) Edges() []ent.Edge {
	return []ent.Edge{edge.To("keys", Key.Type)}
}

// Mixin of Token.
func (Token) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of Token.
func (Token) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput, entgql.SkipOrderField)}
}
