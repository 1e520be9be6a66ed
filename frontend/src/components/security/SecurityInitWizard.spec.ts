import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import en from '@/locales/en.json'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeAnswer } from '@/test/fakeClient'
import SecurityInitWizard from './SecurityInitWizard.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

const anchor = {
  hash: 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C',
  generatedAt: '2026-11-26T10:00:00Z',
  instanceIdentifier: 'DEV',
}
const anchorXml = '<?xml version="1.0"?><tns:configurationAnchor xmlns:tns="http://x-road.eu/xsd/xroad.xsd"/>'

/** Lets the wizard's owner lookup (debounced 300 ms) run. */
const afterLookupDelay = () => new Promise((resolve) => setTimeout(resolve, 400))

const input = (w: VueWrapper, id: string) => w.find(`[data-testid="${id}"] input`)

async function pickFile(w: VueWrapper, id: string, file: File): Promise<void> {
  const el = w.find(`[data-testid="${id}"] input[type="file"]`)
  Object.defineProperty(el.element, 'files', { value: [file], configurable: true })
  await el.trigger('change')
  await flushPromises()
}

async function setup(initialize: (input: Record<string, unknown>) => FakeAnswer, currentAnchor: typeof anchor | null = null) {
  const fake = createFakeClient({
    CurrentAnchor: () => ({ data: { anchor: currentAnchor } }),
    UploadAnchor: () => ({ data: { uploadAnchor: anchor } }),
    OwnerName: ({ memberClass, memberCode }) =>
      memberCode === 'BROKEN'
        ? { errors: [{ message: 'The database is not reachable', extensions: { code: 'SOMETHING_NEW' } }] }
        : { data: { memberName: memberClass === 'GOV' && memberCode === '1234' ? 'Demo Agency' : null } },
    InitializeSecurityServer: (vars) => initialize(vars.input as Record<string, unknown>),
  })
  const view = await mountView(SecurityInitWizard, { fake, initialized: false, securityServerId: null })
  mounted = view.wrapper
  await flushPromises()
  return { fake, wrapper: view.wrapper }
}

async function throughOwnerAndCode(w: VueWrapper, cls: string, code: string): Promise<void> {
  await input(w, 'ss-init-member-class').setValue(cls)
  await input(w, 'ss-init-member-code').setValue(code)
  await afterLookupDelay()
  await flushPromises()
}

const done = { data: { initializeSecurityServer: { role: 'SECURITY', initialized: true, securityServerId: 'DEV/GOV/1234/SS1' } } }

describe('SecurityInitWizard', () => {
  it('uploads the anchor file and asks to compare its hash before going on', async () => {
    const { fake, wrapper } = await setup(() => done)
    await pickFile(wrapper, 'ss-init-anchor-file', new File([anchorXml], 'anchor.xml', { type: 'application/xml' }))

    expect(fake.callsOf('UploadAnchor').map((c) => c.variables)).toEqual([{ anchor: anchorXml }])
    expect(wrapper.find('[data-testid="ss-init-anchor-hash"]').text()).toBe(
      'A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C',
    )
    expect(wrapper.find('[data-testid="ss-init-anchor-instance"]').text()).toBe('DEV')
    const next = wrapper.find('[data-testid="ss-init-anchor-next"]')
    expect(next.attributes('disabled')).toBeDefined()

    await input(wrapper, 'ss-init-anchor-confirm').setValue(true)
    expect(next.attributes('disabled')).toBeUndefined()
    await wrapper.find('[data-testid="ss-init-step-anchor"]').trigger('submit')
    expect(wrapper.find('[data-testid="ss-init-step-owner"]').exists()).toBe(true)
  })

  it('looks the owner up by class and code, and says when it is not in the configuration', async () => {
    const { wrapper } = await setup(() => done, anchor)
    await input(wrapper, 'ss-init-anchor-confirm').setValue(true)
    await wrapper.find('[data-testid="ss-init-step-anchor"]').trigger('submit')

    await throughOwnerAndCode(wrapper, 'GOV', '1234')
    expect(wrapper.find('[data-testid="ss-init-owner-name"]').text()).toBe('Owner in the global configuration: Demo Agency')

    await throughOwnerAndCode(wrapper, 'GOV', '999')
    expect(wrapper.find('[data-testid="ss-init-owner-name"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="ss-init-owner-unknown"]').text()).toBe(en.ssInit.ownerNotFound)

    await throughOwnerAndCode(wrapper, 'GOV', 'BROKEN')
    expect(wrapper.find('[data-testid="ss-init-owner-unknown"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="ss-init-owner-lookup-failed"]').text()).toContain('The database is not reachable')
  })

  it('shows only the answer for what the fields hold now', async () => {
    const { fake, wrapper } = await setup(() => done, anchor)
    await input(wrapper, 'ss-init-anchor-confirm').setValue(true)
    await wrapper.find('[data-testid="ss-init-step-anchor"]').trigger('submit')
    await throughOwnerAndCode(wrapper, 'GOV', '1234')
    await input(wrapper, 'ss-init-member-code').setValue('12345')
    await flushPromises()
    expect(wrapper.find('[data-testid="ss-init-owner-name"]').exists()).toBe(false)
    await afterLookupDelay()
    await flushPromises()
    expect(wrapper.find('[data-testid="ss-init-owner-unknown"]').exists()).toBe(true)
    expect(fake.callsOf('OwnerName').map((c) => c.variables)).toEqual([
      { memberClass: 'GOV', memberCode: '1234' },
      { memberClass: 'GOV', memberCode: '12345' },
    ])
  })

  it('shows the warnings and continues anyway with ignoreWarnings', async () => {
    const inputs: Record<string, unknown>[] = []
    const { wrapper } = await setup((vars) => {
      inputs.push(vars)
      if (vars.ignoreWarnings) return done
      return {
        errors: [
          {
            message: 'warnings detected',
            extensions: {
              code: 'WARNINGS_DETECTED',
              warnings: [{ code: 'init_unregistered_member', metadata: ['DEV/GOV/999'] }],
            },
          },
        ],
      }
    }, anchor)
    await input(wrapper, 'ss-init-anchor-confirm').setValue(true)
    await wrapper.find('[data-testid="ss-init-step-anchor"]').trigger('submit')
    await throughOwnerAndCode(wrapper, 'GOV', '999')
    await wrapper.find('[data-testid="ss-init-step-owner"]').trigger('submit')
    await input(wrapper, 'ss-init-server-code').setValue('SS1')
    await wrapper.find('[data-testid="ss-init-step-server-code"]').trigger('submit')
    expect(wrapper.find('[data-testid="ss-init-summary-id"]').text()).toBe('DEV/GOV/999/SS1')
    await input(wrapper, 'ss-init-pin').setValue('1234-pin')
    await input(wrapper, 'ss-init-pin-again').setValue('1234-pin')
    await wrapper.find('[data-testid="ss-init-step-pin"]').trigger('submit')
    await flushPromises()

    const warnings = wrapper.findAll('[data-testid="ss-init-warning"]')
    expect(warnings.map((w) => w.text())).toEqual(['The owner member DEV/GOV/999 is not registered in the global configuration.'])
    expect(wrapper.findComponent(SecurityInitWizard).emitted('initialized')).toBeUndefined()

    await wrapper.find('[data-testid="ss-init-continue-anyway"]').trigger('click')
    await flushPromises()
    expect(inputs).toEqual([
      { ownerMemberClass: 'GOV', ownerMemberCode: '999', serverCode: 'SS1', softTokenPin: '1234-pin', ignoreWarnings: false },
      { ownerMemberClass: 'GOV', ownerMemberCode: '999', serverCode: 'SS1', softTokenPin: '1234-pin', ignoreWarnings: true },
    ])
    expect(wrapper.findComponent(SecurityInitWizard).emitted('initialized')).toEqual([['DEV/GOV/1234/SS1']])
  })

  it("shows other errors in the server's words with their code and keeps the PIN step", async () => {
    const weak = 'PIN is too weak: use at least 10 characters from at least 3 of: lower-case letters, upper-case letters, digits, special characters'
    const { wrapper } = await setup(
      () => ({ errors: [{ message: weak, extensions: { code: 'TOKEN_WEAK_PIN', field: 'softTokenPin' } }] }),
      anchor,
    )
    await input(wrapper, 'ss-init-anchor-confirm').setValue(true)
    await wrapper.find('[data-testid="ss-init-step-anchor"]').trigger('submit')
    await throughOwnerAndCode(wrapper, 'GOV', '1234')
    await wrapper.find('[data-testid="ss-init-step-owner"]').trigger('submit')
    await input(wrapper, 'ss-init-server-code').setValue('SS1')
    await wrapper.find('[data-testid="ss-init-step-server-code"]').trigger('submit')
    await input(wrapper, 'ss-init-pin').setValue('1')
    await input(wrapper, 'ss-init-pin-again').setValue('1')
    await wrapper.find('[data-testid="ss-init-step-pin"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="ss-init-error"] [data-testid="error-message"]').text()).toBe(weak)
    expect(wrapper.find('[data-testid="ss-init-error"] [data-testid="error-code"]').text()).toBe('Code: TOKEN_WEAK_PIN')
    expect(wrapper.find('[data-testid="ss-init-warnings"]').exists()).toBe(false)
  })
})
