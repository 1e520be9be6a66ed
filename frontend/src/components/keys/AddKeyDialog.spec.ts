import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeAnswer } from '@/test/fakeClient'
import { recordDownloads } from '@/test/downloads'
import AddKeyDialog from './AddKeyDialog.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  document.body.innerHTML = ''
})

/** The dialog is teleported to the body: look there. */
const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)

async function type(id: string, value: string): Promise<void> {
  const input = $(id)?.querySelector('input')
  if (!input) throw new Error(`no input in ${id}`)
  input.value = value
  input.dispatchEvent(new Event('input'))
  await flushPromises()
}

async function click(id: string): Promise<void> {
  const el = $(id)
  if (!el) throw new Error(`no ${id}`)
  el.click()
  await flushPromises()
}

async function check(id: string): Promise<void> {
  const input = $(id)?.querySelector('input')
  if (!input) throw new Error(`no input in ${id}`)
  input.click()
  await flushPromises()
}

const fields = [
  { id: 'C', label: 'Instance Identifier (C)', defaultValue: 'DEV', readOnly: true, required: true },
  { id: 'CN', label: 'Server Code (CN)', defaultValue: 'SS1', readOnly: false, required: true },
]

const csr = {
  __typename: 'CertificateSigningRequest',
  id: '51',
  usage: 'AUTHENTICATION',
  memberId: null,
  caName: 'Test CA',
  subject: 'CN=SS1,C=DEV',
  createdAt: '2026-11-26T10:00:00Z',
  pem: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n',
  der: 'MIIB',
  pemName: 'auth_csr_20261126_securityserver_DEV_GOV_1234_SS1.pem',
  derName: 'auth_csr_20261126_securityserver_DEV_GOV_1234_SS1.der',
}

describe('AddKeyDialog', () => {
  it('generates the key once, retries only the CSR after an error, and offers the CSR as DER', async () => {
    const downloads = recordDownloads()
    const csrAnswers: FakeAnswer[] = [
      { errors: [{ message: "Missing parameter 'CN'", extensions: { code: 'INVALID_DISTINGUISHED_NAME' } }] },
      { data: { generateCsr: csr } },
    ]
    const fake = createFakeClient({
      CsrCertificationAuthorities: () => ({
        data: { approvedCertificationAuthorities: [{ name: 'Test CA', authenticationOnly: false, subjectDn: 'CN=Test CA' }] },
      }),
      CsrSubjectFields: () => ({ data: { csrSubjectFields: fields } }),
      GenerateKey: () => ({ data: { generateKey: { id: '41', name: 'auth' } } }),
      GenerateCsr: () => csrAnswers.shift() ?? { errors: [{ message: 'unexpected' }] },
    })
    const view = await mountView(AddKeyDialog, {
      fake,
      permissions: ['view_keys', 'generate_key', 'generate_auth_cert_req', 'generate_sign_cert_req'],
      props: { modelValue: true, token: { id: '11', name: 'softToken-0', type: 'SOFTWARE' } },
    })
    mounted = view.wrapper
    await flushPromises()

    await type('add-key-label', 'auth 2026')
    await check('add-key-usage-AUTHENTICATION')
    await click('add-key-next')
    // The only approved CA is chosen; the subject fields come from its profile.
    expect([...document.querySelectorAll('[data-testid="csr-subject-field"] input')].map((i) => (i as HTMLInputElement).value)).toEqual(['DEV', 'SS1'])
    await check('csr-format-der')
    await click('add-key-create')
    expect($('dialog-error')?.querySelector('[data-testid="error-message"]')?.textContent?.trim()).toBe("Missing parameter 'CN'")

    await click('add-key-create')
    expect(fake.callsOf('GenerateKey').map((c) => c.variables)).toEqual([{ tokenId: '11', label: 'auth 2026' }])
    expect(fake.callsOf('GenerateCsr').map((c) => c.variables)).toEqual([
      {
        input: { keyId: '41', usage: 'AUTHENTICATION', caName: 'Test CA', subjectFields: [{ id: 'CN', value: 'SS1' }], format: 'DER' },
      },
      {
        input: { keyId: '41', usage: 'AUTHENTICATION', caName: 'Test CA', subjectFields: [{ id: 'CN', value: 'SS1' }], format: 'DER' },
      },
    ])
    expect($('add-key-done')).not.toBeNull()

    await click('add-key-download-der')
    expect(await downloads()).toEqual([
      {
        fileName: 'auth_csr_20261126_securityserver_DEV_GOV_1234_SS1.der',
        mimeType: 'application/pkcs10',
        content: new Uint8Array([0x30, 0x82, 0x01]),
      },
    ])
  })

  it('offers only signing keys to a user without generate_auth_cert_req', async () => {
    const fake = createFakeClient({})
    const view = await mountView(AddKeyDialog, {
      fake,
      permissions: ['view_keys', 'generate_key', 'generate_sign_cert_req'],
      props: { modelValue: true, token: { id: '11', name: 'softToken-0', type: 'SOFTWARE' } },
    })
    mounted = view.wrapper
    await flushPromises()
    expect($('add-key-usage-SIGNING')).not.toBeNull()
    expect($('add-key-usage-AUTHENTICATION')).toBeNull()
  })
})
