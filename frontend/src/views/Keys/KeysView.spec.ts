import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Permission } from '@/auth/permissions'
import { mountView } from '@/test/app'
import { createFakeClient } from '@/test/fakeClient'
import { certificate, key, token } from '@/test/fixtures'
import { formatDateTime } from '@/util/format'
import KeysView from './KeysView.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

const authCert = (w: VueWrapper) => w.find('[data-testid="certificate"][data-usage="AUTHENTICATION"]')

async function setup(tokensAnswers: unknown[][], permissions?: Permission[], acmeCapable = false) {
  let call = 0
  const fake = createFakeClient({
    Tokens: () => ({ data: { tokens: tokensAnswers[Math.min(call++, tokensAnswers.length - 1)] } }),
    KeysAcmeCAs: () => ({ data: { approvedCertificationAuthorities: [{ name: 'Test CA', acmeCapable }] } }),
  })
  const view = await mountView(KeysView, { fake, permissions })
  mounted = view.wrapper
  await flushPromises()
  return { fake, wrapper: view.wrapper, notifications: view.notifications }
}

/** An event of the renewal job as the certificateRenewal subscription sends it. */
function renewalEvent(kind: string, message: string) {
  return {
    certificateRenewal: {
      kind,
      certificateSha256: 'ab'.repeat(32),
      renewedBySha256: null,
      message,
      certificate: { id: '31' },
      at: '2026-12-07T12:00:00Z',
      auditEventId: '901',
    },
  }
}

describe('KeysView', () => {
  it('turns the certificate to "registered" when the subscription says so, without a reload', async () => {
    const waiting = certificate({ status: 'REGISTRATION_IN_PROGRESS', managementRequestId: 7, possibleActions: ['ACTIVATE'] })
    const registered = { ...waiting, status: 'REGISTERED' as const }
    const { fake, wrapper } = await setup([
      [token({ keys: [key({ certificates: [waiting] })] })],
      [token({ keys: [key({ certificates: [registered] })] })],
    ])
    expect(authCert(wrapper).attributes('data-status')).toBe('REGISTRATION_IN_PROGRESS')
    expect(authCert(wrapper).find('[data-testid="cert-hint"]').text()).toContain('approve request 7')
    expect(fake.subscribed('KeysCertificateChanged')).toBe(true)

    fake.push('KeysCertificateChanged', { certificateStatusChanged: registered })
    await flushPromises()

    expect(fake.callsOf('Tokens')).toHaveLength(2)
    expect(fake.callsOf('Tokens')[1]).toBeDefined()
    expect(authCert(wrapper).attributes('data-status')).toBe('REGISTERED')
    expect(authCert(wrapper).find('[data-testid="cert-status"]').text()).toBe('Registered')
    expect(authCert(wrapper).find('[data-testid="cert-hint"]').text()).toBe(
      'Registered. Next step: activate the certificate so that the server can use it.',
    )
    expect(authCert(wrapper).find('[data-testid="cert-activate"]').exists()).toBe(true)
  })

  it('shows the decline comment on a certificate back in SAVED', async () => {
    const declined = certificate({ status: 'SAVED', declineComment: 'Wrong server code' })
    const { wrapper } = await setup([[token({ keys: [key({ certificates: [declined] })] })]])
    expect(authCert(wrapper).find('[data-testid="cert-hint"]').text()).toBe(
      'The central server declined the registration: "Wrong server code". Fix the cause, then register again.',
    )
    expect(authCert(wrapper).find('[data-testid="cert-register"]').exists()).toBe(true)
  })

  it.each<{ name: string; permissions: Permission[]; want: string[]; absent: string[] }>([
    {
      name: 'the permissions of every offered action show its button',
      permissions: [
        'view_keys',
        'activate_deactivate_token',
        'generate_key',
        'send_auth_cert_reg_req',
        'activate_disable_auth_cert',
        'import_sign_cert',
      ],
      want: ['token-add-key', 'token-logout', 'cert-register', 'cert-activate', 'import-certificate'],
      absent: [],
    },
    {
      name: 'view_keys alone shows no buttons',
      permissions: ['view_keys'],
      want: [],
      absent: ['token-add-key', 'token-logout', 'cert-register', 'cert-activate', 'import-certificate'],
    },
    {
      name: 'each button needs its own permission',
      permissions: ['view_keys', 'generate_key', 'activate_disable_sign_cert'],
      want: ['token-add-key'],
      absent: ['token-logout', 'cert-register', 'cert-activate', 'import-certificate'],
    },
  ])('$name', async ({ permissions, want, absent }) => {
    const { wrapper } = await setup([[token()]], permissions)
    for (const id of want) expect(wrapper.find(`[data-testid="${id}"]`).exists(), id).toBe(true)
    for (const id of absent) expect(wrapper.find(`[data-testid="${id}"]`).exists(), id).toBe(false)
  })

  it('shows a token logged out elsewhere (tokenChanged) without a reload', async () => {
    const { fake, wrapper } = await setup([
      [token()],
      [token({ loggedIn: false, possibleActions: ['LOGIN'] })],
    ])
    expect(wrapper.find('[data-testid="token-logout"]').exists()).toBe(true)
    expect(fake.subscribed('KeysTokenChanged')).toBe(true)

    fake.push('KeysTokenChanged', { tokenChanged: { id: '11', loggedIn: false, status: 'OK', possibleActions: ['LOGIN'] } })
    await flushPromises()

    expect(fake.callsOf('Tokens')).toHaveLength(2)
    expect(wrapper.find('[data-testid="token-card"]').attributes('data-logged-in')).toBe('false')
    expect(wrapper.find('[data-testid="token-logout"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="token-login"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="token-add-key"]').exists()).toBe(false)
  })

  it("opens a key's details and reloads the tokens after the key was deleted", async () => {
    const plain = key({ id: '22', keyId: 'C3D4', name: 'spare', usage: null, possibleActions: ['DELETE'], certificates: [] })
    let call = 0
    const answers = [[token({ keys: [plain] })], [token({ keys: [] })]]
    const fake = createFakeClient({
      Tokens: () => ({ data: { tokens: answers[Math.min(call++, answers.length - 1)] } }),
      DeleteKey: () => ({ data: { deleteKey: '22' } }),
      KeysAcmeCAs: () => ({ data: { approvedCertificationAuthorities: [] } }),
    })
    const view = await mountView(KeysView, { fake })
    mounted = view.wrapper
    await flushPromises()
    await view.wrapper.find('[data-testid="key-details"]').trigger('click')
    await flushPromises()
    const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)
    expect($('key-detail-key-id')?.textContent?.trim()).toBe('C3D4')
    $('key-delete')?.click()
    await flushPromises()
    $('dialog-submit')?.click()
    await flushPromises()
    expect(fake.callsOf('DeleteKey').map((c) => c.variables)).toEqual([{ keyId: '22', ignoreWarnings: false }])
    expect(fake.callsOf('Tokens')).toHaveLength(2)
    expect(view.wrapper.find('[data-testid="key-item"]').exists()).toBe(false)
  })

  it('shows only the actions the server offers', async () => {
    const { wrapper } = await setup([
      [token({ possibleActions: ['LOGIN'], loggedIn: false, keys: [key({ certificates: [certificate({ possibleActions: [] })] })] })],
    ])
    expect(wrapper.find('[data-testid="token-login"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="token-logout"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="token-add-key"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="cert-register"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="cert-activate"]').exists()).toBe(false)
  })

  it.each([
    { acmeCapable: false, want: ['key-generateAuthCsr'], absent: ['key-orderAuthCert'] },
    { acmeCapable: true, want: ['key-generateAuthCsr', 'key-orderAuthCert'], absent: [] },
  ])('offers "order certificate" for a key only with an ACME-capable CA ($acmeCapable)', async ({ acmeCapable, want, absent }) => {
    const { fake, wrapper } = await setup(
      [[token({ keys: [key({ certificates: [], possibleActions: ['GENERATE_AUTH_CSR'] })] })]],
      ['view_keys', 'view_approved_certificate_authorities', 'generate_auth_cert_req', 'import_auth_cert'],
      acmeCapable,
    )
    expect(fake.callsOf('KeysAcmeCAs')).toHaveLength(1)
    for (const id of want) expect(wrapper.find(`[data-testid="${id}"]`).exists(), id).toBe(true)
    for (const id of absent) expect(wrapper.find(`[data-testid="${id}"]`).exists(), id).toBe(false)
  })

  it('does not ask for the CAs without view_approved_certificate_authorities', async () => {
    const { fake, wrapper } = await setup(
      [[token({ keys: [key({ certificates: [], possibleActions: ['GENERATE_AUTH_CSR'] })] })]],
      ['view_keys', 'generate_auth_cert_req', 'import_auth_cert'],
      true,
    )
    expect(fake.callsOf('KeysAcmeCAs')).toEqual([])
    expect(wrapper.find('[data-testid="key-orderAuthCert"]').exists()).toBe(false)
  })

  it("shows each certificate's automatic renewal in X-Road's words, and nothing for one not renewed automatically", async () => {
    const planned = certificate({
      id: '31',
      usage: 'AUTHENTICATION',
      renewal: { status: 'PLANNED', step: null, nextRenewalAt: '2027-03-01T09:30:00Z', lastError: null, failures: 0, retryAt: null },
    })
    const failed = certificate({
      id: '32',
      usage: 'SIGNING',
      renewal: {
        status: 'FAILED',
        step: null,
        nextRenewalAt: '2027-03-01T09:30:00Z',
        lastError: 'The CA refused the order',
        failures: 2,
        retryAt: '2026-12-07T12:05:00Z',
      },
    })
    const manual = certificate({ id: '33', usage: 'SIGNING' })
    const { wrapper } = await setup([[token({ keys: [key({ certificates: [planned, failed, manual] })] })]])
    const line = (id: string) => wrapper.find(`[data-cert-id="${id}"] [data-testid="cert-renewal"]`)
    expect(line('31').text()).toBe(`Next planned renewal on ${formatDateTime('2027-03-01T09:30:00Z')}`)
    expect(line('32').attributes('data-renewal-status')).toBe('FAILED')
    expect(line('32').text()).toBe(`Renewal error: The CA refused the order (next attempt ${formatDateTime('2026-12-07T12:05:00Z')})`)
    expect(line('33').exists()).toBe(false)
  })

  it.each([
    ['STARTED', 'info'],
    ['DONE', 'info'],
    ['FAILED', 'error'],
    ['EXPIRING', 'warning'],
  ])('reloads the tree on a renewal event (%s) and shows its message as %s', async (kind, want) => {
    const before = certificate({
      renewal: { status: 'PLANNED', step: null, nextRenewalAt: '2026-12-07T12:00:00Z', lastError: null, failures: 0, retryAt: null },
    })
    const after = certificate({
      renewal: { status: 'IN_PROGRESS', step: 'WAITING_FOR_APPROVAL', nextRenewalAt: null, lastError: null, failures: 0, retryAt: null },
    })
    const { fake, wrapper, notifications } = await setup([
      [token({ keys: [key({ certificates: [before] })] })],
      [token({ keys: [key({ certificates: [after] })] })],
    ])
    expect(fake.subscribed('KeysCertificateRenewal')).toBe(true)

    fake.push('KeysCertificateRenewal', renewalEvent(kind, `The renewal job says ${kind}`))
    await flushPromises()

    expect(fake.callsOf('Tokens')).toHaveLength(2)
    expect(wrapper.find('[data-testid="cert-renewal"]').text()).toBe(
      'Renewal in progress — waiting for the central server to approve the new certificate',
    )
    expect(notifications.items.at(-1)).toMatchObject({ kind: want, text: `The renewal job says ${kind}` })
  })
})
