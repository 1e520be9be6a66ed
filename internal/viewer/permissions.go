package viewer

import "sort"

// Role is an X-Road user role (UG-SS and UG-CS, User Roles). The GraphQL
// enum Role has the same values.
type Role string

// Roles. The names drop X-Road's XROAD_ prefix.
const (
	SecurityOfficer        Role = "SECURITY_OFFICER"
	RegistrationOfficer    Role = "REGISTRATION_OFFICER"
	ServiceAdministrator   Role = "SERVICE_ADMINISTRATOR"
	SystemAdministrator    Role = "SYSTEM_ADMINISTRATOR"
	SecurityServerObserver Role = "SECURITYSERVER_OBSERVER"
)

// AllRoles lists every role.
var AllRoles = []Role{SecurityOfficer, RegistrationOfficer, ServiceAdministrator, SystemAdministrator, SecurityServerObserver}

// RolesOf lists the roles a user can hold on a server of the given role.
func RolesOf(s ServerRole) []Role {
	if s == Central {
		return []Role{SecurityOfficer, RegistrationOfficer, SystemAdministrator}
	}
	return AllRoles
}

// ParseRole returns the role named s (with or without the XROAD_ prefix).
func ParseRole(s string) (Role, bool) {
	if len(s) > 6 && s[:6] == "XROAD_" {
		s = s[6:]
	}
	for _, r := range AllRoles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// Permission is one X-Road permission (permissions.yml of either server).
type Permission string

// Permissions of the central server (X-Road's permissions.yml).
const (
	CSInitConfig             Permission = "INIT_CONFIG"
	CSViewMemberClasses      Permission = "VIEW_MEMBER_CLASSES"
	CSAddMemberClass         Permission = "ADD_MEMBER_CLASS"
	CSAddMember              Permission = "ADD_NEW_MEMBER"
	CSViewMembers            Permission = "VIEW_MEMBERS"
	CSViewSecurityServers    Permission = "VIEW_SECURITY_SERVERS"
	CSAddAuthCertRegRequest  Permission = "ADD_AUTH_CERT_REGISTRATION_REQUEST"
	CSViewManagementRequests Permission = "VIEW_MANAGEMENT_REQUESTS"
	CSApproveAuthCertReg     Permission = "APPROVE_AUTH_CERT_REGISTRATION_REQUEST"
	CSRevokeAuthCertReg      Permission = "REVOKE_AUTH_CERT_REGISTRATION_REQUEST"
	// CSDeleteServerAuthCert deletes an authentication certificate of a
	// security server (UG-CS §8.4).
	CSDeleteServerAuthCert Permission = "DELETE_SECURITY_SERVER_AUTH_CERT"
	CSViewApprovedCAs      Permission = "VIEW_APPROVED_CAS"
	CSAddApprovedCA        Permission = "ADD_APPROVED_CA"
	CSEditApprovedCA       Permission = "EDIT_APPROVED_CA"
	CSViewApprovedTSAs     Permission = "VIEW_APPROVED_TSAS"
	CSAddApprovedTSA       Permission = "ADD_APPROVED_TSA"
	CSViewGlobalConf       Permission = "VIEW_GLOBAL_CONFIGURATION"
	CSGenerateGlobalConf   Permission = "GENERATE_GLOBAL_CONFIGURATION"
	CSDownloadSourceAnchor Permission = "DOWNLOAD_SOURCE_ANCHOR"
	CSActivateToken        Permission = "ACTIVATE_TOKEN"
	CSViewAuditLog         Permission = "VIEW_AUDIT_LOG"
	// CSViewSystemSettings also guards appointing the management service
	// provider, as in X-Road (UG-CS §4.2.1: Security Officer).
	CSViewSystemSettings Permission = "VIEW_SYSTEM_SETTINGS"
	// API keys, as in X-Road's central server.
	CSViewAPIKeys  Permission = "VIEW_API_KEYS"
	CSCreateAPIKey Permission = "CREATE_API_KEY"
	CSUpdateAPIKey Permission = "UPDATE_API_KEY"
	CSRevokeAPIKey Permission = "REVOKE_API_KEY"
	// Users and their sessions. X-Road's central server has no such
	// permissions (its users are the operating system's); Roadreg uses the
	// security server's names in the central server's spelling.
	CSViewUsers  Permission = "VIEW_ADMIN_USERS"
	CSAddUser    Permission = "ADD_ADMIN_USER"
	CSUpdateUser Permission = "UPDATE_ADMIN_USER"
)

// Permissions of the security server (X-Road's permissions.yml).
const (
	SSInitConfig         Permission = "init_config"
	SSUploadAnchor       Permission = "upload_anchor"
	SSViewAnchor         Permission = "view_anchor"
	SSViewTSPs           Permission = "view_tsps"
	SSAddTSP             Permission = "add_tsp"
	SSDeleteTSP          Permission = "delete_tsp"
	SSViewKeys           Permission = "view_keys"
	SSActivateToken      Permission = "activate_deactivate_token"
	SSUpdateTokenPIN     Permission = "update_token_pin"
	SSGenerateKey        Permission = "generate_key"
	SSGenerateAuthCSR    Permission = "generate_auth_cert_req"
	SSGenerateSignCSR    Permission = "generate_sign_cert_req"
	SSImportAuthCert     Permission = "import_auth_cert"
	SSImportSignCert     Permission = "import_sign_cert"
	SSSendAuthCertRegReq Permission = "send_auth_cert_reg_req"
	SSSendAuthCertDelReq Permission = "send_auth_cert_del_req"
	SSDeleteKey          Permission = "delete_key"
	SSDeleteAuthKey      Permission = "delete_auth_key"
	SSDeleteSignKey      Permission = "delete_sign_key"
	SSDeleteAuthCert     Permission = "delete_auth_cert"
	SSDeleteSignCert     Permission = "delete_sign_cert"
	SSActivateAuthCert   Permission = "activate_disable_auth_cert"
	SSActivateSignCert   Permission = "activate_disable_sign_cert"
	SSViewClients        Permission = "view_clients"
	SSViewApprovedCAs    Permission = "view_approved_certificate_authorities"
	SSViewGlobalConf     Permission = "view_global_conf"
	SSRefreshGlobalConf  Permission = "refresh_global_conf"
	SSViewAuditLog       Permission = "view_audit_log"
	SSViewServerIdentity Permission = "view_security_servers"
	// SSDiagnostics reads the diagnostics page: configuration download,
	// timestamping, OCSP responders, the management service, the clock.
	SSDiagnostics Permission = "diagnostics"
	// API keys and users with their sessions (X-Road's security server
	// permissions.yml).
	SSViewAPIKeys  Permission = "view_api_keys"
	SSCreateAPIKey Permission = "create_api_key"
	SSUpdateAPIKey Permission = "update_api_key"
	SSRevokeAPIKey Permission = "revoke_api_key"
	SSViewUsers    Permission = "view_admin_users"
	SSAddUser      Permission = "add_admin_user"
	SSUpdateUser   Permission = "update_admin_user"
)

// Both roles: every signed-in user may read who they are and the server's
// basic information; that needs no permission.

var grants = map[ServerRole]map[Permission][]Role{
	Central: {
		CSInitConfig:             {SystemAdministrator, SecurityOfficer},
		CSViewMemberClasses:      {SecurityOfficer, RegistrationOfficer},
		CSAddMemberClass:         {SecurityOfficer},
		CSAddMember:              {RegistrationOfficer},
		CSViewMembers:            {RegistrationOfficer},
		CSViewSecurityServers:    {RegistrationOfficer},
		CSAddAuthCertRegRequest:  {RegistrationOfficer},
		CSViewManagementRequests: {RegistrationOfficer},
		CSApproveAuthCertReg:     {RegistrationOfficer},
		CSRevokeAuthCertReg:      {RegistrationOfficer},
		CSDeleteServerAuthCert:   {RegistrationOfficer},
		CSViewApprovedCAs:        {SystemAdministrator},
		CSAddApprovedCA:          {SystemAdministrator},
		CSEditApprovedCA:         {SystemAdministrator},
		CSViewApprovedTSAs:       {SystemAdministrator},
		CSAddApprovedTSA:         {SystemAdministrator},
		CSViewGlobalConf:         {SecurityOfficer, SystemAdministrator, RegistrationOfficer},
		CSGenerateGlobalConf:     {SecurityOfficer, SystemAdministrator},
		CSDownloadSourceAnchor:   {SecurityOfficer},
		CSActivateToken:          {SystemAdministrator, SecurityOfficer},
		CSViewAuditLog:           {SecurityOfficer, RegistrationOfficer, SystemAdministrator},
		CSViewSystemSettings:     {SecurityOfficer},
		CSViewAPIKeys:            {SystemAdministrator},
		CSCreateAPIKey:           {SystemAdministrator},
		CSUpdateAPIKey:           {SystemAdministrator},
		CSRevokeAPIKey:           {SystemAdministrator},
		CSViewUsers:              {SystemAdministrator},
		CSAddUser:                {SystemAdministrator},
		CSUpdateUser:             {SystemAdministrator},
	},
	Security: {
		SSInitConfig:         {SystemAdministrator},
		SSUploadAnchor:       {SecurityOfficer, SystemAdministrator},
		SSViewAnchor:         {SecurityOfficer, SystemAdministrator, SecurityServerObserver},
		SSViewTSPs:           {SecurityOfficer, SystemAdministrator, SecurityServerObserver},
		SSAddTSP:             {SecurityOfficer},
		SSDeleteTSP:          {SecurityOfficer},
		SSViewKeys:           {SecurityOfficer, RegistrationOfficer, SystemAdministrator, SecurityServerObserver},
		SSActivateToken:      {SecurityOfficer, SystemAdministrator},
		SSUpdateTokenPIN:     {SystemAdministrator},
		SSGenerateKey:        {SecurityOfficer, RegistrationOfficer},
		SSGenerateAuthCSR:    {SecurityOfficer},
		SSGenerateSignCSR:    {SecurityOfficer, RegistrationOfficer},
		SSImportAuthCert:     {SecurityOfficer},
		SSImportSignCert:     {SecurityOfficer, RegistrationOfficer},
		SSSendAuthCertRegReq: {SecurityOfficer},
		SSSendAuthCertDelReq: {SecurityOfficer},
		SSDeleteKey:          {SecurityOfficer, RegistrationOfficer},
		SSDeleteAuthKey:      {SecurityOfficer},
		SSDeleteSignKey:      {SecurityOfficer, RegistrationOfficer},
		SSDeleteAuthCert:     {SecurityOfficer},
		SSDeleteSignCert:     {SecurityOfficer, RegistrationOfficer},
		SSActivateAuthCert:   {SecurityOfficer},
		SSActivateSignCert:   {SecurityOfficer, RegistrationOfficer},
		SSViewClients:        {SecurityOfficer, RegistrationOfficer, ServiceAdministrator, SecurityServerObserver},
		SSViewApprovedCAs:    {RegistrationOfficer, SecurityOfficer, SecurityServerObserver, SystemAdministrator},
		SSViewGlobalConf:     {SecurityOfficer, RegistrationOfficer, ServiceAdministrator, SystemAdministrator, SecurityServerObserver},
		SSRefreshGlobalConf:  {SecurityOfficer, SystemAdministrator},
		SSViewAuditLog:       AllRoles,
		SSDiagnostics:        {SystemAdministrator, SecurityServerObserver},
		SSViewAPIKeys:        {SystemAdministrator},
		SSCreateAPIKey:       {SystemAdministrator},
		SSUpdateAPIKey:       {SystemAdministrator},
		SSRevokeAPIKey:       {SystemAdministrator},
		SSViewUsers:          {SystemAdministrator},
		SSAddUser:            {SystemAdministrator},
		SSUpdateUser:         {SystemAdministrator},
	},
}

func (p Permission) grantedTo(s ServerRole, r Role) bool {
	for _, g := range grants[s][p] {
		if g == r {
			return true
		}
	}
	return false
}

// RolesWith lists the roles that hold p on a server of role s (for tests and
// documentation).
func RolesWith(s ServerRole, p Permission) []Role { return grants[s][p] }

// Permissions lists every permission of a server role (for tests).
func Permissions(s ServerRole) []Permission {
	var ps []Permission
	for p := range grants[s] {
		ps = append(ps, p)
	}
	return ps
}

// ServerOf reports which server role a permission belongs to.
func ServerOf(p Permission) (ServerRole, bool) {
	for s, m := range grants {
		if _, ok := m[p]; ok {
			return s, true
		}
	}
	return "", false
}

// Permissions lists the permissions v holds on its server, sorted.
func (v *Viewer) Permissions() []string {
	if v == nil {
		return nil
	}
	var out []string
	for p := range grants[v.Server] {
		if v.Can(p) {
			out = append(out, string(p))
		}
	}
	sort.Strings(out)
	return out
}
