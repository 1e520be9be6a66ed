import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { createSession, type SessionUser } from '@/auth/session'
import { createAppRouter } from './index'

const admin: SessionUser = { username: 'admin', roles: ['SYSTEM_ADMINISTRATOR'], permissions: [] }

function setup(user: SessionUser | null | Error) {
  const loadUser = vi.fn(async () => {
    if (user instanceof Error) throw user
    return user
  })
  const session = createSession({ loadUser, fetch: vi.fn(async () => new Response(null, { status: 204 })) })
  const router = createAppRouter(session, createMemoryHistory())
  return { session, router, loadUser }
}

describe('createAppRouter', () => {
  it.each([
    { name: 'signed in', user: admin, want: '/' },
    { name: 'signed out', user: null, want: '/login?redirect=/' },
    { name: 'server unreachable', user: new Error('down'), want: '/login?redirect=/' },
  ])('guards the overview when $name', async ({ user, want }) => {
    const { router } = setup(user)
    await router.push('/')
    expect(router.currentRoute.value.fullPath).toBe(want)
  })

  it('asks the server only once while the user is known', async () => {
    const { router, loadUser } = setup(admin)
    await router.push('/')
    await router.push('/login')
    await router.push('/')
    expect(loadUser).toHaveBeenCalledTimes(1)
  })

  it('sends the user to the login page with an "expired" notice when the session expires', async () => {
    const { router, session } = setup(admin)
    await router.push('/')
    session.expire()
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/login?redirect=/')
    expect(session.state.ended).toBe('expired')
  })

  it('signs out through /auth/logout and lands on the login page', async () => {
    const { router, session } = setup(admin)
    await router.push('/')
    await session.signOut()
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('login')
    expect(session.state.ended).toBe('signedOut')
    expect(session.state.user).toBeNull()
  })

  it('sends a signed-in user from the login page into the app', async () => {
    const { router } = setup(admin)
    await router.push('/')
    await router.push('/login?redirect=/')
    expect(router.currentRoute.value.name).toBe('overview')
  })

  it('sends unknown paths to the overview', async () => {
    const { router } = setup(admin)
    await router.push('/no/such/page')
    expect(router.currentRoute.value.name).toBe('overview')
  })
})
