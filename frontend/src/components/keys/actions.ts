import type { Can, Permission } from '@/auth/permissions'
import type { KeyUsage } from '@/gql/graphql'

/** Buttons of a token. */
export type TokenButton = 'login' | 'logout' | 'addKey' | 'changePin'
/** Buttons of a key. */
export type KeyButton = 'generateAuthCsr' | 'generateSignCsr'
/** Buttons of a certificate. */
export type CertificateButton = 'register' | 'activate' | 'disable'

/**
 * The server's possible actions (X-Road's PossibleAction values) and the
 * permission each needs. A button shows only when the server offers the
 * action AND the user holds the permission.
 */
const tokenRules: readonly [string, TokenButton, Permission][] = [
  ['LOGIN', 'login', 'activate_deactivate_token'],
  ['LOGOUT', 'logout', 'activate_deactivate_token'],
  ['GENERATE_KEY', 'addKey', 'generate_key'],
  ['TOKEN_CHANGE_PIN', 'changePin', 'update_token_pin'],
]

const keyRules: readonly [string, KeyButton, Permission][] = [
  ['GENERATE_AUTH_CSR', 'generateAuthCsr', 'generate_auth_cert_req'],
  ['GENERATE_SIGN_CSR', 'generateSignCsr', 'generate_sign_cert_req'],
]

/** Buttons for a token: only actions the server offers and the user may take. */
export function tokenButtons(token: { possibleActions: readonly string[] }, can: Can): TokenButton[] {
  return tokenRules
    .filter(([action, , permission]) => token.possibleActions.includes(action) && can(permission))
    .map(([, button]) => button)
}

/** Buttons for a key. */
export function keyButtons(key: { possibleActions: readonly string[] }, can: Can): KeyButton[] {
  return keyRules
    .filter(([action, , permission]) => key.possibleActions.includes(action) && can(permission))
    .map(([, button]) => button)
}

/** The permission that activating or disabling a certificate of this usage needs. */
export function activationPermission(usage: KeyUsage): Permission {
  return usage === 'AUTHENTICATION' ? 'activate_disable_auth_cert' : 'activate_disable_sign_cert'
}

/** Buttons for a certificate. */
export function certificateButtons(
  cert: { usage: KeyUsage; possibleActions: readonly string[] },
  can: Can,
): CertificateButton[] {
  const out: CertificateButton[] = []
  if (cert.possibleActions.includes('REGISTER') && cert.usage === 'AUTHENTICATION' && can('send_auth_cert_reg_req')) {
    out.push('register')
  }
  const activation = activationPermission(cert.usage)
  if (cert.possibleActions.includes('ACTIVATE') && can(activation)) out.push('activate')
  if (cert.possibleActions.includes('DISABLE') && can(activation)) out.push('disable')
  return out
}

/** Key usages a new key's CSR may have for this user on this token. */
export function newKeyUsages(token: { type: string }, can: Can): KeyUsage[] {
  const out: KeyUsage[] = []
  if (can('generate_sign_cert_req')) out.push('SIGNING')
  // Authentication keys live on the software token only (UG-SS, authentication keys are on the software token).
  if (token.type === 'SOFTWARE' && can('generate_auth_cert_req')) out.push('AUTHENTICATION')
  return out
}

/** Whether the user may import certificates at all (auth or sign). */
export function canImport(can: Can): boolean {
  return can(['import_auth_cert', 'import_sign_cert'])
}
