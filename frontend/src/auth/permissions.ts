import { computed, type ComputedRef } from 'vue'
import type { Role } from '@/gql/graphql'
import { useSession } from './session'

/**
 * The central-server permissions the SPA checks (X-Road names,
 * from X-Road's permissions.yml). Which roles hold them is the server's business: the SPA learns the
 * user's own permissions from `me { permissions }`.
 */
export const centralPermissions = [
  'INIT_CONFIG',
  'VIEW_MEMBER_CLASSES',
  'ADD_MEMBER_CLASS',
  'ADD_NEW_MEMBER',
  'VIEW_MEMBERS',
  'VIEW_SECURITY_SERVERS',
  'ADD_AUTH_CERT_REGISTRATION_REQUEST',
  'VIEW_MANAGEMENT_REQUESTS',
  'APPROVE_AUTH_CERT_REGISTRATION_REQUEST',
  'REVOKE_AUTH_CERT_REGISTRATION_REQUEST',
  'DELETE_SECURITY_SERVER_AUTH_CERT',
  'VIEW_APPROVED_CAS',
  'ADD_APPROVED_CA',
  'EDIT_APPROVED_CA',
  'VIEW_APPROVED_TSAS',
  'ADD_APPROVED_TSA',
  'VIEW_GLOBAL_CONFIGURATION',
  'GENERATE_GLOBAL_CONFIGURATION',
  'DOWNLOAD_SOURCE_ANCHOR',
  'ACTIVATE_TOKEN',
  'VIEW_AUDIT_LOG',
  'VIEW_API_KEYS',
  'CREATE_API_KEY',
  'UPDATE_API_KEY',
  'REVOKE_API_KEY',
  'VIEW_ADMIN_USERS',
  'ADD_ADMIN_USER',
  'UPDATE_ADMIN_USER',
] as const

/** The security-server permissions the SPA checks (X-Road's permissions.yml). */
export const securityPermissions = [
  'init_config',
  'view_anchor',
  'view_tsps',
  'add_tsp',
  'delete_tsp',
  'view_keys',
  'activate_deactivate_token',
  'update_token_pin',
  'generate_key',
  'generate_auth_cert_req',
  'generate_sign_cert_req',
  'import_auth_cert',
  'import_sign_cert',
  'send_auth_cert_reg_req',
  'send_auth_cert_del_req',
  'delete_key',
  'delete_auth_key',
  'delete_sign_key',
  'delete_auth_cert',
  'delete_sign_cert',
  'activate_disable_auth_cert',
  'activate_disable_sign_cert',
  'view_clients',
  'view_approved_certificate_authorities',
  'refresh_global_conf',
  'diagnostics',
  'view_audit_log',
  'view_api_keys',
  'create_api_key',
  'update_api_key',
  'revoke_api_key',
  'view_admin_users',
  'add_admin_user',
  'update_admin_user',
] as const

/** An X-Road permission name the SPA checks (either server role). */
export type Permission = (typeof centralPermissions)[number] | (typeof securityPermissions)[number]

/** One permission, or several of which any one suffices. */
export type PermissionRequirement = Permission | readonly Permission[]

/** Reports whether the user holds the permission (any one of a list; an empty list needs nothing). */
export type Can = (required: PermissionRequirement) => boolean

/**
 * Returns the permission check for a user holding `held` (the names from
 * `me.permissions`). Nothing held (signed out, not yet loaded) grants nothing.
 */
export function permissionChecker(held: readonly string[] | null | undefined): Can {
  const set = new Set(held ?? [])
  return (required) => {
    const list: readonly Permission[] = typeof required === 'string' ? [required] : required
    return list.length === 0 || list.some((permission) => set.has(permission))
  }
}

/** Permission checks for the signed-in user on this server. */
export interface Access {
  /** The user's roles (empty when signed out), for display. */
  roles: ComputedRef<readonly Role[]>
  /** Whether the user holds the permission (any one of a list). */
  can: Can
}

/**
 * Returns permission checks for the signed-in user, reactive to the session.
 * Use them to hide or disable controls; the server still enforces every
 * permission.
 */
export function useAccess(): Access {
  const session = useSession()
  const roles = computed<readonly Role[]>(() => session.state.user?.roles ?? [])
  const check = computed(() => permissionChecker(session.state.user?.permissions))
  return { roles, can: (required) => check.value(required) }
}
