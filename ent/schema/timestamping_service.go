package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// TimestampingService is a timestamping service configured on the security
// server (SS_07); it must be one of the approved TSAs.
type TimestampingService struct{ ent.Schema }

// Fields of TimestampingService.
func (TimestampingService) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(255),
		field.String("url").NotEmpty().MaxLen(255),
	}
}

// Indexes of TimestampingService.
func (TimestampingService) Indexes() []ent.Index {
	return []ent.Index{index.Fields("name", "url").Unique()}
}

// Mixin of TimestampingService.
func (TimestampingService) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of TimestampingService.
func (TimestampingService) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput, entgql.SkipOrderField)}
}
