package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/roadreg/roadreg/internal/xroad"
)

// ApprovedCertificationService is a certification authority the governing
// authority approved (central server).
type ApprovedCertificationService struct{ ent.Schema }

// Fields of ApprovedCertificationService.
func (ApprovedCertificationService) Fields() []ent.Field {
	return []ent.Field{
		// name is the CA certificate's subject common name (X-Road uses it
		// as the CA's id on security servers).
		field.String("name").NotEmpty(),
		field.Bytes("certificate").NotEmpty().Annotations(skip),
		field.String("sha256").NotEmpty().Unique(),
		field.String("subject_dn"),
		field.String("issuer_dn"),
		field.Time("not_before"),
		field.Time("not_after"),
		field.Bool("authentication_only").Default(false),
		// certificate_profile_info names the CA's certificate profile
		// (internal/pki, ProfileFor).
		field.String("certificate_profile_info"),
		// default_csr_format is the CSR format security servers preselect
		// for this CA (UG-CS §10.1).
		field.Enum("default_csr_format").GoType(xroad.CSRFormat("")).Default(string(xroad.CSRFormatPEM)).
			Annotations(entgql.Type("CsrFormat")),
		// The ACME settings (UG-CS §10.1, shared-parameters.xsd AcmeServer):
		// a CA with a directory URL can be used for ACME.
		field.String("acme_server_directory_url").Optional().Nillable().
			Annotations(entgql.MapsTo("acmeServerDirectoryUrl"), entgql.Skip(entgql.SkipWhereInput)),
		// acme_server_ip_address lists the addresses the CA validates
		// challenges from, comma-separated (for security servers' firewalls).
		field.String("acme_server_ip_address").Optional().Nillable().
			Annotations(entgql.MapsTo("acmeServerIpAddress"), entgql.Skip(entgql.SkipWhereInput)),
		// The ACME profiles security servers order authentication and
		// signing certificates with.
		field.String("authentication_certificate_profile_id").Optional().Nillable().
			Annotations(entgql.MapsTo("authenticationCertificateProfileId"), entgql.Skip(entgql.SkipWhereInput)),
		field.String("signing_certificate_profile_id").Optional().Nillable().
			Annotations(entgql.MapsTo("signingCertificateProfileId"), entgql.Skip(entgql.SkipWhereInput)),
	}
}

// Edges of ApprovedCertificationService.
func (ApprovedCertificationService) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("ocsp_responders", OcspResponder.Type),
	}
}

// Mixin of ApprovedCertificationService.
func (ApprovedCertificationService) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of ApprovedCertificationService.
func (ApprovedCertificationService) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
