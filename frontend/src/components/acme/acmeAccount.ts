// The security server's ACME accounts (X-Road 7.5's external account
// binding, UG-SS, ACME): one per approved CA, member and key usage (or both
// usages), with the key id and MAC key the CA handed out and a contact
// e-mail. The MAC key is written, never read: the API says only whether one
// is stored (eabMacKeySet).
import type { Can, Permission } from '@/auth/permissions'
import { graphql } from '@/gql'
import type { AcmeAccountFieldsFragment, KeyUsage, SetAcmeAccountInput } from '@/gql/graphql'

graphql(`
  fragment AcmeAccountFields on AcmeAccount {
    id
    caName
    memberId
    keyUsage
    eabKeyId
    eabMacKeySet
    contactEmail
    registered
    accountUrl
  }
`)

/** Creates or changes an account (the order dialog's and the ACME page's). */
export const SetAcmeAccountMutation = graphql(`
  mutation SetAcmeAccount($input: SetAcmeAccountInput!) {
    setAcmeAccount(input: $input) {
      ...AcmeAccountFields
    }
  }
`)

/** An account as the API lists it. */
export type AcmeAccount = AcmeAccountFieldsFragment

/** The usages an account orders certificates of: one, or both (keyUsage null). */
export type AccountUsage = KeyUsage | 'BOTH'

/** The usages in the order the dialog offers them. */
export const accountUsages: readonly AccountUsage[] = ['BOTH', 'AUTHENTICATION', 'SIGNING']

/** An account's usage as the dialog shows it. */
export function accountUsage(keyUsage: KeyUsage | null | undefined): AccountUsage {
  return keyUsage ?? 'BOTH'
}

/** The permissions managing an account of the usage needs: the import permission of each usage it serves. */
export function accountPermissions(usage: AccountUsage): Permission[] {
  if (usage === 'AUTHENTICATION') return ['import_auth_cert']
  if (usage === 'SIGNING') return ['import_sign_cert']
  return ['import_auth_cert', 'import_sign_cert']
}

/** Whether the user may add, change and delete accounts of the usage. */
export function canManageAccount(can: Can, usage: AccountUsage): boolean {
  return accountPermissions(usage).every((p) => can(p))
}

/** Whether an e-mail address looks like one; the server checks it fully and names the field if not. */
export function isEmailAddress(text: string): boolean {
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/.test(text.trim())
}

/** The external account binding and contact fields (AcmeAccountFields.vue). */
export interface AccountFieldsValue {
  eabKeyId: string
  /** Only what the user types: the server never returns the stored one. */
  eabMacKey: string
  contactEmail: string
}

/** What the add and edit dialog collects. */
export interface AccountForm extends AccountFieldsValue {
  caName: string | null
  memberId: string | null
  usage: AccountUsage
  /** Edit only: clears the stored MAC key (and with it the key id). */
  clearMacKey: boolean
}

/** A new account's form. */
export function newAccountForm(usage: AccountUsage): AccountForm {
  return { caName: null, memberId: null, usage, eabKeyId: '', eabMacKey: '', contactEmail: '', clearMacKey: false }
}

/** The form for changing an account: its values, the MAC key empty (unchanged). */
export function accountForm(a: AcmeAccount): AccountForm {
  return {
    caName: a.caName,
    memberId: a.memberId,
    usage: accountUsage(a.keyUsage),
    eabKeyId: a.eabKeyId ?? '',
    eabMacKey: '',
    contactEmail: a.contactEmail ?? '',
    clearMacKey: false,
  }
}

/**
 * The binding field left empty while the other one has a value (the server
 * keeps a key id and a MAC key only together), or null. On an edit an empty
 * MAC key field keeps the stored key.
 */
export function eabMissing(form: AccountForm, account?: AcmeAccount): 'eabKeyId' | 'eabMacKey' | null {
  if (form.clearMacKey) return null
  const kid = form.eabKeyId.trim() !== ''
  const mac = form.eabMacKey.trim() !== '' || !!account?.eabMacKeySet
  if (kid && !mac) return 'eabMacKey'
  if (mac && !kid) return 'eabKeyId'
  return null
}

/** Whether an account of the CA, member and usage is in the list. */
export function accountExists(accounts: readonly AcmeAccount[], form: AccountForm): boolean {
  return accounts.some((a) => a.caName === form.caName && a.memberId === form.memberId && accountUsage(a.keyUsage) === form.usage)
}

/**
 * The setAcmeAccount input. Adding sends what is filled in. Changing sends
 * only what changed: an empty MAC key field leaves the stored key alone,
 * "clear the MAC key" sends empty texts for the key and its key id, and an
 * emptied field is sent empty, which clears it.
 */
export function setAccountInput(form: AccountForm, account?: AcmeAccount): SetAcmeAccountInput {
  const input: SetAcmeAccountInput = {
    caName: account?.caName ?? form.caName ?? '',
    memberId: account?.memberId ?? form.memberId ?? '',
    keyUsage: account ? (account.keyUsage ?? null) : form.usage === 'BOTH' ? null : form.usage,
  }
  const kid = form.clearMacKey ? '' : form.eabKeyId.trim()
  const mac = form.clearMacKey ? '' : form.eabMacKey.trim()
  const email = form.contactEmail.trim()
  if (kid !== (account?.eabKeyId ?? '')) input.eabKeyId = kid
  if (mac !== '' || (form.clearMacKey && account?.eabMacKeySet)) input.eabMacKey = mac
  if (email !== (account?.contactEmail ?? '')) input.contactEmail = email
  return input
}

/** Whether the input would change nothing of the account. */
export function changesNothing(input: SetAcmeAccountInput): boolean {
  return input.eabKeyId === undefined && input.eabMacKey === undefined && input.contactEmail === undefined
}
