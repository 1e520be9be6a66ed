import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Permission } from '@/auth/permissions'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeAnswer, type FakeHandler } from '@/test/fakeClient'
import TrustServicesView from '@/views/TrustServices/TrustServicesView.vue'
import AddCertificationServiceDialog from './AddCertificationServiceDialog.vue'
import EditCertificationServiceDialog from './EditCertificationServiceDialog.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  document.body.innerHTML = ''
})

/** Dialogs are teleported to the body: look there. */
const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)
const input = (id: string) => $(id)?.querySelector('input') as HTMLInputElement

async function type(id: string, value: string): Promise<void> {
  input(id).value = value
  input(id).dispatchEvent(new Event('input'))
  await flushPromises()
}

async function click(id: string): Promise<void> {
  const el = $(id)
  if (!el) throw new Error(`no ${id}`)
  el.click()
  await flushPromises()
}

/** Ticks or unticks a checkbox. */
async function toggle(id: string): Promise<void> {
  input(id).click()
  await flushPromises()
}

const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'
const sanOnly = 'io.roadreg.certificateprofile.SanOnlyCertificateProfileInfoProvider'

const acmeCA = {
  __typename: 'ApprovedCertificationService',
  id: '5',
  name: 'Pebble Intermediate CA',
  subjectDn: 'CN=Pebble Intermediate CA',
  issuerDn: 'CN=Pebble Root CA',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2099-01-01T00:00:00Z',
  authenticationOnly: false,
  certificateProfileInfo: sanOnly,
  defaultCsrFormat: 'PEM',
  acmeServerDirectoryUrl: 'https://acme.example.org/dir',
  acmeServerIpAddress: '192.0.2.10',
  authenticationCertificateProfileId: 'tlsserver',
  signingCertificateProfileId: null,
  ocspResponderUrls: ['http://ocsp.example.org'],
  sha256: 'cd'.repeat(32),
}

const fieldError = (field: string, message: string): FakeAnswer => ({
  errors: [{ message, extensions: { code: 'BAD_USER_INPUT', field } }],
})

async function mountDialog(component: unknown, handlers: Record<string, FakeHandler>, props: Record<string, unknown>) {
  const fake = createFakeClient(handlers)
  const view = await mountView(component as never, { fake, role: 'CENTRAL', props: { modelValue: true, ...props } })
  mounted = view.wrapper
  await flushPromises()
  return fake
}

describe('AddCertificationServiceDialog', () => {
  async function pickCA(): Promise<void> {
    const el = $('add-ca-file')?.querySelector('input[type="file"]') as HTMLInputElement
    Object.defineProperty(el, 'files', { value: [new File([caPem], 'ca.pem')], configurable: true })
    el.dispatchEvent(new Event('change'))
    await flushPromises()
  }

  it("sends X-Road's ACME settings with the CA when it can be used for ACME", async () => {
    const onAdded = vi.fn()
    const fake = await mountDialog(
      AddCertificationServiceDialog,
      { AddApprovedCA: () => ({ data: { addApprovedCertificationService: { id: '5', name: 'Pebble Intermediate CA' } } }) },
      { onAdded },
    )
    expect($('ca-acme-url')).toBeNull()
    await pickCA()
    await toggle('ca-acme')
    expect($('dialog-submit')?.hasAttribute('disabled')).toBe(true) // ACME needs the directory URL
    await type('ca-acme-url', 'https://acme.example.org/dir')
    await type('ca-acme-ips', '192.0.2.10, 192.0.2.11')
    await type('ca-auth-profile', 'tlsserver')
    await click('dialog-submit')
    expect(fake.callsOf('AddApprovedCA').map((c) => c.variables.input)).toEqual([
      {
        caCertificate: caPem,
        ocspResponders: [],
        authenticationOnly: false,
        certificateProfileInfo: 'ee.ria.xroad.common.certificateprofile.impl.EjbcaCertificateProfileInfoProvider',
        defaultCsrFormat: 'PEM',
        acmeServerDirectoryUrl: 'https://acme.example.org/dir',
        acmeServerIpAddress: '192.0.2.10, 192.0.2.11',
        authenticationCertificateProfileId: 'tlsserver',
      },
    ])
    expect(onAdded).toHaveBeenCalledWith('Pebble Intermediate CA')
  })

  it("shows the server's message under the field it names", async () => {
    const message = 'acmeServerIpAddress must list IP addresses separated by commas; "acme" is not one'
    await mountDialog(AddCertificationServiceDialog, { AddApprovedCA: () => fieldError('acmeServerIpAddress', message) }, {})
    await pickCA()
    await toggle('ca-acme')
    await type('ca-acme-url', 'https://acme.example.org/dir')
    await type('ca-acme-ips', 'acme')
    await click('dialog-submit')
    expect($('ca-acme-ips')?.textContent).toContain(message)
    expect($('ca-acme-url')?.textContent).not.toContain(message)
    expect($('dialog-error')?.textContent).toContain(message)
  })

  it('shows a refused CA certificate under the file field', async () => {
    const message = 'the certificate is not a CA certificate (basic constraints CA:true is missing)'
    await mountDialog(AddCertificationServiceDialog, { AddApprovedCA: () => fieldError('caCertificate', message) }, {})
    await pickCA()
    await click('dialog-submit')
    expect($('add-ca-file')?.textContent).toContain(message)
  })
})

describe('EditCertificationServiceDialog', () => {
  const saved = (input: Record<string, unknown>) => ({
    data: { updateApprovedCertificationService: { ...acmeCA, ...input } },
  })

  it("starts with the CA's settings and sends each one, an emptied field clearing it", async () => {
    const onSaved = vi.fn()
    const fake = await mountDialog(EditCertificationServiceDialog, { UpdateApprovedCA: (v) => saved(v.input as Record<string, unknown>) }, { ca: acmeCA, onSaved })
    expect(input('ca-acme-url').value).toBe('https://acme.example.org/dir')
    expect(input('ca-auth-profile').value).toBe('tlsserver')
    await type('ca-auth-profile', '')
    await type('ca-sign-profile', 'signing')
    await click('dialog-submit')
    expect(fake.callsOf('UpdateApprovedCA').map((c) => c.variables)).toEqual([
      {
        id: '5',
        input: {
          authenticationOnly: false,
          certificateProfileInfo: sanOnly,
          defaultCsrFormat: 'PEM',
          acmeServerDirectoryUrl: 'https://acme.example.org/dir',
          acmeServerIpAddress: '192.0.2.10',
          authenticationCertificateProfileId: '',
          signingCertificateProfileId: 'signing',
        },
      },
    ])
    expect(onSaved).toHaveBeenCalledWith('Pebble Intermediate CA')
  })

  it('clears every ACME setting when ACME is turned off', async () => {
    const fake = await mountDialog(EditCertificationServiceDialog, { UpdateApprovedCA: (v) => saved(v.input as Record<string, unknown>) }, { ca: acmeCA })
    await toggle('ca-acme')
    expect($('ca-acme-url')).toBeNull()
    await click('dialog-submit')
    expect(fake.callsOf('UpdateApprovedCA')[0]?.variables.input).toEqual({
      authenticationOnly: false,
      certificateProfileInfo: sanOnly,
      defaultCsrFormat: 'PEM',
      acmeServerDirectoryUrl: '',
    })
  })

  it("shows the server's message under the directory URL and keeps the dialog open", async () => {
    const message = 'acmeServerDirectoryUrl must be an http(s) URL of at most 255 characters, not "ftp://x"'
    await mountDialog(EditCertificationServiceDialog, { UpdateApprovedCA: () => fieldError('acmeServerDirectoryUrl', message) }, { ca: acmeCA })
    await type('ca-acme-url', 'ftp://x')
    await click('dialog-submit')
    expect($('ca-acme-url')?.textContent).toContain(message)
    expect($('edit-ca-dialog')).not.toBeNull()
  })
})

describe('TrustServicesView approved CAs', () => {
  async function setup(permissions?: Permission[]) {
    const fake = createFakeClient({
      ApprovedCAs: () => ({ data: { approvedCertificationServices: [acmeCA, { ...acmeCA, id: '6', name: 'Test CA', acmeServerDirectoryUrl: null }] } }),
      ApprovedTSAs: () => ({ data: { approvedTimestampingAuthorities: [] } }),
    })
    const view = await mountView(TrustServicesView, { fake, role: 'CENTRAL', permissions })
    mounted = view.wrapper
    await flushPromises()
    return view.wrapper
  }

  it('marks CAs that can be used for ACME and shows their ACME settings in the details, with Edit', async () => {
    const wrapper = await setup()
    const rows = wrapper.findAll('[data-testid="ca-row"]')
    expect(rows[0]?.find('[data-testid="ca-acme-chip"]').exists()).toBe(true)
    expect(rows[1]?.find('[data-testid="ca-acme-chip"]').exists()).toBe(false)
    await rows[0]?.find('[data-testid="ca-details"]').trigger('click')
    await flushPromises()
    expect($('ca-detail-acme-url')?.textContent?.trim()).toBe('https://acme.example.org/dir')
    expect($('ca-detail-acme-ips')?.textContent?.trim()).toBe('192.0.2.10')
    expect($('ca-detail-auth-profile')?.textContent?.trim()).toBe('tlsserver')
    expect($('ca-detail-sign-profile')?.textContent?.trim()).toBe('—')
    await click('ca-edit')
    expect($('ca-detail-dialog')).toBeNull()
    expect(input('ca-acme-url').value).toBe('https://acme.example.org/dir')
  })

  it('offers Edit only with EDIT_APPROVED_CA', async () => {
    const wrapper = await setup(['VIEW_APPROVED_CAS'])
    await wrapper.find('[data-testid="ca-details"]').trigger('click')
    await flushPromises()
    expect($('ca-detail-dialog')).not.toBeNull()
    expect($('ca-edit')).toBeNull()
  })
})
