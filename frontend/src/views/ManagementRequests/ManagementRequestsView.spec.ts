import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Permission } from '@/auth/permissions'
import { mountView } from '@/test/app'
import { createFakeClient } from '@/test/fakeClient'
import ManagementRequestsView from './ManagementRequestsView.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

const request = (id: string, requestId: number, status: string) => ({
  id,
  requestId,
  createdAt: '2026-11-26T10:00:00Z',
  type: 'AUTH_CERT_REGISTRATION_REQUEST',
  origin: 'SECURITY_SERVER',
  status,
  serverId: `DEV/GOV/1234/SS${requestId}`,
  securityServerOwnerName: 'Demo Agency',
  address: '10.0.0.1',
})

const connection = (nodes: ReturnType<typeof request>[]) => ({
  managementRequests: {
    totalCount: nodes.length,
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    edges: nodes.map((node) => ({ node })),
  },
})

async function setup(permissions?: Permission[]) {
  const answers = [connection([request('1', 1, 'APPROVED')]), connection([request('2', 2, 'WAITING'), request('1', 1, 'APPROVED')])]
  let call = 0
  const fake = createFakeClient({
    ManagementRequests: () => ({ data: answers[Math.min(call++, answers.length - 1)] }),
  })
  const view = await mountView(ManagementRequestsView, { fake, role: 'CENTRAL', permissions })
  mounted = view.wrapper
  await flushPromises()
  return { fake, wrapper: view.wrapper }
}

const officer: Permission[] = [
  'VIEW_MANAGEMENT_REQUESTS',
  'APPROVE_AUTH_CERT_REGISTRATION_REQUEST',
  'REVOKE_AUTH_CERT_REGISTRATION_REQUEST',
]

const rows = (w: VueWrapper) => w.findAll('[data-testid="request-row"]').map((r) => [r.attributes('data-request-id'), r.attributes('data-status')])

describe('ManagementRequestsView', () => {
  it('reloads the list when managementRequestChanged fires', async () => {
    const { fake, wrapper } = await setup(officer)
    expect(rows(wrapper)).toEqual([['1', 'APPROVED']])

    fake.push('ManagementRequestChanged', { managementRequestChanged: { id: '2', requestId: 2, status: 'WAITING', serverId: 'DEV/GOV/1234/SS2' } })
    await flushPromises()

    expect(fake.callsOf('ManagementRequests')).toHaveLength(2)
    expect(rows(wrapper)).toEqual([
      ['2', 'WAITING'],
      ['1', 'APPROVED'],
    ])
    const waiting = wrapper.find('[data-testid="request-row"][data-request-id="2"]')
    expect(waiting.find('[data-testid="row-approve"]').exists()).toBe(true)
    expect(waiting.find('[data-testid="row-decline"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="request-row"][data-request-id="1"] [data-testid="row-approve"]').exists()).toBe(false)
  })

  it('passes the filters to the query and starts from the first page', async () => {
    const { fake, wrapper } = await setup(officer)
    const vm = wrapper.findComponent(ManagementRequestsView).vm as unknown as { status: string | null }
    vm.status = 'WAITING'
    await flushPromises()
    expect(fake.callsOf('ManagementRequests').at(-1)?.variables).toMatchObject({ status: 'WAITING', first: 20 })
  })

  it.each<{ name: string; permissions: Permission[]; want: string[] }>([
    { name: 'both decisions', permissions: officer, want: ['row-approve', 'row-decline'] },
    { name: 'approve only', permissions: ['VIEW_MANAGEMENT_REQUESTS', 'APPROVE_AUTH_CERT_REGISTRATION_REQUEST'], want: ['row-approve'] },
    { name: 'decline only', permissions: ['VIEW_MANAGEMENT_REQUESTS', 'REVOKE_AUTH_CERT_REGISTRATION_REQUEST'], want: ['row-decline'] },
    { name: 'viewing only', permissions: ['VIEW_MANAGEMENT_REQUESTS'], want: [] },
  ])('row actions by permission: $name', async ({ permissions, want }) => {
    const { fake, wrapper } = await setup(permissions)
    fake.push('ManagementRequestChanged', { managementRequestChanged: { id: '2', requestId: 2, status: 'WAITING', serverId: 'DEV/GOV/1234/SS2' } })
    await flushPromises()
    const waiting = wrapper.find('[data-testid="request-row"][data-request-id="2"]')
    expect(waiting.findAll('[data-testid^="row-"]').map((b) => b.attributes('data-testid'))).toEqual(want)
  })

  it('row actions are compact buttons named for the request, and open their dialogs', async () => {
    const { fake, wrapper } = await setup(officer)
    fake.push('ManagementRequestChanged', { managementRequestChanged: { id: '2', requestId: 2, status: 'WAITING', serverId: 'DEV/GOV/1234/SS2' } })
    await flushPromises()
    const waiting = wrapper.find('[data-testid="request-row"][data-request-id="2"]')
    const approve = waiting.find('[data-testid="row-approve"]')
    const decline = waiting.find('[data-testid="row-decline"]')
    // Native buttons (reachable with Tab, pressed with Enter or Space) with an accessible name but no visible text.
    for (const [button, name] of [
      [approve, 'Approve request 2 from DEV/GOV/1234/SS2'],
      [decline, 'Decline request 2 from DEV/GOV/1234/SS2'],
    ] as const) {
      expect(button.element.tagName).toBe('BUTTON')
      expect(button.attributes('aria-label')).toBe(name)
      expect(button.text()).toBe('')
      expect(button.find('svg').exists()).toBe(true)
    }

    await approve.trigger('click')
    await flushPromises()
    expect(document.querySelector('[data-testid="approve-request-dialog"] [data-testid="confirm-text"]')?.textContent).toContain(
      'Approve request 2?',
    )
  })
})
