// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { hasPermission } from '@/auth/permissions'
import type { Role, ServerRole } from '@/gql/graphql'
import { navigationFor } from './navigation'

function titles(role: ServerRole | undefined, roles: Role[], initialized = true): string[] {
  return navigationFor({ role, initialized, can: (p) => hasPermission(role, roles, p) }).map((i) => i.titleKey)
}

describe('navigationFor', () => {
  it.each([
    {
      name: 'central registration officer',
      role: 'CENTRAL',
      roles: ['REGISTRATION_OFFICER'],
      want: ['nav.overview', 'nav.managementRequests', 'nav.members', 'nav.memberClasses', 'nav.globalConfiguration', 'nav.auditLog'],
    },
    {
      name: 'central system administrator',
      role: 'CENTRAL',
      roles: ['SYSTEM_ADMINISTRATOR'],
      want: ['nav.overview', 'nav.trustServices', 'nav.globalConfiguration', 'nav.auditLog'],
    },
    {
      name: 'security officer',
      role: 'SECURITY',
      roles: ['SECURITY_OFFICER'],
      want: ['nav.overview', 'nav.keys', 'nav.timestamping', 'nav.clients', 'nav.globalConfiguration', 'nav.auditLog'],
    },
    {
      name: 'service administrator',
      role: 'SECURITY',
      roles: ['SERVICE_ADMINISTRATOR'],
      want: ['nav.overview', 'nav.clients', 'nav.globalConfiguration', 'nav.auditLog'],
    },
    { name: 'unknown role', role: undefined, roles: ['SECURITY_OFFICER'], want: ['nav.overview', 'nav.globalConfiguration'] },
  ] as const)('$name', ({ role, roles, want }) => {
    expect(titles(role, [...roles])).toEqual(want)
  })

  it('hides the working pages until the server is initialised', () => {
    expect(titles('SECURITY', ['SECURITY_OFFICER'], false)).toEqual(['nav.overview', 'nav.globalConfiguration', 'nav.auditLog'])
  })
})
