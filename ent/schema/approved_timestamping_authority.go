package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ApprovedTimestampingAuthority is a timestamping authority the governing
// authority approved (central server).
type ApprovedTimestampingAuthority struct{ ent.Schema }

// Fields of ApprovedTimestampingAuthority.
func (ApprovedTimestampingAuthority) Fields() []ent.Field {
	return []ent.Field{
		// name is the TSA certificate's subject common name.
		field.String("name").NotEmpty(),
		field.String("url").NotEmpty().MaxLen(255),
		field.Bytes("certificate").NotEmpty().Annotations(skip),
		field.String("sha256").NotEmpty(),
		field.Time("not_before"),
		field.Time("not_after"),
	}
}

// Indexes of ApprovedTimestampingAuthority.
func (ApprovedTimestampingAuthority) Indexes() []ent.Index {
	return []ent.Index{index.Fields("url", "sha256").Unique()}
}

// Mixin of ApprovedTimestampingAuthority.
func (ApprovedTimestampingAuthority) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of ApprovedTimestampingAuthority.
func (ApprovedTimestampingAuthority) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
