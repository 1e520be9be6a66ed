import type { VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { mountInApp } from '@/test/mount'
import AnchorDetails from './AnchorDetails.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

describe('AnchorDetails', () => {
  it('shows the hash in colon-separated pairs that wrap only between pairs', () => {
    const hash = 'AB'.repeat(27) + '0F'
    mounted = mountInApp(AnchorDetails, {
      props: { anchor: { hash, generatedAt: '2026-11-26T10:00:00Z', instanceIdentifier: 'DEV' }, testid: 'x' },
    })
    const cell = mounted.find('[data-testid="x-hash"]')
    expect(cell.text()).toBe(`${'AB:'.repeat(27)}0F`)
    // One unbreakable piece per pair, a break opportunity after each.
    expect(cell.findAll('span.text-no-wrap').map((s) => s.text())).toEqual([...Array(27).fill('AB:'), '0F'])
    expect(cell.findAll('wbr')).toHaveLength(28)
    expect(mounted.find('[data-testid="x-instance"]').text()).toBe('DEV')
    expect(mounted.find('[data-testid="x-generated"]').text()).toMatch(/^26 Nov 2026, \d\d:00:00$/)
  })
})
