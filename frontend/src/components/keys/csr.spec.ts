// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { csrDownload, csrFileName } from './csr'
import { csrFormProblem, csrInput, ownerMemberId, withFieldDefaults, type SubjectField } from './csrForm'

const csr = {
  pem: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----',
  der: 'MIIBs/8A',
  pemName: 'sign_csr_20261126_member_DEV_GOV_1234.pem',
  derName: 'sign_csr_20261126_member_DEV_GOV_1234.der',
}

describe('CSR download', () => {
  it('offers PEM as text under the server name, ending with a newline', () => {
    expect(csrDownload(csr, 'PEM')).toEqual({
      fileName: 'sign_csr_20261126_member_DEV_GOV_1234.pem',
      mimeType: 'application/x-pem-file',
      content: `${csr.pem}\n`,
    })
  })

  it('offers DER as the decoded bytes', () => {
    expect(csrDownload(csr, 'DER')).toEqual({
      fileName: 'sign_csr_20261126_member_DEV_GOV_1234.der',
      mimeType: 'application/pkcs10',
      content: new Uint8Array([0x30, 0x82, 0x01, 0xb3, 0xff, 0x00]),
    })
  })

  it.each([
    { name: 'auth_csr_20261126_securityserver_DEV_GOV_1234_SS1.der', format: 'DER', want: 'auth_csr_20261126_securityserver_DEV_GOV_1234_SS1.der' },
    { name: 'auth_csr_x.PEM', format: 'PEM', want: 'auth_csr_x.PEM' },
    { name: 'auth_csr_x.pem', format: 'DER', want: 'auth_csr_x.der' },
    { name: 'auth_csr_x', format: 'PEM', want: 'auth_csr_x.pem' },
    { name: '../../etc/passwd', format: 'PEM', want: '.._.._etc_passwd.pem' },
    { name: '  ', format: 'DER', want: 'csr.der' },
  ] as const)('file name $name as $format → $want', ({ name, format, want }) => {
    expect(csrFileName(name, format)).toBe(want)
  })
})

const fields: SubjectField[] = [
  { id: 'C', label: 'Country', defaultValue: 'DEV', readOnly: true, required: true },
  { id: 'O', label: 'Organisation', defaultValue: 'GOV', readOnly: false, required: true },
  { id: 'CN', label: 'Code', defaultValue: null, readOnly: false, required: true },
  { id: 'OU', label: 'Unit', defaultValue: null, readOnly: false, required: false },
]

describe('CSR form', () => {
  it('ownerMemberId takes INSTANCE/CLASS/CODE of the server id', () => {
    expect(ownerMemberId('DEV/GOV/1234/SS1')).toBe('DEV/GOV/1234')
    expect(ownerMemberId('DEV/GOV/1234')).toBeUndefined()
    expect(ownerMemberId(null)).toBeUndefined()
  })

  it('fills defaults without overwriting what was typed, except read-only fields', () => {
    expect(withFieldDefaults({ C: 'XX', O: 'Mine', CN: '' }, fields)).toEqual({ C: 'DEV', O: 'Mine', CN: '', OU: '' })
  })

  it.each([
    { name: 'no usage', usage: null, value: {}, fields, want: 'usage' },
    { name: 'no CA', usage: 'AUTHENTICATION', value: { caName: null }, fields, want: 'ca' },
    { name: 'signing without member', usage: 'SIGNING', value: { caName: 'CA' }, fields, want: 'member' },
    { name: 'fields loading', usage: 'AUTHENTICATION', value: { caName: 'CA' }, fields: undefined, want: 'fieldsLoading' },
    { name: 'required field empty', usage: 'AUTHENTICATION', value: { caName: 'CA', fields: { C: 'DEV', O: 'GOV', CN: ' ' } }, fields, want: 'field' },
    { name: 'complete', usage: 'SIGNING', value: { caName: 'CA', memberId: 'DEV/GOV/1234', fields: { C: 'DEV', O: 'GOV', CN: '1234' } }, fields, want: null },
  ] as const)('problem: $name', ({ usage, value, fields: f, want }) => {
    expect(csrFormProblem({ caName: null, memberId: null, fields: {}, format: 'PEM', ...value }, usage, f)).toBe(want)
  })

  it('sends the editable non-empty fields, and the member only for signing', () => {
    const value = { caName: 'CA', memberId: 'DEV/GOV/1234', fields: { C: 'DEV', O: ' GOV ', CN: '1234', OU: '' }, format: 'DER' } as const
    expect(csrInput('7', 'SIGNING', { ...value, fields: { ...value.fields } }, fields)).toEqual({
      keyId: '7',
      usage: 'SIGNING',
      caName: 'CA',
      memberId: 'DEV/GOV/1234',
      subjectFields: [
        { id: 'O', value: 'GOV' },
        { id: 'CN', value: '1234' },
      ],
      format: 'DER',
    })
    expect(csrInput('7', 'AUTHENTICATION', { ...value, fields: { ...value.fields } }, fields).memberId).toBeUndefined()
  })
})
