package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// CentralServerConf is the central server's single configuration row,
// created by initializeCentralServer (X-Road's system parameters).
type CentralServerConf struct{ ent.Schema }

// Fields of CentralServerConf.
func (CentralServerConf) Fields() []ent.Field {
	return []ent.Field{
		field.String("instance_identifier").NotEmpty().Immutable(),
		field.String("central_server_address").NotEmpty(),
		// soft_token_state is the software token's KDF salt, parameters
		// and PIN verifier; never the PIN.
		field.Bytes("soft_token_state").Sensitive(),
		// soft_token_cluster_login is the logged-in token's data key sealed
		// under the replicas' cluster key (never the PIN): replicas holding
		// the cluster key log in with it.
		field.Bytes("soft_token_cluster_login").Optional().Nillable().Sensitive(),
		// The management service: provider subsystem and the TLS key pair
		// of the management-service endpoint (private params).
		field.String("management_service_provider_class"),
		field.String("management_service_provider_code"),
		field.String("management_service_provider_subsystem"),
		field.Bytes("management_tls_certificate"),
		field.Bytes("management_tls_key").Sensitive(),
		// Global configuration generation health.
		field.Time("conf_generation_failing_since").Optional().Nillable(),
		field.Text("conf_generation_error").Optional(),
	}
}

// Mixin of CentralServerConf.
func (CentralServerConf) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Annotations of CentralServerConf.
func (CentralServerConf) Annotations() []schema.Annotation { return []schema.Annotation{skip} }

// Policy of CentralServerConf.
func (CentralServerConf) Policy() ent.Policy { return anyViewer() }
