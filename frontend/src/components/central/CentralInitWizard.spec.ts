import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import en from '@/locales/en.json'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeHandler } from '@/test/fakeClient'
import CentralInitWizard from './CentralInitWizard.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

async function setup(initialize: FakeHandler) {
  const fake = createFakeClient({ InitializeCentralServer: initialize })
  const view = await mountView(CentralInitWizard, { fake, role: 'CENTRAL', initialized: false, props: { defaultAddress: 'cs.example.org:8080' } })
  mounted = view.wrapper
  return { fake, wrapper: view.wrapper }
}

const input = (w: VueWrapper, id: string) => w.find(`[data-testid="${id}"] input`)

describe('CentralInitWizard', () => {
  it('collects instance, address and PIN and sends them to initializeCentralServer', async () => {
    const { fake, wrapper } = await setup(() => ({
      data: { initializeCentralServer: { role: 'CENTRAL', initialized: true, instanceIdentifier: 'EE' } },
    }))
    expect((input(wrapper, 'cs-init-address').element as HTMLInputElement).value).toBe('cs.example.org:8080')
    await input(wrapper, 'cs-init-instance').setValue(' EE ')
    await wrapper.find('[data-testid="cs-init-step-instance"]').trigger('submit')
    await input(wrapper, 'cs-init-pin').setValue('secret-pin')
    await input(wrapper, 'cs-init-pin-again').setValue('secret-pin')
    await wrapper.find('[data-testid="cs-init-step-pin"]').trigger('submit')
    await flushPromises()

    expect(fake.callsOf('InitializeCentralServer').map((c) => c.variables)).toEqual([
      { input: { instanceIdentifier: 'EE', centralServerAddress: 'cs.example.org:8080', softTokenPin: 'secret-pin' } },
    ])
    expect(wrapper.findComponent(CentralInitWizard).emitted('initialized')).toEqual([['EE']])
  })

  it('sends the management service provider when one is given', async () => {
    const { fake, wrapper } = await setup(() => ({
      data: { initializeCentralServer: { role: 'CENTRAL', initialized: true, instanceIdentifier: 'EE' } },
    }))
    await input(wrapper, 'cs-init-instance').setValue('EE')
    await input(wrapper, 'cs-init-provider').setValue(' EE/GOV/70000001/MANAGEMENT ')
    await wrapper.find('[data-testid="cs-init-step-instance"]').trigger('submit')
    await input(wrapper, 'cs-init-pin').setValue('secret-pin')
    await input(wrapper, 'cs-init-pin-again').setValue('secret-pin')
    await wrapper.find('[data-testid="cs-init-step-pin"]').trigger('submit')
    await flushPromises()

    expect(fake.callsOf('InitializeCentralServer').map((c) => c.variables)).toEqual([
      {
        input: {
          instanceIdentifier: 'EE',
          centralServerAddress: 'cs.example.org:8080',
          softTokenPin: 'secret-pin',
          managementServiceProviderId: 'EE/GOV/70000001/MANAGEMENT',
        },
      },
    ])
  })

  it('does not leave step 1 without an instance identifier', async () => {
    const { wrapper } = await setup(() => ({ data: {} }))
    await wrapper.find('[data-testid="cs-init-step-instance"]').trigger('submit')
    expect(wrapper.find('[data-testid="cs-init-step-pin"]').exists()).toBe(false)
    expect(wrapper.text()).toContain(en.csInit.instanceRequired)
  })

  it('refuses PINs that differ, without calling the server', async () => {
    const { fake, wrapper } = await setup(() => ({ data: {} }))
    await input(wrapper, 'cs-init-instance').setValue('EE')
    await wrapper.find('[data-testid="cs-init-step-instance"]').trigger('submit')
    await input(wrapper, 'cs-init-pin').setValue('one')
    await input(wrapper, 'cs-init-pin-again').setValue('two')
    await wrapper.find('[data-testid="cs-init-step-pin"]').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain(en.csInit.pinMismatch)
    expect(fake.callsOf('InitializeCentralServer')).toHaveLength(0)
  })

  it("shows a server error in the server's words with its code and stays on the PIN step", async () => {
    const { wrapper } = await setup(() => ({
      errors: [{ message: 'instance identifier "e e" has a space', extensions: { code: 'INVALID_INSTANCE_IDENTIFIER' } }],
    }))
    await input(wrapper, 'cs-init-instance').setValue('e e')
    await wrapper.find('[data-testid="cs-init-step-instance"]').trigger('submit')
    await input(wrapper, 'cs-init-pin').setValue('p')
    await input(wrapper, 'cs-init-pin-again').setValue('p')
    await wrapper.find('[data-testid="cs-init-step-pin"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="cs-init-error"]').text()).toBe(
      'instance identifier "e e" has a spaceCode: INVALID_INSTANCE_IDENTIFIER',
    )
    expect(wrapper.find('[data-testid="cs-init-step-pin"]').exists()).toBe(true)
    expect(wrapper.findComponent(CentralInitWizard).emitted('initialized')).toBeUndefined()
  })
})
