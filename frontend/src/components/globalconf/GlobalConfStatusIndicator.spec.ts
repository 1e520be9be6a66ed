import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { mountView } from '@/test/app'
import { createFakeClient } from '@/test/fakeClient'
import GlobalConfStatusIndicator from './GlobalConfStatusIndicator.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString()
const status = (overrides: Record<string, unknown> = {}) => ({
  instanceIdentifier: 'DEV',
  version: 4,
  generatedAt: minutesFromNow(-1),
  expiresAt: minutesFromNow(9),
  lastSuccessAt: minutesFromNow(-1),
  error: null,
  failingSince: null,
  ...overrides,
})

describe('GlobalConfStatusIndicator', () => {
  it('shows the loaded status and follows globalConfigurationChanged', async () => {
    const fake = createFakeClient({ GlobalConfStatus: () => ({ data: { globalConfigurationStatus: status() } }) })
    const view = await mountView(GlobalConfStatusIndicator, { fake, role: 'CENTRAL' })
    mounted = view.wrapper
    await flushPromises()
    const chip = () => view.wrapper.find('[data-testid="conf-status"]')
    expect(chip().attributes('data-health')).toBe('ok')
    expect(chip().text()).toContain('Global configuration OK')

    fake.push('GlobalConfChanged', {
      globalConfigurationChanged: status({ error: 'the signing token is logged out', failingSince: '2026-11-26T09:30:00Z' }),
    })
    await flushPromises()
    expect(chip().attributes('data-health')).toBe('failing')
    expect(chip().text()).toMatch(/^Global configuration failing since 26 Nov 2026, \d\d:30:00/)
    expect(chip().attributes('title')).toContain('the signing token is logged out')
  })

  it('warns when the configuration expires soon', async () => {
    const fake = createFakeClient({
      GlobalConfStatus: () => ({ data: { globalConfigurationStatus: status({ generatedAt: minutesFromNow(-8), expiresAt: minutesFromNow(2) }) } }),
    })
    const view = await mountView(GlobalConfStatusIndicator, { fake })
    mounted = view.wrapper
    await flushPromises()
    expect(view.wrapper.find('[data-testid="conf-status"]').attributes('data-health')).toBe('expiresSoon')
  })
})
