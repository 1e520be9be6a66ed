import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { install as installUrql } from '@urql/vue'
import { createSession, sessionKey, type Session, type SessionUser } from '@/auth/session'
import en from '@/locales/en.json'
import { createFakeClient, type FakeAnswer } from '@/test/fakeClient'
import { mountInApp } from '@/test/mount'
import LoginView from './LoginView.vue'

const admin: SessionUser = { username: 'admin', roles: ['SECURITY_OFFICER'], permissions: [] }
const Stub = defineComponent({ render: () => null })

interface Setup {
  wrapper: VueWrapper
  router: Router
  session: Session
  fetchMock: ReturnType<typeof vi.fn<typeof fetch>>
  loadUser: ReturnType<typeof vi.fn<() => Promise<SessionUser | null>>>
}

const securityServerOfDev: FakeAnswer = {
  data: { serverInfo: { role: 'SECURITY', initialized: true, instanceIdentifier: 'DEV' } },
}

async function setup(
  respond: () => Promise<Response>,
  start = '/login?redirect=/keys',
  serverInfo: FakeAnswer = securityServerOfDev,
): Promise<Setup> {
  const fetchMock = vi.fn<typeof fetch>(respond)
  const loadUser = vi.fn(async (): Promise<SessionUser | null> => admin)
  const session = createSession({ loadUser, fetch: fetchMock })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/', component: Stub },
      { path: '/keys', component: Stub },
    ],
  })
  await router.push(start)
  await router.isReady()
  const fake = createFakeClient({ LoginServer: () => serverInfo })
  const wrapper = mountInApp(LoginView, {
    plugins: [router, { install: (app) => installUrql(app, fake.client) }],
    provide: { [sessionKey]: session },
  })
  return { wrapper, router, session, fetchMock, loadUser }
}

async function fill(wrapper: VueWrapper, username: string, password: string): Promise<void> {
  await wrapper.find('[data-testid="login-username"] input').setValue(username)
  await wrapper.find('[data-testid="login-password"] input').setValue(password)
}

function errorText(wrapper: VueWrapper): string {
  return wrapper.find('[data-testid="login-error"]').text()
}

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
})

describe('LoginView', () => {
  it('posts the credentials as JSON and goes to the page the user wanted', async () => {
    const s = await setup(async () => new Response(null, { status: 204 }))
    mounted = s.wrapper
    await fill(s.wrapper, 'admin', 's3cret')
    await s.wrapper.find('[data-testid="login-submit"]').trigger('click')
    await flushPromises()

    expect(s.fetchMock).toHaveBeenCalledTimes(1)
    const [url, init] = s.fetchMock.mock.calls[0]!
    expect(url).toBe('/auth/login')
    expect(init?.method).toBe('POST')
    expect(init?.credentials).toBe('same-origin')
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/json')
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'admin', password: 's3cret' })
    expect(s.loadUser).toHaveBeenCalledTimes(1)
    expect(s.session.state.user).toEqual(admin)
    expect(s.router.currentRoute.value.fullPath).toBe('/keys')
  })

  it('submits when Enter is pressed in the password field', async () => {
    const s = await setup(async () => new Response(null, { status: 204 }))
    mounted = s.wrapper
    await fill(s.wrapper, 'admin', 's3cret')
    await s.wrapper.find('[data-testid="login-password"] input').trigger('keydown', { key: 'Enter' })
    await flushPromises()

    expect(s.fetchMock).toHaveBeenCalledTimes(1)
    expect(s.router.currentRoute.value.fullPath).toBe('/keys')
  })

  it.each<{ name: string; status: number; headers: Record<string, string>; want: string }>([
    { name: 'wrong credentials (401)', status: 401, headers: {}, want: en.login.wrongCredentials },
    {
      name: 'rate limited with Retry-After (429)',
      status: 429,
      headers: { 'Retry-After': '30' },
      want: en.login.rateLimited.replace('{seconds}', '30'),
    },
    { name: 'rate limited without Retry-After (429)', status: 429, headers: {}, want: en.login.rateLimitedNoDelay },
    { name: 'server failure (500)', status: 500, headers: {}, want: en.login.failed.replace('{status}', '500') },
  ])('shows a readable error on $name and stays on the login page', async ({ status, headers, want }) => {
    const s = await setup(async () => new Response('{"error":"nope"}', { status, headers }))
    mounted = s.wrapper
    await fill(s.wrapper, 'admin', 'wrong')
    await s.wrapper.find('[data-testid="login-submit"]').trigger('click')
    await flushPromises()

    expect(errorText(s.wrapper)).toBe(want)
    expect(s.loadUser).not.toHaveBeenCalled()
    expect(s.session.state.user).toBeNull()
    expect(s.router.currentRoute.value.path).toBe('/login')
  })

  it('says the server cannot be reached when fetch fails', async () => {
    const s = await setup(() => Promise.reject(new TypeError('Failed to fetch')))
    mounted = s.wrapper
    await fill(s.wrapper, 'admin', 's3cret')
    await s.wrapper.find('[data-testid="login-submit"]').trigger('click')
    await flushPromises()

    expect(errorText(s.wrapper)).toBe(en.login.unreachable)
  })

  it('asks for both fields before posting anything', async () => {
    const s = await setup(async () => new Response(null, { status: 204 }))
    mounted = s.wrapper
    await fill(s.wrapper, 'admin', '')
    await s.wrapper.find('[data-testid="login-submit"]').trigger('click')
    await flushPromises()

    expect(s.fetchMock).not.toHaveBeenCalled()
    expect(errorText(s.wrapper)).toBe(en.login.missingFields)
  })

  it('ignores a redirect to another origin', async () => {
    const s = await setup(async () => new Response(null, { status: 204 }), '/login?redirect=//evil.example/x')
    mounted = s.wrapper
    await fill(s.wrapper, 'admin', 's3cret')
    await s.wrapper.find('[data-testid="login-submit"]').trigger('click')
    await flushPromises()

    expect(s.router.currentRoute.value.fullPath).toBe('/')
  })

  it('names the server and its instance before sign-in, under a level-one heading', async () => {
    const s = await setup(async () => new Response(null, { status: 204 }))
    mounted = s.wrapper
    await flushPromises()
    expect(s.wrapper.find('h1').text()).toBe(en.login.title)
    expect(s.wrapper.find('[data-testid="login-server"]').text()).toBe('Security server of X-Road instance DEV')
  })

  it('says when the server is not initialized yet', async () => {
    const s = await setup(async () => new Response(null, { status: 204 }), '/login', {
      data: { serverInfo: { role: 'CENTRAL', initialized: false, instanceIdentifier: null } },
    })
    mounted = s.wrapper
    await flushPromises()
    expect(s.wrapper.find('[data-testid="login-server"]').text()).toBe('Central server, not initialized yet')
  })
})
