import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Permission } from '@/auth/permissions'
import { mountView } from '@/test/app'
import { createFakeClient } from '@/test/fakeClient'
import { certificate, key, token } from '@/test/fixtures'
import KeysView from './KeysView.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

const authCert = (w: VueWrapper) => w.find('[data-testid="certificate"][data-usage="AUTHENTICATION"]')

async function setup(tokensAnswers: unknown[][], permissions?: Permission[]) {
  let call = 0
  const fake = createFakeClient({
    Tokens: () => ({ data: { tokens: tokensAnswers[Math.min(call++, tokensAnswers.length - 1)] } }),
  })
  const view = await mountView(KeysView, { fake, permissions })
  mounted = view.wrapper
  await flushPromises()
  return { fake, wrapper: view.wrapper }
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
})
