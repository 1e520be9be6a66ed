import type { Role, ServerRole } from '@/gql/graphql'

/**
 * Which roles hold each X-Road permission, per server role: a copy of the
 * server's table (internal/viewer/permissions.go, xroad-reference.md
 * §1.2–1.3). The SPA uses it only to hide or disable what a user may not do;
 * the server enforces it. A unit test compares it with the Go source.
 */
export const permissionTable: Readonly<Record<ServerRole, Readonly<Record<string, readonly Role[]>>>> = {
  CENTRAL: {
    INIT_CONFIG: ['SYSTEM_ADMINISTRATOR', 'SECURITY_OFFICER'],
    VIEW_MEMBER_CLASSES: ['SECURITY_OFFICER', 'REGISTRATION_OFFICER'],
    ADD_MEMBER_CLASS: ['SECURITY_OFFICER'],
    ADD_NEW_MEMBER: ['REGISTRATION_OFFICER'],
    VIEW_MEMBERS: ['REGISTRATION_OFFICER'],
    VIEW_SECURITY_SERVERS: ['REGISTRATION_OFFICER'],
    ADD_AUTH_CERT_REGISTRATION_REQUEST: ['REGISTRATION_OFFICER'],
    VIEW_MANAGEMENT_REQUESTS: ['REGISTRATION_OFFICER'],
    APPROVE_AUTH_CERT_REGISTRATION_REQUEST: ['REGISTRATION_OFFICER'],
    REVOKE_AUTH_CERT_REGISTRATION_REQUEST: ['REGISTRATION_OFFICER'],
    VIEW_APPROVED_CAS: ['SYSTEM_ADMINISTRATOR'],
    ADD_APPROVED_CA: ['SYSTEM_ADMINISTRATOR'],
    VIEW_APPROVED_TSAS: ['SYSTEM_ADMINISTRATOR'],
    ADD_APPROVED_TSA: ['SYSTEM_ADMINISTRATOR'],
    VIEW_GLOBAL_CONFIGURATION: ['SECURITY_OFFICER', 'SYSTEM_ADMINISTRATOR', 'REGISTRATION_OFFICER'],
    GENERATE_GLOBAL_CONFIGURATION: ['SECURITY_OFFICER', 'SYSTEM_ADMINISTRATOR'],
    DOWNLOAD_SOURCE_ANCHOR: ['SECURITY_OFFICER'],
    ACTIVATE_TOKEN: ['SYSTEM_ADMINISTRATOR', 'SECURITY_OFFICER'],
    VIEW_AUDIT_LOG: ['SECURITY_OFFICER', 'REGISTRATION_OFFICER', 'SYSTEM_ADMINISTRATOR'],
  },
  SECURITY: {
    init_config: ['SYSTEM_ADMINISTRATOR'],
    upload_anchor: ['SECURITY_OFFICER', 'SYSTEM_ADMINISTRATOR'],
    view_anchor: ['SECURITY_OFFICER', 'SYSTEM_ADMINISTRATOR', 'SECURITYSERVER_OBSERVER'],
    view_tsps: ['SECURITY_OFFICER', 'SYSTEM_ADMINISTRATOR', 'SECURITYSERVER_OBSERVER'],
    add_tsp: ['SECURITY_OFFICER'],
    view_keys: ['SECURITY_OFFICER', 'REGISTRATION_OFFICER', 'SYSTEM_ADMINISTRATOR', 'SECURITYSERVER_OBSERVER'],
    activate_deactivate_token: ['SECURITY_OFFICER', 'SYSTEM_ADMINISTRATOR'],
    generate_key: ['SECURITY_OFFICER', 'REGISTRATION_OFFICER'],
    generate_auth_cert_req: ['SECURITY_OFFICER'],
    generate_sign_cert_req: ['SECURITY_OFFICER', 'REGISTRATION_OFFICER'],
    import_auth_cert: ['SECURITY_OFFICER'],
    import_sign_cert: ['SECURITY_OFFICER', 'REGISTRATION_OFFICER'],
    send_auth_cert_reg_req: ['SECURITY_OFFICER'],
    activate_disable_auth_cert: ['SECURITY_OFFICER'],
    activate_disable_sign_cert: ['SECURITY_OFFICER', 'REGISTRATION_OFFICER'],
    view_clients: ['SECURITY_OFFICER', 'REGISTRATION_OFFICER', 'SERVICE_ADMINISTRATOR', 'SECURITYSERVER_OBSERVER'],
    view_approved_certificate_authorities: [
      'REGISTRATION_OFFICER',
      'SECURITY_OFFICER',
      'SECURITYSERVER_OBSERVER',
      'SYSTEM_ADMINISTRATOR',
    ],
    view_global_conf: [
      'SECURITY_OFFICER',
      'REGISTRATION_OFFICER',
      'SERVICE_ADMINISTRATOR',
      'SYSTEM_ADMINISTRATOR',
      'SECURITYSERVER_OBSERVER',
    ],
    refresh_global_conf: ['SECURITY_OFFICER', 'SYSTEM_ADMINISTRATOR'],
    view_audit_log: [
      'SECURITY_OFFICER',
      'REGISTRATION_OFFICER',
      'SERVICE_ADMINISTRATOR',
      'SYSTEM_ADMINISTRATOR',
      'SECURITYSERVER_OBSERVER',
    ],
  },
}

/** One permission name, or several of which any one suffices. */
export type PermissionRequirement = string | readonly string[]

/**
 * Reports whether a user holding `roles` on a server of `serverRole` has the
 * permission (or, for a list, at least one of them). Unknown permissions and
 * an unknown server role grant nothing; an empty list needs nothing.
 */
export function hasPermission(
  serverRole: ServerRole | null | undefined,
  roles: readonly Role[],
  required: PermissionRequirement,
): boolean {
  const list = typeof required === 'string' ? [required] : required
  if (list.length === 0) return true
  if (!serverRole) return false
  const table = permissionTable[serverRole]
  return list.some((permission) => (table[permission] ?? []).some((role) => roles.includes(role)))
}
