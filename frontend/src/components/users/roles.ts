import type { Role, ServerRole } from '@/gql/graphql'

const centralRoles: readonly Role[] = ['SECURITY_OFFICER', 'REGISTRATION_OFFICER', 'SYSTEM_ADMINISTRATOR']
const securityRoles: readonly Role[] = [
  'SECURITY_OFFICER',
  'REGISTRATION_OFFICER',
  'SERVICE_ADMINISTRATOR',
  'SYSTEM_ADMINISTRATOR',
  'SECURITYSERVER_OBSERVER',
]

/**
 * The roles users and API keys can hold on a server of `role` (X-Road's: a
 * central server has no service administrators or observers). None until
 * the role is known.
 */
export function rolesOf(role: ServerRole | undefined): readonly Role[] {
  if (role === 'CENTRAL') return centralRoles
  if (role === 'SECURITY') return securityRoles
  return []
}

/** Keeps the roles of `roles` that `role` has, in the server's order. */
export function validRoles(role: ServerRole | undefined, roles: readonly Role[]): Role[] {
  return rolesOf(role).filter((r) => roles.includes(r))
}
