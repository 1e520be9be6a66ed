// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { permissionChecker, type Permission } from '@/auth/permissions'
import type { ServerRole } from '@/gql/graphql'
import { navigationFor } from './navigation'

function titles(role: ServerRole | undefined, permissions: readonly Permission[], initialized = true): string[] {
  return navigationFor({ role, initialized, can: permissionChecker(permissions) }).map((i) => i.titleKey)
}

describe('navigationFor', () => {
  it.each<{ name: string; role: ServerRole | undefined; permissions: Permission[]; want: string[] }>([
    {
      name: 'central: requests, members and the audit log',
      role: 'CENTRAL',
      permissions: ['VIEW_MANAGEMENT_REQUESTS', 'VIEW_MEMBERS', 'VIEW_MEMBER_CLASSES', 'VIEW_AUDIT_LOG'],
      want: ['nav.overview', 'nav.managementRequests', 'nav.members', 'nav.memberClasses', 'nav.globalConfiguration', 'nav.auditLog'],
    },
    {
      name: 'central: the security servers registry',
      role: 'CENTRAL',
      permissions: ['VIEW_SECURITY_SERVERS', 'VIEW_MEMBERS'],
      want: ['nav.overview', 'nav.members', 'nav.securityServers', 'nav.memberClasses', 'nav.globalConfiguration'],
    },
    {
      name: 'security: diagnostics for system administrators and observers',
      role: 'SECURITY',
      permissions: ['diagnostics', 'view_keys'],
      want: ['nav.overview', 'nav.keys', 'nav.acme', 'nav.diagnostics', 'nav.globalConfiguration'],
    },
    {
      name: 'central: trust services with either view permission',
      role: 'CENTRAL',
      permissions: ['VIEW_APPROVED_TSAS'],
      want: ['nav.overview', 'nav.trustServices', 'nav.globalConfiguration'],
    },
    {
      name: 'security: keys, ACME, timestamping and clients',
      role: 'SECURITY',
      permissions: ['view_keys', 'view_tsps', 'view_clients', 'view_audit_log'],
      want: ['nav.overview', 'nav.keys', 'nav.acme', 'nav.timestamping', 'nav.clients', 'nav.globalConfiguration', 'nav.auditLog'],
    },
    {
      name: 'security: clients only',
      role: 'SECURITY',
      permissions: ['view_clients'],
      want: ['nav.overview', 'nav.clients', 'nav.globalConfiguration'],
    },
    {
      name: 'a permission named for the other server role shows nothing of that role',
      role: 'SECURITY',
      permissions: ['VIEW_MEMBERS', 'VIEW_MANAGEMENT_REQUESTS'],
      want: ['nav.overview', 'nav.globalConfiguration'],
    },
    { name: 'unknown server role', role: undefined, permissions: ['view_keys'], want: ['nav.overview', 'nav.globalConfiguration'] },
    { name: 'no permissions', role: 'CENTRAL', permissions: [], want: ['nav.overview', 'nav.globalConfiguration'] },
    {
      name: 'central: users and API keys for the system administrator',
      role: 'CENTRAL',
      permissions: ['VIEW_ADMIN_USERS', 'VIEW_API_KEYS'],
      want: ['nav.overview', 'nav.globalConfiguration', 'nav.users'],
    },
    {
      name: 'security: users and API keys for whoever may view API keys',
      role: 'SECURITY',
      permissions: ['view_api_keys'],
      want: ['nav.overview', 'nav.globalConfiguration', 'nav.users'],
    },
  ])('$name', ({ role, permissions, want }) => {
    expect(titles(role, permissions)).toEqual(want)
  })

  it('hides the working pages until the server is initialised', () => {
    expect(titles('SECURITY', ['view_keys', 'view_tsps', 'view_audit_log', 'view_admin_users'], false)).toEqual([
      'nav.overview',
      'nav.globalConfiguration',
      'nav.auditLog',
      'nav.users',
    ])
  })
})
