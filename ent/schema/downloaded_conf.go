package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// DownloadedConf is the last good global configuration a security server
// downloaded and verified, kept as the raw files so it can be verified and
// parsed again at start-up.
type DownloadedConf struct{ ent.Schema }

// Fields of DownloadedConf.
func (DownloadedConf) Fields() []ent.Field {
	return []ent.Field{
		field.String("instance_identifier").NotEmpty().Unique(),
		// version counts the configurations this server applied.
		field.Int("version").Positive(),
		field.String("source_url"),
		field.Bytes("directory"),
		field.Bytes("shared_parameters"),
		field.Bytes("private_parameters"),
		field.Time("expires_at"),
		field.Time("downloaded_at"),
		// Health of the configuration client.
		field.Time("last_attempt_at").Optional().Nillable(),
		field.Time("failing_since").Optional().Nillable(),
		field.Text("error").Optional(),
	}
}

// Mixin of DownloadedConf.
func (DownloadedConf) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of DownloadedConf.
func (DownloadedConf) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of DownloadedConf.
func (DownloadedConf) Policy() ent.Policy { return anyViewer() }
