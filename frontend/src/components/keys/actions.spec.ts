// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { permissionChecker } from '@/auth/permissions'
import { canImport, certificateButtons, csrButtons, keyButtons, newKeyUsages, tokenButtons } from './actions'

// Permission sets as me.permissions reports them for three typical users.
const officer = permissionChecker([
  'view_keys',
  'activate_deactivate_token',
  'generate_key',
  'generate_auth_cert_req',
  'generate_sign_cert_req',
  'import_auth_cert',
  'import_sign_cert',
  'send_auth_cert_reg_req',
  'activate_disable_auth_cert',
  'activate_disable_sign_cert',
  'send_auth_cert_del_req',
  'delete_key',
  'delete_auth_key',
  'delete_sign_key',
  'delete_auth_cert',
  'delete_sign_cert',
])
const registrar = permissionChecker([
  'view_keys',
  'generate_key',
  'generate_sign_cert_req',
  'import_sign_cert',
  'activate_disable_sign_cert',
  'delete_key',
  'delete_sign_key',
  'delete_sign_cert',
])
const observer = permissionChecker(['view_keys'])

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

  // Deleting a key needs the permission of its usage (delete_key while it has none).
  it.each([
    { usage: null, can: officer, want: ['delete'] },
    { usage: null, can: registrar, want: ['delete'] },
    { usage: 'SIGNING', can: registrar, want: ['delete'] },
    { usage: 'AUTHENTICATION', can: registrar, want: [] },
    { usage: 'AUTHENTICATION', can: officer, want: ['delete'] },
    { usage: 'AUTHENTICATION', can: observer, want: [] },
  ] as const)('deleting a key of usage $usage', ({ usage, can, want }) => {
    expect(keyButtons({ possibleActions: ['DELETE'], usage }, can)).toEqual(want)
  })

  it.each([
    { usage: 'SIGNING', can: registrar, want: ['delete'] },
    { usage: 'AUTHENTICATION', can: registrar, want: [] },
    { usage: 'AUTHENTICATION', can: officer, want: ['delete'] },
  ] as const)('deleting a $usage CSR', ({ usage, can, want }) => {
    expect(csrButtons({ usage, possibleActions: ['DELETE'] }, can)).toEqual(want)
    expect(csrButtons({ usage, possibleActions: [] }, officer)).toEqual([])
  })

  it.each([
    { name: 'saved auth cert', usage: 'AUTHENTICATION', actions: ['REGISTER', 'ACTIVATE'], can: officer, want: ['register', 'activate'] },
    { name: 'registered active auth cert', usage: 'AUTHENTICATION', actions: ['DISABLE'], can: officer, want: ['disable'] },
    { name: 'auth cert, registrar may not touch it', usage: 'AUTHENTICATION', actions: ['REGISTER', 'ACTIVATE'], can: registrar, want: [] },
    { name: 'sign cert, registrar may activate', usage: 'SIGNING', actions: ['ACTIVATE'], can: registrar, want: ['activate'] },
    // A REGISTER offered for a signing certificate would be a server bug; no button for it.
    { name: 'REGISTER on a sign cert is ignored', usage: 'SIGNING', actions: ['REGISTER', 'DISABLE'], can: officer, want: ['disable'] },
    { name: 'observer', usage: 'SIGNING', actions: ['DISABLE'], can: observer, want: [] },
    { name: 'registered auth cert', usage: 'AUTHENTICATION', actions: ['UNREGISTER', 'DISABLE'], can: officer, want: ['unregister', 'disable'] },
    { name: 'unregistered auth cert', usage: 'AUTHENTICATION', actions: ['ACTIVATE', 'DELETE'], can: officer, want: ['activate', 'delete'] },
    { name: 'auth cert, registrar may not delete it', usage: 'AUTHENTICATION', actions: ['DELETE'], can: registrar, want: [] },
    { name: 'sign cert, registrar may delete it', usage: 'SIGNING', actions: ['DISABLE', 'DELETE'], can: registrar, want: ['disable', 'delete'] },
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
