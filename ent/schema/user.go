package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// User is an administrator of this server. Roles are X-Road role names
// (viewer.Role).
type User struct{ ent.Schema }

// Fields of User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("username").NotEmpty().MaxLen(255).Unique(),
		// password_hash is an argon2id hash in PHC string form.
		field.String("password_hash").Sensitive(),
		field.Strings("roles"),
		field.Bool("disabled").Default(false),
	}
}

// Edges of User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{edge.To("sessions", Session.Type)}
}

// Mixin of User.
func (User) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of User.
func (User) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of User.
func (User) Policy() ent.Policy { return systemOnly() }
