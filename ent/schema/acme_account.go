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

// AcmeAccount is what a security server knows of its account with an
// approved CA's ACME server for a member (X-Road's acme.yml and mail.yml):
// the external account binding the CA handed out, the contact e-mail, and
// once registered the account's URL and key. The MAC key and the account
// key are sealed under the software token's data key and never leave the
// server.
type AcmeAccount struct{ ent.Schema }

// Fields of AcmeAccount.
func (AcmeAccount) Fields() []ent.Field {
	return []ent.Field{
		field.String("ca_name").NotEmpty().Immutable(),
		// member_id is INSTANCE/CLASS/CODE of the member the account orders
		// for: the server owner for authentication certificates.
		field.String("member_id").NotEmpty().Immutable().Annotations(entgql.MapsTo("memberId")),
		// key_usage restricts the account to one usage (X-Road's auth-kid and
		// sign-kid); NULL serves both.
		field.Enum("key_usage").GoType(xroad.KeyUsage("")).Optional().Nillable().Immutable().
			Annotations(entgql.Type("KeyUsage")),
		field.String("contact_email").Optional().Nillable().MaxLen(255),
		// eab_key_id and eab_mac_key are the external account binding.
		field.String("eab_key_id").Optional().Nillable().MaxLen(1024).Annotations(entgql.MapsTo("eabKeyId")),
		field.Bytes("eab_mac_key").Optional().Sensitive().Annotations(skip),
		// directory_url is the ACME directory the account was registered
		// with; account_url its URL there.
		field.String("directory_url").Optional().Nillable().Annotations(entgql.MapsTo("directoryUrl")),
		field.String("account_url").Optional().Nillable().Annotations(entgql.MapsTo("accountUrl")),
		field.Bytes("account_key").Optional().Sensitive().Annotations(skip),
	}
}

// Edges of AcmeAccount.
func (AcmeAccount) Edges() []ent.Edge {
	return []ent.Edge{edge.To("certificates", Certificate.Type).Annotations(skip)}
}

// Indexes of AcmeAccount: one account per CA, member and usage (NULL usage
// is kept single by the domain service).
func (AcmeAccount) Indexes() []ent.Index {
	return []ent.Index{index.Fields("ca_name", "member_id", "key_usage").Unique()}
}

// Mixin of AcmeAccount.
func (AcmeAccount) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of AcmeAccount.
func (AcmeAccount) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput, entgql.SkipOrderField)}
}
