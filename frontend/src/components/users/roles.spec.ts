// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { rolesOf, validRoles } from './roles'

describe('rolesOf', () => {
  it('offers a central server its three roles', () => {
    expect(rolesOf('CENTRAL')).toEqual(['SECURITY_OFFICER', 'REGISTRATION_OFFICER', 'SYSTEM_ADMINISTRATOR'])
  })

  it('offers a security server all five roles', () => {
    expect(rolesOf('SECURITY')).toHaveLength(5)
    expect(rolesOf('SECURITY')).toContain('SECURITYSERVER_OBSERVER')
  })

  it('offers nothing while the role is unknown', () => {
    expect(rolesOf(undefined)).toEqual([])
  })
})

describe('validRoles', () => {
  it("drops roles the server does not have and keeps the server's order", () => {
    expect(validRoles('CENTRAL', ['SYSTEM_ADMINISTRATOR', 'SERVICE_ADMINISTRATOR', 'SECURITY_OFFICER'])).toEqual([
      'SECURITY_OFFICER',
      'SYSTEM_ADMINISTRATOR',
    ])
  })
})
