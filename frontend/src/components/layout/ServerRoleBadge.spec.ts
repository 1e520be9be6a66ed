import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountInApp } from '@/test/mount'
import ServerRoleBadge from './ServerRoleBadge.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

describe('ServerRoleBadge', () => {
  it.each([
    { role: 'CENTRAL', instanceIdentifier: 'DEV', wantRole: 'CENTRAL', wantInstance: 'Instance DEV' },
    { role: 'SECURITY', instanceIdentifier: 'EE', wantRole: 'SECURITY', wantInstance: 'Instance EE' },
    { role: 'SECURITY', instanceIdentifier: null, wantRole: 'SECURITY', wantInstance: undefined },
    { role: 'CENTRAL', instanceIdentifier: undefined, wantRole: 'CENTRAL', wantInstance: undefined },
  ])('shows $role and instance $instanceIdentifier', ({ role, instanceIdentifier, wantRole, wantInstance }) => {
    mounted = mountInApp(ServerRoleBadge, { props: { role, instanceIdentifier } })
    expect(mounted.find('[data-testid="server-role"]').text()).toBe(wantRole)
    const instance = mounted.find('[data-testid="instance-identifier"]')
    if (wantInstance === undefined) {
      expect(instance.exists()).toBe(false)
    } else {
      expect(instance.text()).toBe(wantInstance)
    }
  })

  it('shows nothing while the role is unknown', () => {
    mounted = mountInApp(ServerRoleBadge, { props: { role: null, instanceIdentifier: 'DEV' } })
    expect(mounted.find('[data-testid="server-role-badge"]').exists()).toBe(false)
  })
})
