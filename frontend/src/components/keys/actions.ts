import type { Can, Permission } from '@/auth/permissions'
import type { KeyUsage } from '@/gql/graphql'

/** Buttons of a token. */
export type TokenButton = 'login' | 'logout' | 'addKey' | 'changePin'
/** Buttons of a key. */
export type KeyButton = 'generateAuthCsr' | 'orderAuthCert' | 'generateSignCsr' | 'orderSignCert' | 'delete'
/** Buttons of a certificate. */
export type CertificateButton = 'register' | 'unregister' | 'activate' | 'disable' | 'delete'
/** Buttons of a CSR notice. */
export type CsrButton = 'delete'

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

// Ordering with ACME generates the CSR and imports the certificate: it
// needs both permissions of the usage (the server checks the same).
const keyRules: readonly [string, KeyButton, Permission[], 'acme'?][] = [
  ['GENERATE_AUTH_CSR', 'generateAuthCsr', ['generate_auth_cert_req']],
  ['GENERATE_AUTH_CSR', 'orderAuthCert', ['generate_auth_cert_req', 'import_auth_cert'], 'acme'],
  ['GENERATE_SIGN_CSR', 'generateSignCsr', ['generate_sign_cert_req']],
  ['GENERATE_SIGN_CSR', 'orderSignCert', ['generate_sign_cert_req', 'import_sign_cert'], 'acme'],
]

/** Buttons for a token: only actions the server offers and the user may take. */
export function tokenButtons(token: { possibleActions: readonly string[] }, can: Can): TokenButton[] {
  return tokenRules
    .filter(([action, , permission]) => token.possibleActions.includes(action) && can(permission))
    .map(([, button]) => button)
}

/**
 * The permission deleting a key needs, by its usage (X-Road's delete_key for
 * a key whose usage is not set yet).
 */
export function deleteKeyPermission(usage: KeyUsage | null | undefined): Permission {
  if (usage === 'AUTHENTICATION') return 'delete_auth_key'
  return usage === 'SIGNING' ? 'delete_sign_key' : 'delete_key'
}

/** The permission deleting a certificate or CSR of this usage needs. */
export function deleteCertPermission(usage: KeyUsage): Permission {
  return usage === 'AUTHENTICATION' ? 'delete_auth_cert' : 'delete_sign_cert'
}

/** Buttons for a key; the ACME order buttons only when an approved CA can be used for ACME. */
export function keyButtons(
  key: { possibleActions: readonly string[]; usage?: KeyUsage | null },
  can: Can,
  acme = false,
): KeyButton[] {
  const out = keyRules
    .filter(([action, , permissions, needs]) => key.possibleActions.includes(action) && permissions.every((p) => can(p)) && (needs !== 'acme' || acme))
    .map(([, button]) => button)
  if (key.possibleActions.includes('DELETE') && can(deleteKeyPermission(key.usage))) out.push('delete')
  return out
}

/** Buttons for a CSR notice. */
export function csrButtons(csr: { usage: KeyUsage; possibleActions: readonly string[] }, can: Can): CsrButton[] {
  return csr.possibleActions.includes('DELETE') && can(deleteCertPermission(csr.usage)) ? ['delete'] : []
}

/** The usage a key button is about. */
export function keyButtonUsage(b: KeyButton): KeyUsage {
  return b === 'generateAuthCsr' || b === 'orderAuthCert' ? 'AUTHENTICATION' : 'SIGNING'
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
  if (cert.possibleActions.includes('UNREGISTER') && can('send_auth_cert_del_req')) out.push('unregister')
  const activation = activationPermission(cert.usage)
  if (cert.possibleActions.includes('ACTIVATE') && can(activation)) out.push('activate')
  if (cert.possibleActions.includes('DISABLE') && can(activation)) out.push('disable')
  if (cert.possibleActions.includes('DELETE') && can(deleteCertPermission(cert.usage))) out.push('delete')
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
