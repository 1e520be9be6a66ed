import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import en from '@/locales/en.json'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeAnswer } from '@/test/fakeClient'
import { certificate } from '@/test/fixtures'
import RegisterCertificateDialog from './RegisterCertificateDialog.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  document.body.innerHTML = ''
})

const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)
const addressInput = () => $('register-address')?.querySelector('input') as HTMLInputElement

async function setup(configured: string | null, register: () => FakeAnswer = () => ({ data: {} })) {
  const fake = createFakeClient({
    ServerAddress: () => ({ data: { securityServerAddress: configured } }),
    RegisterAuthCertificate: register,
  })
  const view = await mountView(RegisterCertificateDialog, {
    fake,
    props: { modelValue: true, cert: { id: '31', subject: 'CN=SS1,C=DEV' } },
  })
  mounted = view.wrapper
  await flushPromises()
  return fake
}

async function type(value: string): Promise<void> {
  addressInput().value = value
  addressInput().dispatchEvent(new Event('input'))
  await flushPromises()
}

describe('RegisterCertificateDialog', () => {
  it('starts with the address the server is configured with', async () => {
    await setup('ss1.example.org')
    expect(addressInput().value).toBe('ss1.example.org')
    expect($('register-address-warning')).toBeNull()
  })

  it('starts empty without a configured address, never with the address the browser used', async () => {
    await setup(null)
    expect(addressInput().value).toBe('')
  })

  it.each([
    ['127.0.0.1', 'loopback'],
    ['169.254.3.4', 'linkLocal'],
  ] as const)('warns about %s (%s) but still lets it be sent', async (address, problem) => {
    const fake = await setup(null, () => ({ data: { registerAuthCertificate: certificate({ status: 'REGISTRATION_IN_PROGRESS' }) } }))
    await type(address)
    expect($('register-address-warning')?.textContent?.trim()).toBe(en.keys.addressProblem[problem])
    $('dialog-submit')?.click()
    await flushPromises()
    expect(fake.callsOf('RegisterAuthCertificate').map((c) => c.variables)).toEqual([{ certificateId: '31', address }])
  })

  it("puts the server's message on the field it names, with the code above", async () => {
    const message = 'address "no such host!" is neither an IP address nor a valid host name'
    await setup(null, () => ({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', field: 'address' } }] }))
    await type('no such host!')
    $('dialog-submit')?.click()
    await flushPromises()
    expect($('register-address')?.textContent).toContain(message)
    expect($('dialog-error')?.querySelector('[data-testid="error-code"]')?.textContent?.trim()).toBe('Code: BAD_USER_INPUT')
  })
})
