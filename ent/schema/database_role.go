package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// DatabaseRole records which kind of server a database belongs to. It is
// written once, at the first start of `roadreg serve` or by the first
// command-line tool that names --server, and never changes: a security
// server never runs on a central server's database, and user
// administration from the command line knows which roles exist.
type DatabaseRole struct{ ent.Schema }

// Fields of DatabaseRole.
func (DatabaseRole) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("role").Values("CENTRAL", "SECURITY").Immutable(),
	}
}

// Indexes of DatabaseRole.
func (DatabaseRole) Indexes() []ent.Index {
	return []ent.Index{index.Fields("role").Unique()}
}

// Mixin of DatabaseRole.
func (DatabaseRole) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Annotations of DatabaseRole.
func (DatabaseRole) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of DatabaseRole.
func (DatabaseRole) Policy() ent.Policy { return systemOnly() }
