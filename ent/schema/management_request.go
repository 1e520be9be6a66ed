package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ManagementRequest is a management request on the central server (§2.3,
// §3.8). Registration-type requests have a status; a CENTER-origin request
// and a SECURITY_SERVER-origin request for the same certificate and server
// may be paired (legacy two-sided registration).
type ManagementRequest struct{ ent.Schema }

// Fields of ManagementRequest.
func (ManagementRequest) Fields() []ent.Field {
	return []ent.Field{
		// request_id is the request's number as the security server and the
		// administrators see it (1, 2, …).
		field.Int("request_id").Positive().Unique().Immutable().
			Annotations(entgql.MapsTo("requestId"), entgql.OrderField("REQUEST_ID")),
		field.Enum("type").
			Values("AUTH_CERT_REGISTRATION_REQUEST", "AUTH_CERT_DELETION_REQUEST",
				"CLIENT_REGISTRATION_REQUEST", "OWNER_CHANGE_REQUEST").
			Immutable().
			Annotations(entgql.OrderField("TYPE")),
		field.Enum("origin").Values("SECURITY_SERVER", "CENTER").Immutable().
			Annotations(entgql.OrderField("ORIGIN")),
		field.Enum("status").
			Values("WAITING", "SUBMITTED_FOR_APPROVAL", "APPROVED", "DECLINED", "REVOKED").
			Default("WAITING").
			Annotations(entgql.OrderField("STATUS")),
		field.String("server_instance").NotEmpty().Immutable(),
		field.String("server_owner_class").NotEmpty().Immutable(),
		field.String("server_owner_code").NotEmpty().Immutable(),
		field.String("server_code").NotEmpty().Immutable(),
		field.String("address").Optional().Nillable().MaxLen(255),
		field.Bytes("auth_certificate").Optional().Immutable().Annotations(skip),
		field.String("auth_certificate_sha256").Optional().Nillable().Immutable(),
		field.Text("comments").Optional().Nillable(),
		// created_by is the user who entered a CENTER-origin request or
		// "management service" for requests sent by a security server.
		field.String("created_by").Optional().Nillable().Immutable(),
		// client_address is the network address a SECURITY_SERVER-origin
		// request came from.
		field.String("client_address").Optional().Immutable().Annotations(skip),
		// message_id is the SOAP message id of a deletion request a
		// security server sent: the same message received again is
		// answered with this request, not executed again.
		field.String("message_id").Optional().Nillable().Unique().Immutable().MaxLen(255).Annotations(skip),
	}
}

// Edges of ManagementRequest.
func (ManagementRequest) Edges() []ent.Edge {
	return []ent.Edge{
		// paired_with links the two halves of a legacy two-sided
		// registration (same certificate, same server id, other origin).
		edge.To("paired_with", ManagementRequest.Type).Unique(),
	}
}

// Indexes of ManagementRequest.
func (ManagementRequest) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("auth_certificate_sha256", "status"),
		index.Fields("status", "created_at"),
	}
}

// Mixin of ManagementRequest.
func (ManagementRequest) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of ManagementRequest.
func (ManagementRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
