package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Certificate is a certificate imported for a key on the security server.
// It has three independent axes: registration status, active flag and OCSP
// status (§3.4–3.6).
type Certificate struct{ ent.Schema }

// Fields of Certificate.
func (Certificate) Fields() []ent.Field {
	return []ent.Field{
		field.Bytes("der").NotEmpty().Immutable().Annotations(skip),
		field.String("sha256").NotEmpty().Unique().Immutable(),
		field.Enum("usage").GoType(xroad.KeyUsage("")).Immutable().
			Annotations(entgql.Type("KeyUsage")),
		field.Enum("status").GoType(xroad.CertificateStatus("")).
			Annotations(entgql.Type("CertificateStatus")),
		field.Bool("active").Default(false),
		field.Enum("ocsp_status").GoType(xroad.OcspStatus("")).Default(string(xroad.OcspDisabled)).
			Annotations(entgql.Type("OcspStatus")),
		// ocsp_response is the last OCSP response (DER) for the certificate.
		field.Bytes("ocsp_response").Optional().Annotations(skip),
		field.Time("ocsp_updated_at").Optional().Nillable(),
		// ocsp_error explains the last failed OCSP fetch or verification
		// (X-Road's ocsp_verify_before_activation_error).
		field.Text("ocsp_error").Optional().Nillable(),
		field.String("subject").Immutable(),
		field.String("issuer").Immutable(),
		field.String("serial_number").Immutable(),
		field.Time("not_before").Immutable(),
		field.Time("not_after").Immutable(),
		// member_id is INSTANCE/CLASS/CODE of a signing certificate's member.
		field.String("member_id").Optional().Nillable().Immutable().
			Annotations(entgql.MapsTo("memberId")),
		// Registration of authentication certificates (§4.7).
		field.Int("management_request_id").Optional().Nillable().
			Annotations(entgql.MapsTo("managementRequestId")),
		field.String("registered_address").Optional().Nillable(),
		// decline_comment carries the central server's comment when it
		// declined the registration (a Roadreg extension).
		field.Text("decline_comment").Optional().Nillable(),
		// acme_ca_name is the approved CA the certificate was ordered from
		// with ACME (NULL: imported from a file); acme_account_id the
		// account that ordered it, which a renewal must use (RFC 9773).
		field.String("acme_ca_name").Optional().Nillable().Immutable(),
		field.Int("acme_account_id").Optional().Nillable().Annotations(skip),
		// Unregistration (UG-SS §5.6.1): deletion_request_id is the central
		// server's id of the authCertDeletion request; unregistered_at is when
		// the global configuration stopped listing the certificate after it.
		field.Int("deletion_request_id").Optional().Nillable().
			Annotations(entgql.MapsTo("deletionRequestId")),
		field.Time("unregistered_at").Optional().Nillable(),
		// Automatic renewal of a certificate ordered with ACME (UG-SS §24,
		// "Automatic certificate renewal"), kept on the certificate being
		// renewed: renewal_certificate_id is the certificate ordered to
		// replace it; renewal_due_at when it is to be renewed (the CA's
		// renewal information, RFC 9773, or days before expiry);
		// renewal_error and renewal_failures the last failure and how many
		// failed in a row; renewal_retry_at when the job tries again.
		field.Int("renewal_certificate_id").Optional().Nillable().Annotations(skip),
		field.Time("renewal_started_at").Optional().Nillable().Annotations(skip),
		field.Time("renewal_due_at").Optional().Nillable().Annotations(skip),
		field.Text("renewal_error").Optional().Nillable().Annotations(skip),
		field.Int("renewal_failures").Default(0).NonNegative().Annotations(skip),
		field.Time("renewal_retry_at").Optional().Nillable().Annotations(skip),
		// renews_sha256 is, on a certificate the renewal job ordered, the
		// hash of the certificate it replaces.
		field.String("renews_sha256").Optional().Nillable().Annotations(skip),
		// expiry_warned_at is when the job last announced that the
		// certificate expires soon without an automatic renewal.
		field.Time("expiry_warned_at").Optional().Nillable().Annotations(skip),
	}
}

// Edges of Certificate.
func (Certificate) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("key", Key.Type).Ref("certificates").Unique().Required(),
		edge.From("acme_account", AcmeAccount.Type).Ref("certificates").Field("acme_account_id").Unique().Annotations(skip),
	}
}

// Mixin of Certificate.
func (Certificate) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of Certificate.
func (Certificate) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput, entgql.SkipOrderField)}
}
