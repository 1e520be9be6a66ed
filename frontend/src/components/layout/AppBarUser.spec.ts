import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mountInApp } from '@/test/mount'
import AppBarUser from './AppBarUser.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

describe('AppBarUser', () => {
  it.each([
    {
      roles: ['SECURITY_OFFICER', 'SYSTEM_ADMINISTRATOR'],
      want: 'Security officer, System administrator',
    },
    { roles: ['SECURITYSERVER_OBSERVER'], want: 'Security server observer' },
    { roles: [], want: 'No roles' },
  ])('shows the user name and roles $roles', ({ roles, want }) => {
    mounted = mountInApp(AppBarUser, { props: { user: { username: 'alice', roles } } })
    expect(mounted.find('[data-testid="shell-username"]').text()).toBe('alice')
    expect(mounted.find('[data-testid="shell-roles"]').text()).toBe(want)
  })

  it('offers "Change password" in the account menu', async () => {
    mounted = mountInApp(AppBarUser, { props: { user: { username: 'alice', roles: [] } } })
    await mounted.find('[data-testid="account-menu"]').trigger('click')
    await flushPromises()
    expect(document.querySelector('[data-testid="change-password"]')?.textContent).toContain('Change password')
  })

  it('emits signOut when the sign-out button is clicked', async () => {
    const onSignOut = vi.fn()
    mounted = mountInApp(AppBarUser, { props: { user: { username: 'alice', roles: [] }, onSignOut } })
    await mounted.find('[data-testid="sign-out"]').trigger('click')
    expect(onSignOut).toHaveBeenCalledTimes(1)
  })
})
