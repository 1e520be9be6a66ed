import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeHandler } from '@/test/fakeClient'
import { certificate } from '@/test/fixtures'
import OrderAcmeCertificateDialog from './OrderAcmeCertificateDialog.vue'

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

const submitDisabled = () => ($('dialog-submit') as HTMLButtonElement | null)?.disabled

const acmeCA = { name: 'ACME CA', authenticationOnly: false, subjectDn: 'CN=ACME CA', acmeCapable: true }
const plainCA = { name: 'Test CA', authenticationOnly: false, subjectDn: 'CN=Test CA', acmeCapable: false }
const sanField = [{ id: 'subjectAltName', label: 'Subject alternative name', defaultValue: 'ss1.example.org', readOnly: false, required: true }]

function handlers(o: { listener: string | null; eabRequired: boolean; hasEab: boolean }, extra: Record<string, FakeHandler> = {}): Record<string, FakeHandler> {
  return {
    AcmeOrderContext: () => ({
      data: {
        acmeSettings: { challengeListenAddress: o.listener, autoActivateSigningCertificates: false },
        approvedCertificationAuthorities: [
          { name: 'ACME CA', acmeCapable: true, acmeServerIpAddresses: ['192.0.2.10', '192.0.2.11'] },
          { name: 'Test CA', acmeCapable: false, acmeServerIpAddresses: [] },
        ],
      },
    }),
    CsrCertificationAuthorities: () => ({ data: { approvedCertificationAuthorities: [plainCA, acmeCA] } }),
    CsrSubjectFields: () => ({ data: { csrSubjectFields: sanField } }),
    AcmeEabStatus: () => ({
      data: { hasAcmeExternalAccountBindingCredentials: { acmeEabRequired: o.eabRequired, hasAcmeExternalAccountCredentials: o.hasEab } },
    }),
    ...extra,
  }
}

async function mountDialog(fake: ReturnType<typeof createFakeClient>, usage = 'AUTHENTICATION') {
  const view = await mountView(OrderAcmeCertificateDialog, {
    fake,
    permissions: ['view_keys', 'generate_auth_cert_req', 'import_auth_cert', 'generate_sign_cert_req', 'import_sign_cert'],
    props: { modelValue: true, keyItem: { id: '41', name: 'auth 2026' }, usage },
  })
  mounted = view.wrapper
  await flushPromises()
  return view
}

describe('OrderAcmeCertificateDialog', () => {
  it('offers only the ACME-capable CA, asks for the external account binding the CA requires, saves it and then orders', async () => {
    const ordered = certificate({ id: '61', status: 'SAVED', usage: 'AUTHENTICATION' })
    const fake = createFakeClient(
      handlers(
        { listener: '0.0.0.0:80', eabRequired: true, hasEab: false },
        {
          SetAcmeAccount: () => ({ data: { setAcmeAccount: { id: '71', eabMacKeySet: true } } }),
          OrderAcmeCertificate: () => ({ data: { orderAcmeCertificate: ordered } }),
        },
      ),
    )
    const view = await mountDialog(fake)

    // The only ACME-capable CA is chosen; the SAN comes from its profile.
    expect(fake.callsOf('CsrSubjectFields').at(-1)?.variables).toMatchObject({ caName: 'ACME CA', usage: 'AUTHENTICATION' })
    expect($('csr-format')).toBeNull()
    expect($('order-acme-validation')?.textContent).toContain('192.0.2.10, 192.0.2.11')
    expect(fake.callsOf('AcmeEabStatus').at(-1)?.variables).toEqual({ caName: 'ACME CA', keyUsage: 'AUTHENTICATION', memberId: 'DEV/GOV/1234' })
    expect($('order-acme-manage-accounts')?.getAttribute('href')).toBe('/acme')

    // Without the key id and MAC key the order cannot be sent.
    expect($('order-acme-eab-kid')).not.toBeNull()
    expect(submitDisabled()).toBe(true)
    await type('order-acme-eab-kid', ' kid-1 ')
    expect($('order-acme-eab-mac')?.textContent).toContain('needs both its key id and its MAC key')
    await type('order-acme-eab-mac', 'bWFjLWtleQ')
    await type('order-acme-email', 'ops@example.org')
    expect(submitDisabled()).toBe(false)

    await click('dialog-submit')
    expect(fake.callsOf('SetAcmeAccount').map((c) => c.variables)).toEqual([
      {
        input: {
          caName: 'ACME CA',
          memberId: 'DEV/GOV/1234',
          keyUsage: 'AUTHENTICATION',
          eabKeyId: 'kid-1',
          eabMacKey: 'bWFjLWtleQ',
          contactEmail: 'ops@example.org',
        },
      },
    ])
    expect(fake.callsOf('OrderAcmeCertificate').map((c) => c.variables)).toEqual([
      {
        input: {
          keyId: '41',
          usage: 'AUTHENTICATION',
          caName: 'ACME CA',
          memberId: undefined,
          subjectFields: [{ id: 'subjectAltName', value: 'ss1.example.org' }],
        },
      },
    ])
    expect(view.wrapper.findComponent(OrderAcmeCertificateDialog).emitted('ordered')).toEqual([[ordered]])
    expect(view.wrapper.findComponent(OrderAcmeCertificateDialog).emitted('update:modelValue')).toEqual([[false]])
  })

  it('orders at once when the account needs no new credentials, and keeps the dialog open with the CA\u2019s reason on failure', async () => {
    const fake = createFakeClient(
      handlers(
        { listener: '127.0.0.1:5002', eabRequired: true, hasEab: true },
        {
          OrderAcmeCertificate: () => ({
            errors: [
              {
                message: 'The ACME server refused the authorization of ss1.example.org: connection refused',
                extensions: { code: 'ACME_AUTHORIZATION_FAILURE' },
              },
            ],
          }),
        },
      ),
    )
    const view = await mountDialog(fake)

    expect($('order-acme-eab-kid')).toBeNull()
    expect(submitDisabled()).toBe(false)
    await click('dialog-submit')
    expect(fake.callsOf('SetAcmeAccount')).toEqual([])
    expect(fake.callsOf('OrderAcmeCertificate')).toHaveLength(1)
    expect($('dialog-error')?.textContent).toContain('connection refused')
    expect(view.wrapper.findComponent(OrderAcmeCertificateDialog).emitted('ordered')).toBeUndefined()
  })

  it('says the challenge listener is off and does not order', async () => {
    const fake = createFakeClient(handlers({ listener: null, eabRequired: false, hasEab: false }))
    await mountDialog(fake)

    expect($('order-acme-listener-off')?.textContent).toContain('--acme-challenge-listen')
    expect(submitDisabled()).toBe(true)
  })
})
