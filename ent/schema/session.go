package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Session is a browser session (cookie). Only a SHA-256 hash of the token
// is stored.
type Session struct{ ent.Schema }

// Fields of Session.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").Sensitive().Unique().Immutable(),
		field.Time("last_seen_at"),
		field.Time("expires_at"),
		// client_address is the address the session logged in from, shown
		// to administrators who decide which sessions to end.
		field.String("client_address").Optional().Nillable().MaxLen(255).Immutable(),
	}
}

// Edges of Session.
func (Session) Edges() []ent.Edge {
	return []ent.Edge{edge.From("user", User.Type).Ref("sessions").Unique().Required()}
}

// Mixin of Session.
func (Session) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Annotations of Session.
func (Session) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of Session.
func (Session) Policy() ent.Policy { return systemOnly() }
