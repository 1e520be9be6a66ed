// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { permissionChecker } from '@/auth/permissions'
import {
  accountForm,
  canManageAccount,
  changesNothing,
  eabMissing,
  isEmailAddress,
  newAccountForm,
  setAccountInput,
  type AcmeAccount,
} from './acmeAccount'

const stored: AcmeAccount = {
  id: '7',
  caName: 'ACME CA',
  memberId: 'DEV/GOV/1234',
  keyUsage: 'SIGNING',
  eabKeyId: 'kid-7',
  eabMacKeySet: true,
  contactEmail: 'ops@example.org',
  registered: true,
  accountUrl: 'https://acme.example.org/acct/7',
}

describe('setAccountInput', () => {
  it('adds with what is filled in, trimmed; both usages as null', () => {
    const form = { ...newAccountForm('BOTH'), caName: 'ACME CA', memberId: 'DEV/GOV/1234', eabKeyId: ' kid ', eabMacKey: ' bWFj ' }
    expect(setAccountInput(form)).toEqual({ caName: 'ACME CA', memberId: 'DEV/GOV/1234', keyUsage: null, eabKeyId: 'kid', eabMacKey: 'bWFj' })
  })

  it('changes only what changed: an empty MAC key field leaves the stored key alone', () => {
    const form = { ...accountForm(stored), contactEmail: '' }
    const input = setAccountInput(form, stored)
    expect(input).toEqual({ caName: 'ACME CA', memberId: 'DEV/GOV/1234', keyUsage: 'SIGNING', contactEmail: '' })
    expect(input).not.toHaveProperty('eabMacKey')
    expect(changesNothing(setAccountInput(accountForm(stored), stored))).toBe(true)
  })

  it('sends a new MAC key, and clears the key and its key id when asked', () => {
    expect(setAccountInput({ ...accountForm(stored), eabMacKey: 'bmV3' }, stored)).toMatchObject({ eabMacKey: 'bmV3' })
    const cleared = setAccountInput({ ...accountForm(stored), clearMacKey: true, eabMacKey: 'ignored' }, stored)
    expect(cleared).toEqual({ caName: 'ACME CA', memberId: 'DEV/GOV/1234', keyUsage: 'SIGNING', eabKeyId: '', eabMacKey: '' })
  })
})

describe('eabMissing', () => {
  it('names the half of the binding left empty; a stored MAC key counts', () => {
    const form = newAccountForm('BOTH')
    expect(eabMissing(form)).toBeNull()
    expect(eabMissing({ ...form, eabKeyId: 'kid' })).toBe('eabMacKey')
    expect(eabMissing({ ...form, eabMacKey: 'bWFj' })).toBe('eabKeyId')
    expect(eabMissing(accountForm(stored), stored)).toBeNull()
    expect(eabMissing({ ...accountForm(stored), eabKeyId: '' }, stored)).toBe('eabKeyId')
    expect(eabMissing({ ...accountForm(stored), clearMacKey: true }, stored)).toBeNull()
  })
})

describe('canManageAccount', () => {
  it('needs the import permission of each usage the account serves', () => {
    const signOnly = permissionChecker(['import_sign_cert'])
    expect(canManageAccount(signOnly, 'SIGNING')).toBe(true)
    expect(canManageAccount(signOnly, 'AUTHENTICATION')).toBe(false)
    expect(canManageAccount(signOnly, 'BOTH')).toBe(false)
    expect(canManageAccount(permissionChecker(['import_auth_cert', 'import_sign_cert']), 'BOTH')).toBe(true)
  })
})

describe('isEmailAddress', () => {
  it.each([
    ['admin@example.org', true],
    [' admin@example.org ', true],
    ['admin', false],
    ['admin@', false],
    ['Admin <admin@example.org>', false],
    ['a b@example.org', false],
  ])('%s: %s', (text, want) => {
    expect(isEmailAddress(text)).toBe(want)
  })
})
