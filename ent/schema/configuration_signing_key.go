package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// ConfigurationSigningKey is a key of the central server's software token
// that signs global configuration, with its self-signed certificate (the
// anchor's verification certificate).
type ConfigurationSigningKey struct{ ent.Schema }

// Fields of ConfigurationSigningKey.
func (ConfigurationSigningKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("key_id").NotEmpty().Unique().Immutable(),
		field.Enum("source_type").Values("INTERNAL", "EXTERNAL").Default("INTERNAL"),
		field.String("algorithm"),
		field.Bytes("certificate").NotEmpty(),
		// key_blob is the private key encrypted with the token's PIN-derived key.
		field.Bytes("key_blob").Sensitive(),
		field.Bool("active").Default(false),
	}
}

// Mixin of ConfigurationSigningKey.
func (ConfigurationSigningKey) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of ConfigurationSigningKey.
func (ConfigurationSigningKey) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of ConfigurationSigningKey.
func (ConfigurationSigningKey) Policy() ent.Policy { return anyViewer() }
