// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { createSession, LoginError, type SessionUser } from './session'

const admin: SessionUser = { username: 'admin', roles: ['SECURITY_OFFICER'], permissions: [] }

describe('createSession', () => {
  it('ignores expiry while nobody is signed in', async () => {
    const onEnd = vi.fn()
    const session = createSession({ loadUser: async () => null, onEnd })
    await session.ensureChecked()
    session.expire()
    expect(session.state.ended).toBeNull()
    expect(onEnd).not.toHaveBeenCalled()
  })

  it('ends the session once on expiry and clears the notice on the next sign-in', async () => {
    const onEnd = vi.fn()
    const fetchMock = vi.fn<typeof fetch>(async () => new Response(null, { status: 204 }))
    const session = createSession({ loadUser: async () => admin, onEnd, fetch: fetchMock })
    await session.ensureChecked()

    session.expire()
    session.expire()
    expect(onEnd).toHaveBeenCalledTimes(1)
    expect(onEnd).toHaveBeenCalledWith('expired')
    expect(session.state).toMatchObject({ user: null, checked: false, ended: 'expired' })

    await session.signIn('admin', 'pw')
    expect(session.state).toMatchObject({ user: admin, checked: true, ended: null })
  })

  it('signs out locally even when /auth/logout cannot be reached', async () => {
    const onEnd = vi.fn()
    const fetchMock = vi.fn<typeof fetch>(() => Promise.reject(new TypeError('Failed to fetch')))
    const session = createSession({ loadUser: async () => admin, onEnd, fetch: fetchMock })
    await session.ensureChecked()
    await session.signOut()
    expect(fetchMock).toHaveBeenCalledWith('/auth/logout', { method: 'POST', credentials: 'same-origin' })
    expect(session.state.user).toBeNull()
    expect(onEnd).toHaveBeenCalledWith('signedOut')
  })

  it.each([
    { status: 401, retryAfter: null, want: { status: 401, retryAfterSeconds: undefined } },
    { status: 429, retryAfter: '12', want: { status: 429, retryAfterSeconds: 12 } },
    { status: 429, retryAfter: 'soon', want: { status: 429, retryAfterSeconds: undefined } },
  ])('rejects sign-in with LoginError $want', async ({ status, retryAfter, want }) => {
    const headers: Record<string, string> = retryAfter === null ? {} : { 'Retry-After': retryAfter }
    const session = createSession({
      loadUser: async () => admin,
      fetch: async () => new Response(null, { status, headers }),
    })
    const failure = await session.signIn('admin', 'x').catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(LoginError)
    expect(failure).toMatchObject(want)
    expect(session.state.user).toBeNull()
  })
})
