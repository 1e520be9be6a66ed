package main

// The authorisation matrix: every query, mutation and subscription of
// graph/*.graphql, called as each role of each kind of server and
// anonymously, must be allowed to exactly the roles of
// X-Road's permissions.yml and user roles (UG-SS and UG-CS, User Roles) for the
// security server and the central server. The expected roles are written out here from X-Road's,
// not taken from internal/viewer, and the list of operations is checked
// against the schema so a new operation cannot slip through untested.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Short names of the roles, as X-Road's tables list them.
const (
	so  = viewer.SecurityOfficer
	ro  = viewer.RegistrationOfficer
	sa  = viewer.SystemAdministrator
	sva = viewer.ServiceAdministrator
	obs = viewer.SecurityServerObserver
)

// access is who may call an operation on one kind of server.
type access struct {
	// roles are the roles allowed; the others get FORBIDDEN, anonymous
	// callers UNAUTHENTICATED.
	roles []viewer.Role
	// public operations need no login at all.
	public bool
	// wrong marks operations of the other kind of server: every caller
	// gets WRONG_SERVER_ROLE (anonymous callers UNAUTHENTICATED).
	wrong bool
}

func allow(roles ...viewer.Role) access { return access{roles: roles} }

var (
	wrongServer = access{wrong: true}
	public      = access{public: true}
	csAnyRole   = allow(so, ro, sa)
	ssAnyRole   = allow(so, ro, sva, sa, obs)
)

// matrixOp is one call of an operation (a schema root field; some are
// called twice with inputs that need different permissions).
type matrixOp struct {
	field string // Query.x, Mutation.x or Subscription.x
	name  string
	query string
	vars  map[string]any
	cs    access
	ss    access
	// sessionOnly marks operations of logged-in users: API keys get
	// FORBIDDEN whatever their roles, so the roles are checked with a
	// session of each.
	sessionOnly bool
	// own are the variables of allowed roles with an object of their own,
	// for operations that remove what they are called on: those roles
	// must succeed, each on its own object.
	own map[viewer.Role]map[string]any
}

// matrixIDs are the objects the operations are called on.
type matrixIDs struct {
	member, ca                     string // central server
	token, signCert, authCert, tsp string // security server
	signCertPEM, authCertPEM       string
	signCertHash                   string
	// Objects the deletions are tried on: a second signing certificate,
	// a signing and an authentication CSR (whose keys have those usages)
	// and a key of undefined usage.
	spareSignCert, signCSR, authCSR, signKey, authKey, plainKey string
	// the same again, for the registration officer to remove
	spareSignCert2, signCSR2, signKey2, plainKey2 string
}

// matrixOps lists every operation with the roles X-Road gives it.
func matrixOps(ids matrixIDs) []matrixOp {
	bad := "<configurationAnchor/>"
	return []matrixOp{
		// Both kinds of server.
		{field: "Query.serverInfo", query: `{ serverInfo { role initialized instanceIdentifier } }`, cs: public, ss: public},
		{field: "Query.me", query: `{ me { username } }`, cs: public, ss: public},
		// Any signed-in user sees the health of global configuration
		// (X-Road shows its status to every role).
		{field: "Query.globalConfigurationStatus", query: `{ globalConfigurationStatus { version } }`, cs: csAnyRole, ss: ssAnyRole},
		// Not in permissions.yml (X-Road's audit log is a file): Roadreg lets every
		// role of the server read it.
		{field: "Query.auditEvents", query: `{ auditEvents(first: 1) { totalCount } }`, cs: csAnyRole, ss: ssAnyRole},
		// node and nodes follow the entity's view permission:
		// VIEW_MEMBER_DETAILS (CS) and view_keys / view_tsps (SS).
		// The other kind of server's entities are readable by nobody.
		{field: "Query.node", name: "member", query: `query($id: ID!) { node(id: $id) { id } }`, vars: map[string]any{"id": ids.member}, cs: allow(ro), ss: allow()},
		{field: "Query.node", name: "approved CA", query: `query($id: ID!) { node(id: $id) { id } }`, vars: map[string]any{"id": ids.ca}, cs: allow(sa), ss: allow()},
		{field: "Query.node", name: "certificate", query: `query($id: ID!) { node(id: $id) { id } }`, vars: map[string]any{"id": ids.authCert}, cs: allow(), ss: allow(so, ro, sa, obs)},
		{field: "Query.node", name: "timestamping service", query: `query($id: ID!) { node(id: $id) { id } }`, vars: map[string]any{"id": ids.tsp}, cs: allow(), ss: allow(so, sa, obs)},
		{field: "Query.nodes", name: "member", query: `query($id: ID!) { nodes(ids: [$id]) { id } }`, vars: map[string]any{"id": ids.member}, cs: allow(ro), ss: allow()},
		{field: "Query.nodes", name: "token", query: `query($id: ID!) { nodes(ids: [$id]) { id } }`, vars: map[string]any{"id": ids.token}, cs: allow(), ss: allow(so, ro, sa, obs)},

		// Central server (UG-CS, User Roles).
		{field: "Query.memberClasses", query: `{ memberClasses { code } }`, cs: allow(so, ro), ss: wrongServer},                                              // VIEW_MEMBER_CLASSES
		{field: "Query.members", query: `{ members(first: 1) { totalCount } }`, cs: allow(ro), ss: wrongServer},                                              // VIEW_MEMBERS
		{field: "Query.securityServers", query: `{ securityServers(first: 1) { totalCount } }`, cs: allow(ro), ss: wrongServer},                              // VIEW_SECURITY_SERVERS
		{field: "Query.managementRequests", query: `{ managementRequests(first: 1) { totalCount } }`, cs: allow(ro), ss: wrongServer},                        // VIEW_MANAGEMENT_REQUESTS
		{field: "Query.approvedCertificationServices", query: `{ approvedCertificationServices { name } }`, cs: allow(sa), ss: wrongServer},                  // VIEW_APPROVED_CAS
		{field: "Query.approvedTimestampingAuthorities", query: `{ approvedTimestampingAuthorities { name } }`, cs: allow(sa), ss: wrongServer},              // VIEW_APPROVED_TSAS
		{field: "Query.configurationAnchor", query: `{ configurationAnchor }`, cs: allow(so), ss: wrongServer},                                               // DOWNLOAD_SOURCE_ANCHOR
		{field: "Query.globalConfigurationVersions", query: `{ globalConfigurationVersions(first: 1) { version } }`, cs: allow(so, sa, ro), ss: wrongServer}, // VIEW_GLOBAL_CONFIGURATION
		{field: "Query.configurationSigningKeys", query: `{ configurationSigningKeys { keyId } }`, cs: allow(so, sa, ro), ss: wrongServer},                   // VIEW_GLOBAL_CONFIGURATION
		{field: "Query.configurationAnchorInfo", query: `{ configurationAnchorInfo { hash } }`, cs: allow(so, sa, ro), ss: wrongServer},                      // DOWNLOAD_SOURCE_ANCHOR or VIEW_GLOBAL_CONFIGURATION
		{field: "Mutation.initializeCentralServer", query: `mutation { initializeCentralServer(input: {instanceIdentifier: "DEV", centralServerAddress: "cs.example.org", softTokenPin: "Central-PIN-9"}) { initialized } }`,
			cs: allow(sa, so), ss: wrongServer}, // INIT_CONFIG
		{field: "Query.centralServerSettings", query: `{ centralServerSettings { managementServiceProviderId } }`, cs: allow(so), ss: wrongServer},         // VIEW_SYSTEM_SETTINGS
		{field: "Query.centralServerCluster", query: `{ centralServerCluster { nodeName nodes { name state } } }`, cs: allow(so, sa, ro), ss: wrongServer}, // VIEW_GLOBAL_CONFIGURATION (X-Road: every role of the central server)
		// X-Road guards appointing the management service provider with
		// VIEW_SYSTEM_SETTINGS; an id of another instance is refused after
		// authorisation, so the provider stays as it is.
		{field: "Mutation.updateManagementServiceProvider", query: `mutation { updateManagementServiceProvider(managementServiceProviderId: "OTHER/ORG/CENTRAL/MANAGEMENT") { managementServiceProviderId } }`,
			cs: allow(so), ss: wrongServer},
		{field: "Mutation.loginCentralServerToken", query: `mutation { loginCentralServerToken(pin: "wrong PIN") { version } }`, cs: allow(sa, so), ss: wrongServer}, // ACTIVATE_TOKEN
		{field: "Mutation.addMemberClass", query: `mutation { addMemberClass(code: "", description: "") { code } }`, cs: allow(so), ss: wrongServer},                 // ADD_MEMBER_CLASS
		{field: "Mutation.addMember", query: `mutation { addMember(memberClass: "GOV", memberCode: "", name: "") { id } }`, cs: allow(ro), ss: wrongServer},          // ADD_NEW_MEMBER
		{field: "Mutation.addApprovedCertificationService", query: `mutation { addApprovedCertificationService(input: {caCertificate: "x"}) { id } }`, cs: allow(sa), ss: wrongServer},
		// EDIT_APPROVED_CA; an unknown profile is refused after authorisation.
		{field: "Mutation.updateApprovedCertificationService", query: `mutation($id: ID!) { updateApprovedCertificationService(id: $id, input: {certificateProfileInfo: "x"}) { id } }`,
			vars: map[string]any{"id": ids.ca}, cs: allow(sa), ss: wrongServer},
		{field: "Mutation.addApprovedTimestampingAuthority", query: `mutation { addApprovedTimestampingAuthority(input: {url: "http://tsa", certificate: "x"}) { id } }`, cs: allow(sa), ss: wrongServer},
		// DELETE_SECURITY_SERVER_AUTH_CERT (UG-CS §8.4).
		{field: "Mutation.deleteSecurityServerAuthCertificate", query: `mutation { deleteSecurityServerAuthCertificate(serverId: "DEV/GOV/1234/SS9", authCertificateId: "1") { id } }`,
			cs: allow(ro), ss: wrongServer},
		{field: "Mutation.addOwnedSecurityServer", query: `mutation { addOwnedSecurityServer(memberId: "DEV/GOV/1234", serverCode: "SS9", authCertificate: "x") { id } }`, cs: allow(ro), ss: wrongServer}, // ADD_AUTH_CERT_REGISTRATION_REQUEST
		{field: "Mutation.approveManagementRequest", query: `mutation($id: ID!) { approveManagementRequest(id: $id) { id } }`, vars: map[string]any{"id": ids.member}, cs: allow(ro), ss: wrongServer},
		{field: "Mutation.declineManagementRequest", query: `mutation($id: ID!) { declineManagementRequest(id: $id) { id } }`, vars: map[string]any{"id": ids.member}, cs: allow(ro), ss: wrongServer},
		// Not in permissions.yml (X-Road generates on a timer): Roadreg's on-demand
		// generation is for the officers who manage signing keys and the
		// system administrator.
		{field: "Mutation.generateGlobalConfiguration", query: `mutation { generateGlobalConfiguration { version } }`, cs: allow(so, sa), ss: wrongServer},

		// Security server (UG-SS, User Roles).
		{field: "Query.anchor", query: `{ anchor { hash } }`, cs: wrongServer, ss: allow(so, sa, obs)},                                                                                       // view_anchor (init_config: SA)
		{field: "Query.tokens", query: `{ tokens { id } }`, cs: wrongServer, ss: allow(so, ro, sa, obs)},                                                                                     // view_keys
		{field: "Query.approvedCertificationAuthorities", query: `{ approvedCertificationAuthorities { name } }`, cs: wrongServer, ss: allow(ro, so, obs, sa)},                               // view_approved_certificate_authorities
		{field: "Query.csrSubjectFields", name: "signing", query: `{ csrSubjectFields(caName: "CA", usage: SIGNING, memberId: "DEV/GOV/1234") { id } }`, cs: wrongServer, ss: allow(so, ro)}, // generate_sign_cert_req
		{field: "Query.csrSubjectFields", name: "authentication", query: `{ csrSubjectFields(caName: "CA", usage: AUTHENTICATION) { id } }`, cs: wrongServer, ss: allow(so)},                 // generate_auth_cert_req
		{field: "Query.approvedTimestampingServices", query: `{ approvedTimestampingServices { name } }`, cs: wrongServer, ss: allow(so, sa, obs)},                                           // view_tsps
		{field: "Query.timestampingServices", query: `{ timestampingServices { name } }`, cs: wrongServer, ss: allow(so, sa, obs)},                                                           // view_tsps
		{field: "Query.checkTimestampingService", query: `{ checkTimestampingService(url: "http://127.0.0.1:1/tsa") { reachable } }`, cs: wrongServer, ss: allow(so, sa, obs)},
		// X-Road's diagnostics permission: system administrators and observers.
		{field: "Query.diagnostics", query: `{ diagnostics { globalConfiguration { statusClass } } }`, cs: wrongServer, ss: allow(sa, obs)},
		// The address is offered to those who register (send_auth_cert_reg_req)
		// and shown on the diagnostics page (diagnostics).
		{field: "Query.securityServerAddress", query: `{ securityServerAddress }`, cs: wrongServer, ss: allow(so, sa, obs)},
		{field: "Query.tokenCertificate", query: `query($h: String!) { tokenCertificate(hash: $h) { id details { sha1 } } }`, vars: map[string]any{"h": ids.signCertHash},
			cs: wrongServer, ss: allow(so, ro, sa, obs)}, // view_keys
		{field: "Query.securityServerClients", query: `{ securityServerClients { memberId } }`, cs: wrongServer, ss: allow(so, ro, sva, obs)}, // view_clients
		// The initialisation wizard (init_config) and the clients view
		// (view_clients) look up member names.
		{field: "Query.memberName", query: `{ memberName(memberClass: "GOV", memberCode: "1234") }`, cs: wrongServer, ss: allow(sa, so, ro, sva, obs)},
		{field: "Mutation.uploadAnchor", name: "replacing the anchor", query: `mutation($a: String!) { uploadAnchor(anchor: $a) { hash } }`, vars: map[string]any{"a": bad},
			cs: wrongServer, ss: allow(so, sa)}, // upload_anchor
		{field: "Mutation.initializeSecurityServer", query: `mutation { initializeSecurityServer(input: {ownerMemberClass: "GOV", ownerMemberCode: "1234", serverCode: "SS1", softTokenPin: "1234"}) { initialized } }`,
			cs: wrongServer, ss: allow(sa)}, // init_config
		{field: "Mutation.addTimestampingService", query: `mutation { addTimestampingService(name: "No TSA", url: "http://127.0.0.1:1/tsa") { id } }`, cs: wrongServer, ss: allow(so)}, // add_tsp
		{field: "Mutation.deleteTimestampingService", query: `mutation { deleteTimestampingService(id: "999999") }`, cs: wrongServer, ss: allow(so)},                                   // delete_tsp
		// update_token_pin; an empty new PIN is refused before the current
		// PIN is checked, so the token's PIN stays as it is.
		{field: "Mutation.changeTokenPin", query: `mutation($t: ID!) { changeTokenPin(tokenId: $t, oldPin: "1234", newPin: "") { id } }`, vars: map[string]any{"t": ids.token}, cs: wrongServer, ss: allow(sa)},
		{field: "Mutation.generateKey", query: `mutation($t: ID!) { generateKey(tokenId: $t, algorithm: EC) { id } }`, vars: map[string]any{"t": ids.token}, cs: wrongServer, ss: allow(so, ro)}, // generate_key
		{field: "Mutation.generateCsr", name: "signing", query: `mutation { generateCsr(input: {keyId: 1, usage: SIGNING, caName: "CA", memberId: "DEV/GOV/1234"}) { id } }`, cs: wrongServer, ss: allow(so, ro)},
		{field: "Mutation.generateCsr", name: "authentication", query: `mutation { generateCsr(input: {keyId: 1, usage: AUTHENTICATION, caName: "CA"}) { id } }`, cs: wrongServer, ss: allow(so)},
		{field: "Mutation.importCertificate", name: "signing certificate", query: `mutation($c: String!) { importCertificate(certificate: $c) { id } }`, vars: map[string]any{"c": ids.signCertPEM},
			cs: wrongServer, ss: allow(so, ro)}, // import_sign_cert
		{field: "Mutation.importCertificate", name: "authentication certificate", query: `mutation($c: String!) { importCertificate(certificate: $c) { id } }`, vars: map[string]any{"c": ids.authCertPEM},
			cs: wrongServer, ss: allow(so)}, // import_auth_cert
		{field: "Mutation.activateCertificate", name: "signing certificate", query: `mutation($c: ID!) { activateCertificate(certificateId: $c) { id } }`, vars: map[string]any{"c": ids.signCert},
			cs: wrongServer, ss: allow(so, ro)}, // activate_disable_sign_cert
		{field: "Mutation.activateCertificate", name: "authentication certificate", query: `mutation($c: ID!) { activateCertificate(certificateId: $c) { id } }`, vars: map[string]any{"c": ids.authCert},
			cs: wrongServer, ss: allow(so)}, // activate_disable_auth_cert
		{field: "Mutation.deactivateCertificate", name: "signing certificate", query: `mutation($c: ID!) { deactivateCertificate(certificateId: $c) { id } }`, vars: map[string]any{"c": ids.signCert},
			cs: wrongServer, ss: allow(so, ro)},
		{field: "Mutation.deactivateCertificate", name: "authentication certificate", query: `mutation($c: ID!) { deactivateCertificate(certificateId: $c) { id } }`, vars: map[string]any{"c": ids.authCert},
			cs: wrongServer, ss: allow(so)},
		{field: "Mutation.registerAuthCertificate", query: `mutation($c: ID!) { registerAuthCertificate(certificateId: $c, address: "ss1.example.org") { id } }`, vars: map[string]any{"c": ids.authCert},
			cs: wrongServer, ss: allow(so)}, // send_auth_cert_reg_req
		// ACME: X-Road orders with the import permission of the usage (and
		// generates the CSR with its generate permission); the accounts
		// (X-Road's acme.yml) likewise, both for an account of both usages.
		{field: "Query.acmeAccounts", query: `{ acmeAccounts { id eabMacKeySet } }`, cs: wrongServer, ss: allow(so, ro, sa, obs)}, // view_keys
		{field: "Query.acmeSettings", query: `{ acmeSettings { challengeListenAddress } }`, cs: wrongServer, ss: allow(so, ro, sa, obs)},
		{field: "Query.hasAcmeExternalAccountBindingCredentials", name: "signing", query: `{ hasAcmeExternalAccountBindingCredentials(caName: "CA", keyUsage: SIGNING, memberId: "DEV/GOV/1234") { acmeEabRequired } }`,
			cs: wrongServer, ss: allow(so, ro)}, // import_sign_cert
		{field: "Query.hasAcmeExternalAccountBindingCredentials", name: "authentication", query: `{ hasAcmeExternalAccountBindingCredentials(caName: "CA", keyUsage: AUTHENTICATION) { acmeEabRequired } }`,
			cs: wrongServer, ss: allow(so)}, // import_auth_cert
		{field: "Mutation.orderAcmeCertificate", name: "signing", query: `mutation { orderAcmeCertificate(input: {keyId: 1, usage: SIGNING, caName: "CA", memberId: "DEV/GOV/1234"}) { id } }`,
			cs: wrongServer, ss: allow(so, ro)}, // generate_sign_cert_req and import_sign_cert
		{field: "Mutation.orderAcmeCertificate", name: "authentication", query: `mutation { orderAcmeCertificate(input: {keyId: 1, usage: AUTHENTICATION, caName: "CA"}) { id } }`,
			cs: wrongServer, ss: allow(so)}, // generate_auth_cert_req and import_auth_cert
		{field: "Mutation.setAcmeAccount", name: "signing", query: `mutation { setAcmeAccount(input: {caName: "CA", memberId: "DEV/GOV/1234", keyUsage: SIGNING, contactEmail: "a@example.org"}) { id } }`,
			cs: wrongServer, ss: allow(so, ro)},
		{field: "Mutation.setAcmeAccount", name: "authentication", query: `mutation { setAcmeAccount(input: {caName: "CA", memberId: "DEV/GOV/1234", keyUsage: AUTHENTICATION}) { id } }`,
			cs: wrongServer, ss: allow(so)},
		{field: "Mutation.setAcmeAccount", name: "both usages", query: `mutation { setAcmeAccount(input: {caName: "CA", memberId: "DEV/GOV/1234"}) { id } }`,
			cs: wrongServer, ss: allow(so)}, // import_auth_cert and import_sign_cert
		{field: "Mutation.deleteAcmeAccount", query: `mutation { deleteAcmeAccount(id: "999999") }`, cs: wrongServer, ss: allow(so, ro)},
		// Not in permissions.yml: X-Road's "download configuration now" is a
		// diagnostics action; Roadreg gives it to the roles that manage the
		// anchor.
		{field: "Mutation.refreshGlobalConfiguration", query: `mutation { refreshGlobalConfiguration { version } }`, cs: wrongServer, ss: allow(so, sa)},
		// Unregistering and deleting (UG-SS §5.6, §5.7), late: they remove
		// what they are called on. send_auth_cert_del_req; delete_auth_cert
		// or delete_sign_cert by the certificate's or CSR's usage;
		// delete_key, delete_auth_key or delete_sign_key by the key's.
		{field: "Mutation.deleteCertificate", name: "authentication certificate", query: `mutation($c: ID!) { deleteCertificate(certificateId: $c) }`, vars: map[string]any{"c": ids.authCert},
			cs: wrongServer, ss: allow(so)},
		{field: "Mutation.unregisterAuthCertificate", query: `mutation($c: ID!) { unregisterAuthCertificate(certificateId: $c) { id } }`, vars: map[string]any{"c": ids.authCert},
			cs: wrongServer, ss: allow(so)},
		{field: "Mutation.markAuthCertForDeletion", query: `mutation($c: ID!) { markAuthCertForDeletion(certificateId: $c) { id } }`, vars: map[string]any{"c": ids.authCert},
			cs: wrongServer, ss: allow(so)},
		{field: "Mutation.deleteCertificate", name: "signing certificate", query: `mutation($c: ID!) { deleteCertificate(certificateId: $c) }`, vars: map[string]any{"c": ids.spareSignCert},
			own: map[viewer.Role]map[string]any{ro: {"c": ids.spareSignCert2}}, cs: wrongServer, ss: allow(so, ro)},
		{field: "Mutation.deleteCsr", name: "authentication CSR", query: `mutation($c: ID!) { deleteCsr(csrId: $c) }`, vars: map[string]any{"c": ids.authCSR},
			cs: wrongServer, ss: allow(so)},
		{field: "Mutation.deleteCsr", name: "signing CSR", query: `mutation($c: ID!) { deleteCsr(csrId: $c) }`, vars: map[string]any{"c": ids.signCSR},
			own: map[viewer.Role]map[string]any{ro: {"c": ids.signCSR2}}, cs: wrongServer, ss: allow(so, ro)},
		{field: "Mutation.deleteKey", name: "authentication key", query: `mutation($k: ID!) { deleteKey(keyId: $k) }`, vars: map[string]any{"k": ids.authKey},
			cs: wrongServer, ss: allow(so)},
		{field: "Mutation.deleteKey", name: "signing key", query: `mutation($k: ID!) { deleteKey(keyId: $k) }`, vars: map[string]any{"k": ids.signKey},
			own: map[viewer.Role]map[string]any{ro: {"k": ids.signKey2}}, cs: wrongServer, ss: allow(so, ro)},
		{field: "Mutation.deleteKey", name: "key of undefined usage", query: `mutation($k: ID!) { deleteKey(keyId: $k) }`, vars: map[string]any{"k": ids.plainKey},
			own: map[viewer.Role]map[string]any{ro: {"k": ids.plainKey2}}, cs: wrongServer, ss: allow(so, ro)},
		// Last: the token must stay logged in for the operations above.
		{field: "Mutation.loginToken", query: `mutation($t: ID!) { loginToken(tokenId: $t, pin: "wrong") { id } }`, vars: map[string]any{"t": ids.token}, cs: wrongServer, ss: allow(so, sa)}, // activate_deactivate_token
		{field: "Mutation.logoutToken", query: `mutation($t: ID!) { logoutToken(tokenId: $t) { id } }`, vars: map[string]any{"t": ids.token}, cs: wrongServer, ss: allow(so, sa)},

		// Users, sessions and API keys (both kinds of server), system
		// administrators only: X-Road's VIEW_API_KEYS, CREATE_API_KEY,
		// UPDATE_API_KEY, REVOKE_API_KEY; for users and sessions the
		// security server's view_admin_users, add_admin_user and
		// update_admin_user (the central server's in upper case).
		{field: "Query.users", query: `{ users { id } }`, cs: allow(sa), ss: allow(sa)},
		{field: "Query.sessions", query: `{ sessions { id } }`, cs: allow(sa), ss: allow(sa)},
		{field: "Query.apiKeys", query: `{ apiKeys { id } }`, cs: allow(sa), ss: allow(sa)},
		{field: "Mutation.addUser", query: `mutation { addUser(input: {username: "matrix", password: "short", roles: [SECURITY_OFFICER]}) { id } }`, cs: allow(sa), ss: allow(sa)},
		{field: "Mutation.disableUser", query: `mutation { disableUser(id: "1") { id } }`, cs: allow(sa), ss: allow(sa)},
		{field: "Mutation.enableUser", query: `mutation { enableUser(id: "1") { id } }`, cs: allow(sa), ss: allow(sa)},
		{field: "Mutation.setUserRoles", query: `mutation { setUserRoles(id: "1", roles: [SECURITY_OFFICER]) { id } }`, cs: allow(sa), ss: allow(sa)},
		{field: "Mutation.resetUserPassword", query: `mutation { resetUserPassword(id: "1", password: "short") { id } }`, cs: allow(sa), ss: allow(sa)},
		{field: "Mutation.endSession", query: `mutation { endSession(id: "1") }`, cs: allow(sa), ss: allow(sa)},
		{field: "Mutation.createApiKey", query: `mutation { createApiKey(roles: []) { key } }`, cs: allow(sa), ss: allow(sa)},
		{field: "Mutation.updateApiKey", query: `mutation { updateApiKey(id: "999999", roles: [SECURITY_OFFICER]) { id } }`, cs: allow(sa), ss: allow(sa)},
		{field: "Mutation.revokeApiKey", query: `mutation { revokeApiKey(id: "999999") { id } }`, cs: allow(sa), ss: allow(sa)},
		// Every logged-in user changes their own password; an API key has
		// none.
		{field: "Mutation.changePassword", query: `mutation { changePassword(currentPassword: "not the password", newPassword: "a new password") }`,
			cs: csAnyRole, ss: ssAnyRole, sessionOnly: true},
	}
}

// matrixSubscriptions lists every subscription with its roles.
var matrixSubscriptions = []matrixOp{
	{field: "Subscription.authCertificateRegistered", query: `subscription { authCertificateRegistered { id } }`, cs: wrongServer, ss: allow(so, ro, sa, obs)}, // view_keys
	{field: "Subscription.certificateStatusChanged", query: `subscription { certificateStatusChanged { id } }`, cs: wrongServer, ss: allow(so, ro, sa, obs)},   // view_keys
	{field: "Subscription.certificateRenewal", query: `subscription { certificateRenewal { kind message } }`, cs: wrongServer, ss: allow(so, ro, sa, obs)},     // view_keys
	{field: "Subscription.managementRequestChanged", query: `subscription { managementRequestChanged { id } }`, cs: allow(ro), ss: wrongServer},                // VIEW_MANAGEMENT_REQUESTS
	{field: "Subscription.tokenChanged", query: `subscription { tokenChanged { id loggedIn } }`, cs: wrongServer, ss: allow(so, ro, sa, obs)},                  // view_keys
	{field: "Subscription.globalConfigurationChanged", query: `subscription { globalConfigurationChanged { instanceIdentifier } }`, cs: csAnyRole, ss: ssAnyRole},
}

// matrixServer is one server with an API-key client per role (and, for
// operations of logged-in users, a session per role).
type matrixServer struct {
	role     viewer.ServerRole
	srv      *testServer
	clients  map[viewer.Role]*gqlClient
	sessions map[viewer.Role]*gqlClient
}

func newMatrixServer(t *testing.T, srv *testServer) *matrixServer {
	m := &matrixServer{role: srv.app.cfg.Role, srv: srv, clients: map[viewer.Role]*gqlClient{}}
	for _, r := range viewer.RolesOf(m.role) {
		m.clients[r] = srv.apiKeyClient(t, r)
	}
	return m
}

func (m *matrixServer) access(op matrixOp) access {
	if m.role == viewer.Central {
		return op.cs
	}
	return op.ss
}

// check calls op as every role and anonymously and compares the outcome
// with a.
func (m *matrixServer) check(t *testing.T, op matrixOp) {
	t.Helper()
	a := m.access(op)
	anon := m.srv.anonymous().do(t, op.query, op.vars)
	switch {
	case a.public:
		if len(anon.Errors) > 0 {
			t.Errorf("anonymous: %s, want an answer", anon.raw)
		}
	case anon.code() != xroad.CodeUnauthenticated:
		t.Errorf("anonymous: got %q, want UNAUTHENTICATED: %s", anon.code(), anon.raw)
	}
	// The roles that must be refused go first, so that an allowed call
	// that removes the object cannot hide a refusal behind NOT_FOUND.
	roles := slices.Clone(viewer.RolesOf(m.role))
	slices.SortStableFunc(roles, func(x, y viewer.Role) int {
		return boolInt(slices.Contains(a.roles, x)) - boolInt(slices.Contains(a.roles, y))
	})
	for _, role := range roles {
		client := m.clients[role]
		if op.sessionOnly {
			if r := client.do(t, op.query, op.vars); r.code() != xroad.CodeForbidden && !a.wrong {
				t.Errorf("API key with %s: got %q, want FORBIDDEN: %.300s", role, r.code(), r.raw)
			}
			client = m.session(t, role)
		}
		vars, own := op.own[role]
		if own = own && !a.wrong && slices.Contains(a.roles, role); !own {
			vars = op.vars
		}
		r := client.do(t, op.query, vars)
		checkOutcome(t, string(role), a, role, r.code(), r.raw)
		if own && len(r.Errors) > 0 {
			t.Errorf("%s on its own object: %.300s, want success", role, r.raw)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// session returns a client logged in as a user holding only role.
func (m *matrixServer) session(t *testing.T, role viewer.Role) *gqlClient {
	if m.sessions == nil {
		m.sessions = map[viewer.Role]*gqlClient{}
	}
	if m.sessions[role] == nil {
		m.sessions[role] = m.srv.user(t, "matrix-"+strings.ToLower(string(role)), role)
	}
	return m.sessions[role]
}

// checkOutcome compares the error code one role got with the access rule.
func checkOutcome(t *testing.T, who string, a access, role viewer.Role, code, raw string) {
	t.Helper()
	switch {
	case a.wrong:
		if code != xroad.CodeWrongServerRole {
			t.Errorf("%s: got %q, want WRONG_SERVER_ROLE: %.300s", who, code, raw)
		}
	case a.public || slices.Contains(a.roles, role):
		if code == xroad.CodeForbidden || code == xroad.CodeUnauthenticated || code == xroad.CodeWrongServerRole {
			t.Errorf("%s: got %s, want to be allowed: %.300s", who, code, raw)
		}
	default:
		if code != xroad.CodeForbidden {
			t.Errorf("%s: got %q, want FORBIDDEN: %.300s", who, code, raw)
		}
	}
}

// schemaRootFields lists the fields of Query, Mutation and Subscription in
// graph/*.graphql.
func schemaRootFields(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "graph", "*.graphql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schema files in ../graph: %v", err)
	}
	var sources []*ast.Source
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: f, Input: string(b)})
	}
	schema, err := gqlparser.LoadSchema(sources...)
	if err != nil {
		t.Fatalf("parsing the schema: %v", err)
	}
	var fields []string
	for _, root := range []*ast.Definition{schema.Query, schema.Mutation, schema.Subscription} {
		if root == nil {
			continue
		}
		for _, f := range root.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				fields = append(fields, root.Name+"."+f.Name)
			}
		}
	}
	sort.Strings(fields)
	return fields
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the authorisation matrix sets up both kinds of server")
	}
	// The central server: initialised, with an approved CA.
	ce := newCentral(t)
	var lists struct {
		Members struct {
			Edges []struct{ Node struct{ ID string } }
		}
		ApprovedCertificationServices []struct{ ID string }
	}
	ce.sysadmin.ok(t, `{ approvedCertificationServices { id } }`, nil, &lists)
	ce.regoff.ok(t, `{ members(first: 1) { edges { node { id } } } }`, nil, &lists)
	ids := matrixIDs{member: lists.Members.Edges[0].Node.ID, ca: lists.ApprovedCertificationServices[0].ID}

	// The security server: initialised, the owner's signing certificate
	// and a saved authentication certificate, a timestamping service.
	// The renewal job announces every active certificate as expiring soon
	// (certificateRenewal).
	se := newSSEnv(t, func(c *config) {
		c.ACMERenewal, c.RenewalInterval, c.RenewBefore = true, 200*time.Millisecond, 100*365*24*time.Hour
	})
	se.initialize(t)
	tok := se.token(t, "SOFTWARE")
	signCert := se.certify(t, se.generateKey(t, tok.ID, "sign", "EC").ID, "SIGNING")
	authCert := se.certify(t, se.generateKey(t, tok.ID, "auth", "EC").ID, "AUTHENTICATION")
	var tsp struct{ AddTimestampingService struct{ ID string } }
	se.officer.ok(t, `mutation($n: String!, $u: String!) { addTimestampingService(name: $n, url: $u) { id } }`,
		map[string]any{"n": fcsTSAName, "u": se.cs.ca.TSAURL()}, &tsp)
	ids.token, ids.tsp = gidString(tok.ID), tsp.AddTimestampingService.ID
	ids.signCert, ids.authCert = gidString(signCert.ID), gidString(authCert.ID)
	ids.signCertPEM, ids.authCertPEM, ids.signCertHash = signCert.PEM, authCert.PEM, signCert.Sha256
	ids.spareSignCert = gidString(se.certify(t, se.generateKey(t, tok.ID, "spare sign", "EC").ID, "SIGNING").ID)
	signCSR := se.generateCSR(t, se.generateKey(t, tok.ID, "sign csr", "EC").ID, "SIGNING")
	authCSR := se.generateCSR(t, se.generateKey(t, tok.ID, "auth csr", "EC").ID, "AUTHENTICATION")
	ids.signCSR, ids.authCSR = gidString(signCSR.ID), gidString(authCSR.ID)
	ids.signKey, ids.authKey = gidString(signCSR.Key.ID), gidString(authCSR.Key.ID)
	ids.plainKey = gidString(se.generateKey(t, tok.ID, "plain", "EC").ID)
	ids.spareSignCert2 = gidString(se.certify(t, se.generateKey(t, tok.ID, "spare sign 2", "EC").ID, "SIGNING").ID)
	signCSR2 := se.generateCSR(t, se.generateKey(t, tok.ID, "sign csr 2", "EC").ID, "SIGNING")
	ids.signCSR2, ids.signKey2 = gidString(signCSR2.ID), gidString(signCSR2.Key.ID)
	ids.plainKey2 = gidString(se.generateKey(t, tok.ID, "plain 2", "EC").ID)

	servers := []*matrixServer{newMatrixServer(t, ce.srv), newMatrixServer(t, se.srv)}
	ops := matrixOps(ids)

	// Every operation of the schema is in the matrix, and nothing else.
	covered := map[string]bool{}
	for _, op := range append(slices.Clone(ops), matrixSubscriptions...) {
		covered[op.field] = true
	}
	for _, f := range schemaRootFields(t) {
		if !covered[f] {
			t.Errorf("%s is not in the authorisation matrix: add it with the roles X-Road's permissions.yml gives", f)
		}
		delete(covered, f)
	}
	for f := range covered {
		t.Errorf("the matrix lists %s, which is not in the schema", f)
	}

	t.Run("subscriptions", func(t *testing.T) {
		for _, m := range servers {
			t.Run(strings.ToLower(string(m.role)), func(t *testing.T) { m.checkSubscriptions(t, ce, se, ids.authCert) })
		}
	})
	// The first anchor upload is initialisation: init_config only.
	t.Run("Mutation.uploadAnchor/first upload", func(t *testing.T) {
		empty := newMatrixServer(t, startServer(t, viewer.Security))
		empty.check(t, matrixOp{field: "Mutation.uploadAnchor", query: `mutation { uploadAnchor(anchor: "<configurationAnchor/>") { hash } }`, ss: allow(sa)})
	})
	for _, op := range ops {
		name := op.field
		if op.name != "" {
			name += "/" + op.name
		}
		t.Run(name, func(t *testing.T) {
			for _, m := range servers {
				m.check(t, op)
			}
		})
	}
}

// checkSubscriptions subscribes every role to every subscription, makes
// each subscription's event happen, and expects an event for the allowed
// roles and FORBIDDEN (or WRONG_SERVER_ROLE) for the others; anonymous
// websockets are closed with 4403.
func (m *matrixServer) checkSubscriptions(t *testing.T, ce *centralEnv, se *ssEnv, authCert string) {
	anon, _, err := m.srv.anonymous().dialWS(t, wsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := anon.waitAck(t); !isClose(err, 4403) {
		t.Errorf("anonymous websocket: got %v, want close 4403", err)
	}
	type sub struct {
		op   matrixOp
		role viewer.Role
		s    *subscription
	}
	var subs []sub
	for _, op := range matrixSubscriptions {
		for _, role := range viewer.RolesOf(m.role) {
			s, _, err := m.clients[role].dialWS(t, wsOptions{bearer: m.clients[role].bearer})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.waitAck(t); err != nil {
				t.Fatal(err)
			}
			s.start(t, op.query, nil)
			subs = append(subs, sub{op, role, s})
		}
	}
	// Refused subscriptions answer at once; wait for every allowed one to
	// be registered with the broker before making the events happen.
	waitFor(t, 10*time.Second, "the allowed subscriptions to start", func() bool {
		n := 0
		for _, topic := range []string{events.AuthCertificateRegistered, events.CertificateChanged, events.CertificateRenewal,
			events.ManagementRequestChanged, events.TokenChanged, events.GlobalConfChanged} {
			n += m.srv.app.events.Subscribers(topic)
		}
		want := 0
		for _, s := range subs {
			if a := m.access(s.op); !a.wrong && slices.Contains(a.roles, s.role) {
				want++
			}
		}
		return n >= want
	})
	if m.role == viewer.Central {
		// A management request (managementRequestChanged) and a new
		// version (globalConfigurationChanged).
		_, cert := ce.pki.authCert(t, xroad.ServerID{Owner: xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"}, ServerCode: "SUB1"})
		m.clients[ro].ok(t, qAddOwned, map[string]any{"m": "DEV/GOV/1234", "s": "SUB1", "c": pemCert(cert.Raw)}, nil)
		m.clients[so].ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	} else {
		// Registration of the authentication certificate, approved by the
		// central server: the certificate changes status, becomes
		// REGISTERED, and a new configuration version arrives.
		var reg struct{ RegisterAuthCertificate certNode }
		se.officer.ok(t, qRegister, map[string]any{"id": authCert, "a": "ss1.example.org"}, &reg)
		se.cs.approve(*reg.RegisterAuthCertificate.ManagementRequestID)
		// Logging out of the token and in again (tokenChanged).
		tok := se.token(t, "SOFTWARE")
		se.officer.ok(t, qLogout, map[string]any{"id": tok.ID}, nil)
		se.officer.ok(t, qLogin, map[string]any{"id": tok.ID, "pin": "1234"}, nil)
		// A new active certificate, which the renewal job announces as
		// expiring (certificateRenewal).
		se.certify(t, se.generateKey(t, tok.ID, "expiring sign", "EC").ID, "SIGNING")
	}
	for _, s := range subs {
		a := m.access(s.op)
		code, data := firstMessage(t, s.s, 20*time.Second)
		who := string(s.role) + " on " + s.op.field
		checkOutcome(t, who, a, s.role, code, data)
		if code == "" && !strings.Contains(data, "{") {
			t.Errorf("%s: no event data: %s", who, data)
		}
	}
}

// firstMessage waits for a subscription's first event or error and returns
// the error code ("" for an event) and the message as JSON.
func firstMessage(t *testing.T, s *subscription, timeout time.Duration) (string, string) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case m, ok := <-s.msgs:
			if !ok {
				return "CLOSED", "the websocket closed"
			}
			raw, _ := json.Marshal(m)
			switch m["type"] {
			case "next", "data", "error":
				var msg struct {
					Payload json.RawMessage
				}
				_ = json.Unmarshal(raw, &msg)
				var errs []gqlError
				if m["type"] == "error" {
					_ = json.Unmarshal(msg.Payload, &errs)
				} else {
					var p struct{ Errors []gqlError }
					_ = json.Unmarshal(msg.Payload, &p)
					errs = p.Errors
				}
				if len(errs) > 0 {
					c, _ := errs[0].Extensions["code"].(string)
					return c, string(raw)
				}
				return "", string(raw)
			}
		case <-deadline:
			return "TIMEOUT", "no event within " + timeout.String()
		}
	}
}

func isClose(err error, code int) bool {
	var ce *websocket.CloseError
	return asCloseError(err, &ce) && ce.Code == code
}

func gidString(g gid) string { return strconv.Itoa(int(g)) }
