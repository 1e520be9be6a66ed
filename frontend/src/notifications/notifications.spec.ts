import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import NotificationHost from '@/components/layout/NotificationHost.vue'
import { mountView } from '@/test/app'
import { createFakeClient } from '@/test/fakeClient'
import { createNotifications } from './notifications'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  vi.useRealTimers()
  document.body.innerHTML = ''
})

const shown = () => [...document.querySelectorAll('[data-testid="notification-title"]')].map((n) => n.textContent?.trim())

describe('notifications', () => {
  it('keeps one at a time: a new one replaces the last', () => {
    const n = createNotifications()
    n.notify({ kind: 'info', title: 'Logged out' })
    n.notify({ kind: 'success', title: 'Logged in' })
    expect(n.items.map((i) => [i.title, i.sticky])).toEqual([['Logged in', false]])
    n.notify({ kind: 'error', title: 'Failed' })
    expect(n.items.map((i) => [i.title, i.sticky])).toEqual([['Failed', true]])
  })

  it('shows one; a success goes by itself after its time, a newer one restarts the time, an error stays', async () => {
    vi.useFakeTimers()
    const view = await mountView(NotificationHost, { fake: createFakeClient({}) })
    mounted = view.wrapper
    view.notifications.notify({ kind: 'info', title: 'Logged out' })
    await vi.advanceTimersByTimeAsync(4_000)
    view.notifications.notify({ kind: 'success', title: 'Logged in' })
    await flushPromises()
    expect(shown()).toEqual(['Logged in'])
    await vi.advanceTimersByTimeAsync(4_000) // the first one's time is over, not this one's
    expect(shown()).toEqual(['Logged in'])
    await vi.advanceTimersByTimeAsync(2_500)
    expect(shown()).toEqual([])

    view.notifications.notify({ kind: 'error', title: 'Failed' })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(shown()).toEqual(['Failed'])
  })
})
