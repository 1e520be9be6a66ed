package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// GlobalConfVersion records one generated and published version of the
// global configuration (central server). Every replica serves the newest
// row byte for byte: a version is published by committing its row.
type GlobalConfVersion struct{ ent.Schema }

// Fields of GlobalConfVersion.
func (GlobalConfVersion) Fields() []ent.Field {
	return []ent.Field{
		field.Int("version").Unique().Immutable().Positive(),
		// content_id is the directory name the parts were published under.
		field.String("content_id").Unique().Immutable(),
		// hash is the SHA-256 of the signed directory (what the watch
		// channel announces).
		field.String("hash").Immutable(),
		field.Time("generated_at").Immutable(),
		field.Time("expires_at").Immutable(),
		field.Bytes("directory").Immutable(),
		field.Bytes("shared_parameters").Immutable(),
		field.Bytes("private_parameters").Immutable(),
		// generated_by is the name of the replica that generated it.
		field.String("generated_by").Optional().Nillable().Immutable(),
	}
}

// Annotations of GlobalConfVersion.
func (GlobalConfVersion) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of GlobalConfVersion.
func (GlobalConfVersion) Policy() ent.Policy { return anyViewer() }
