package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// APIKey authenticates a GraphQL client (Authorization: Bearer <key>).
// Only a SHA-256 hash of the key is stored.
type APIKey struct{ ent.Schema }

// Fields of APIKey.
func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("key_hash").Sensitive().Unique().Immutable(),
		field.String("name").Optional().MaxLen(255),
		field.Strings("roles"),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

// Mixin of APIKey.
func (APIKey) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of APIKey.
func (APIKey) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of APIKey.
func (APIKey) Policy() ent.Policy { return systemOnly() }
