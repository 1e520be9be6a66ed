// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { hasPermission } from '@/auth/permissions'
import type { Role } from '@/gql/graphql'
import { canImport, certificateButtons, keyButtons, newKeyUsages, tokenButtons } from './actions'

const as = (...roles: Role[]) => (p: string | readonly string[]) => hasPermission('SECURITY', roles, p)
const officer = as('SECURITY_OFFICER')
const registrar = as('REGISTRATION_OFFICER')
const observer = as('SECURITYSERVER_OBSERVER')

describe('possible actions → buttons', () => {
  it.each([
    { name: 'logged-in token, officer', actions: ['GENERATE_KEY', 'LOGOUT'], can: officer, want: ['logout', 'addKey'] },
    { name: 'logged-out token, officer', actions: ['LOGIN'], can: officer, want: ['login'] },
    // Registration officers may make keys but not log in (X-Road permissions).
    { name: 'logged-out token, registrar', actions: ['LOGIN'], can: registrar, want: [] },
    { name: 'logged-in token, registrar', actions: ['GENERATE_KEY', 'LOGOUT'], can: registrar, want: ['addKey'] },
    { name: 'observer sees no buttons', actions: ['GENERATE_KEY', 'LOGOUT'], can: observer, want: [] },
    { name: 'nothing possible', actions: [], can: officer, want: [] },
  ])('token: $name', ({ actions, can, want }) => {
    expect(tokenButtons({ possibleActions: actions }, can)).toEqual(want)
  })

  it.each([
    { actions: ['GENERATE_AUTH_CSR', 'GENERATE_SIGN_CSR'], can: officer, want: ['generateAuthCsr', 'generateSignCsr'] },
    { actions: ['GENERATE_AUTH_CSR', 'GENERATE_SIGN_CSR'], can: registrar, want: ['generateSignCsr'] },
    { actions: ['GENERATE_SIGN_CSR'], can: officer, want: ['generateSignCsr'] },
    { actions: [], can: officer, want: [] },
  ])('key $actions for $want', ({ actions, can, want }) => {
    expect(keyButtons({ possibleActions: actions }, can)).toEqual(want)
  })

  it.each([
    { name: 'saved auth cert', usage: 'AUTHENTICATION', actions: ['REGISTER', 'ACTIVATE'], can: officer, want: ['register', 'activate'] },
    { name: 'registered active auth cert', usage: 'AUTHENTICATION', actions: ['DISABLE'], can: officer, want: ['disable'] },
    { name: 'auth cert, registrar may not touch it', usage: 'AUTHENTICATION', actions: ['REGISTER', 'ACTIVATE'], can: registrar, want: [] },
    { name: 'sign cert, registrar may activate', usage: 'SIGNING', actions: ['ACTIVATE'], can: registrar, want: ['activate'] },
    // A REGISTER offered for a signing certificate would be a server bug; no button for it.
    { name: 'REGISTER on a sign cert is ignored', usage: 'SIGNING', actions: ['REGISTER', 'DISABLE'], can: officer, want: ['disable'] },
    { name: 'observer', usage: 'SIGNING', actions: ['DISABLE'], can: observer, want: [] },
  ] as const)('certificate: $name', ({ usage, actions, can, want }) => {
    expect(certificateButtons({ usage, possibleActions: [...actions] }, can)).toEqual(want)
  })

  it.each([
    { token: 'SOFTWARE', can: officer, want: ['SIGNING', 'AUTHENTICATION'] },
    { token: 'HARDWARE', can: officer, want: ['SIGNING'] },
    { token: 'SOFTWARE', can: registrar, want: ['SIGNING'] },
    { token: 'SOFTWARE', can: observer, want: [] },
  ])('new key usages on a $token token', ({ token, can, want }) => {
    expect(newKeyUsages({ type: token }, can)).toEqual(want)
  })

  it('import needs one of the import permissions', () => {
    expect(canImport(officer)).toBe(true)
    expect(canImport(registrar)).toBe(true)
    expect(canImport(observer)).toBe(false)
  })
})
