import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mountView } from '@/test/app'
import { createFakeClient } from '@/test/fakeClient'
import ClusterStatusCard from './ClusterStatusCard.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

const node = (name: string, overrides: Record<string, unknown> = {}) => ({
  name,
  address: null,
  state: 'OK',
  lastHeartbeatAt: '2026-12-07T10:00:00Z',
  signingTokenLoggedIn: true,
  generator: false,
  ...overrides,
})

const cluster = (overrides: Record<string, unknown> = {}) => ({
  highAvailability: true,
  nodeName: 'cs2',
  generator: 'cs1',
  lastVersion: 42,
  lastGeneratedAt: '2026-12-07T10:00:00Z',
  lastGeneratedBy: 'cs1',
  allNodesOk: true,
  nodes: [node('cs1', { generator: true, address: 'cs1.example.org' }), node('cs2')],
  ...overrides,
})

const text = (w: VueWrapper, id: string) => w.find(`[data-testid="${id}"]`).text()

describe('ClusterStatusCard', () => {
  it('shows which replica generates and every replica with its state', async () => {
    const fake = createFakeClient({ CentralServerCluster: () => ({ data: { centralServerCluster: cluster() } }) })
    mounted = (await mountView(ClusterStatusCard, { fake, role: 'CENTRAL' })).wrapper
    await flushPromises()
    expect(text(mounted, 'cluster-health')).toBe('All replicas OK')
    expect(text(mounted, 'cluster-node')).toBe('cs2')
    expect(text(mounted, 'cluster-generator')).toBe('cs1')
    expect(text(mounted, 'cluster-last')).toMatch(/^Version 42, 07 Dec 2026, \d\d:00:00, by cs1$/)
    expect(text(mounted, 'cluster-node-cs1')).toContain('cs1.example.org')
    expect(text(mounted, 'cluster-node-cs1')).toContain('generates')
    expect(text(mounted, 'cluster-node-cs2')).not.toContain('generates')
  })

  it('says when a replica is gone and none can generate', async () => {
    const fake = createFakeClient({
      CentralServerCluster: () => ({
        data: {
          centralServerCluster: cluster({
            generator: null,
            allNodesOk: false,
            nodes: [node('cs1', { state: 'STALE', signingTokenLoggedIn: false }), node('cs2', { state: 'STOPPED', signingTokenLoggedIn: false })],
          }),
        },
      }),
    })
    mounted = (await mountView(ClusterStatusCard, { fake, role: 'CENTRAL' })).wrapper
    await flushPromises()
    expect(text(mounted, 'cluster-health')).toBe('Not all replicas OK')
    expect(text(mounted, 'cluster-generator')).toBe("None: no replica's signing token is logged in")
    expect(text(mounted, 'cluster-node-cs1')).toContain('No heartbeat')
    expect(text(mounted, 'cluster-node-cs1')).toContain('Logged out')
    expect(text(mounted, 'cluster-node-cs2')).toContain('Stopped')
  })

  it('reads the status again while it is shown', async () => {
    let version = 1
    const fake = createFakeClient({ CentralServerCluster: () => ({ data: { centralServerCluster: cluster({ lastVersion: version++ }) } }) })
    mounted = (await mountView(ClusterStatusCard, { fake, role: 'CENTRAL', props: { refreshMs: 10 } })).wrapper
    await vi.waitFor(() => expect(fake.callsOf('CentralServerCluster').length).toBeGreaterThan(2))
    await flushPromises()
    expect(text(mounted, 'cluster-last')).not.toMatch(/^Version 1,/)
  })
})
