package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/roadreg/roadreg/internal/xroad"
)

// ServerClient is a client (member or subsystem) of the security server; the
// owner is one of them (§2.2, §3.7).
type ServerClient struct{ ent.Schema }

// Fields of ServerClient.
func (ServerClient) Fields() []ent.Field {
	return []ent.Field{
		field.String("instance").NotEmpty(),
		field.String("member_class").NotEmpty(),
		field.String("member_code").NotEmpty(),
		// subsystem_code is empty for members.
		field.String("subsystem_code").Default(""),
		field.Enum("status").GoType(xroad.ClientStatus("")).Default(string(xroad.ClientSaved)),
	}
}

// Indexes of ServerClient.
func (ServerClient) Indexes() []ent.Index {
	return []ent.Index{index.Fields("instance", "member_class", "member_code", "subsystem_code").Unique()}
}

// Mixin of ServerClient.
func (ServerClient) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of ServerClient.
func (ServerClient) Annotations() []schema.Annotation { return []schema.Annotation{skip} }
