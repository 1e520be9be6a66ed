import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Permission } from '@/auth/permissions'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeHandler } from '@/test/fakeClient'
import UsersView from './UsersView.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  document.body.innerHTML = ''
})

/** Dialogs and menus are teleported to the body: look there. */
const $ = (selector: string) => document.querySelector<HTMLElement>(selector)
const byId = (id: string) => $(`[data-testid="${id}"]`)

async function click(el: HTMLElement | null): Promise<void> {
  if (!el) throw new Error('nothing to click')
  el.click()
  await flushPromises()
}

async function type(id: string, value: string): Promise<void> {
  const input = byId(id)?.querySelector('input')
  if (!input) throw new Error(`no input in ${id}`)
  input.value = value
  input.dispatchEvent(new Event('input'))
  await flushPromises()
}

/** Opens a role field's list and picks a role by its label. */
async function pickRole(id: string, label: string): Promise<void> {
  const field = byId(id)?.querySelector<HTMLElement>('.v-field')
  if (!field) throw new Error(`no field in ${id}`)
  field.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
  await flushPromises()
  const item = [...document.querySelectorAll<HTMLElement>('.v-list-item')].find((el) => el.textContent?.includes(label))
  await click(item ?? null)
}

const users = [
  { id: '103079215105', username: 'tester', roles: ['SYSTEM_ADMINISTRATOR'], disabled: false, createdAt: '2026-11-26T10:00:00Z' },
  { id: '103079215106', username: 'bob', roles: ['SECURITY_OFFICER'], disabled: false, createdAt: '2026-11-26T11:00:00Z' },
]
const apiKeys = [{ id: '1', name: 'monitoring', roles: ['SECURITYSERVER_OBSERVER'], createdAt: '2026-11-26T12:00:00Z' }]
const sessions = [
  {
    id: '85899345921',
    username: 'tester',
    clientAddress: '127.0.0.1',
    createdAt: '2026-11-26T13:00:00Z',
    lastSeenAt: '2026-11-26T13:05:00Z',
    expiresAt: '2026-11-26T13:35:00Z',
    current: true,
  },
  {
    id: '85899345922',
    username: 'bob',
    clientAddress: null,
    createdAt: '2026-11-26T13:01:00Z',
    lastSeenAt: '2026-11-26T13:02:00Z',
    expiresAt: '2026-11-26T13:32:00Z',
    current: false,
  },
]

const admin: Permission[] = [
  'view_admin_users',
  'add_admin_user',
  'update_admin_user',
  'view_api_keys',
  'create_api_key',
  'update_api_key',
  'revoke_api_key',
]

async function setup(permissions: Permission[] = admin, handlers: Record<string, FakeHandler> = {}, role: 'CENTRAL' | 'SECURITY' = 'SECURITY') {
  const fake = createFakeClient({
    Users: () => ({ data: { users } }),
    ApiKeys: () => ({ data: { apiKeys } }),
    Sessions: () => ({ data: { sessions } }),
    ...handlers,
  })
  const view = await mountView(UsersView, { fake, role, permissions })
  mounted = view.wrapper
  await flushPromises()
  return { fake, ...view }
}

const rows = (w: VueWrapper, id: string) => w.findAll(`[data-testid="${id}"]`)

describe('UsersView', () => {
  it('lists users, API keys and sessions, marking the signed-in user and this browser', async () => {
    const { wrapper } = await setup()
    expect(rows(wrapper, 'user-row').map((r) => r.attributes('data-username'))).toEqual(['tester', 'bob'])
    expect(wrapper.find('[data-username="tester"]').text()).toContain('you')
    expect(wrapper.find('[data-username="bob"]').text()).toContain('Security officer')
    expect(rows(wrapper, 'api-key-row')[0]!.text()).toContain('monitoring')
    expect(rows(wrapper, 'api-key-row')[0]!.text()).toContain('Security server observer')
    const sessionRows = rows(wrapper, 'session-row')
    expect(sessionRows[0]!.text()).toContain('this browser')
    expect(sessionRows[1]!.text()).toContain('unknown')
  })

  it('shows an observer the lists without any action', async () => {
    const { wrapper } = await setup(['view_admin_users', 'view_api_keys'])
    expect(rows(wrapper, 'user-row')).toHaveLength(2)
    for (const id of ['add-user', 'create-api-key', 'user-disable', 'user-roles', 'api-key-revoke', 'session-end']) {
      expect(wrapper.find(`[data-testid="${id}"]`).exists(), id).toBe(false)
    }
  })

  it('shows only the API keys to whom may see nothing else', async () => {
    const { wrapper, fake } = await setup(['view_api_keys'])
    expect(wrapper.find('[data-testid="users-card"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="sessions-card"]').exists()).toBe(false)
    expect(fake.callsOf('Users')).toHaveLength(0)
    expect(rows(wrapper, 'api-key-row')).toHaveLength(1)
  })

  it('shows a new API key once, with a copy button, and reloads the list', async () => {
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const { wrapper, fake } = await setup(admin, {
      CreateApiKey: (v) => ({ data: { createApiKey: { key: 'rr_secret-key', apiKey: { id: '2', name: v.name } } } }),
    })
    await click(wrapper.find<HTMLElement>('[data-testid="create-api-key"]').element)
    await type('create-api-key-name', 'ci')
    await pickRole('create-api-key-roles', 'Security officer')
    await click(byId('dialog-submit'))
    expect(fake.callsOf('CreateApiKey')[0]?.variables).toEqual({ name: 'ci', roles: ['SECURITY_OFFICER'] })
    expect(byId('new-api-key')?.querySelector('input')?.value).toBe('rr_secret-key')
    expect(fake.callsOf('ApiKeys')).toHaveLength(2)

    await click(byId('copy-api-key'))
    expect(writeText).toHaveBeenCalledWith('rr_secret-key')
    expect(byId('copy-result')?.textContent).toContain('Copied')

    await click(byId('dialog-submit'))
    expect(document.body.textContent).not.toContain('rr_secret-key')
  })

  it('disables a user after asking, and shows why the server refuses', async () => {
    const answers = [
      { errors: [{ message: 'bob is the last enabled system administrator', extensions: { code: 'LAST_SYSTEM_ADMINISTRATOR' } }] },
      { data: { disableUser: { id: users[1]!.id, disabled: true } } },
    ]
    const { wrapper, fake, notifications } = await setup(admin, { DisableUser: () => answers.shift()! })
    await click(wrapper.find<HTMLElement>('[data-username="bob"] [data-testid="user-disable"]').element)
    expect(byId('confirm-text')?.textContent).toContain('bob is signed out everywhere')
    await click(byId('dialog-submit'))
    expect(byId('dialog-error')?.textContent).toContain('bob is the last enabled system administrator')
    expect(byId('dialog-error')?.querySelector('[data-testid="error-code"]')?.textContent?.trim()).toBe('Code: LAST_SYSTEM_ADMINISTRATOR')
    await click(byId('dialog-submit'))
    expect(fake.callsOf('DisableUser').map((c) => c.variables)).toEqual([{ id: users[1]!.id }, { id: users[1]!.id }])
    expect(notifications.items.at(-1)?.title).toBe('bob is disabled.')
    expect(fake.callsOf('Users')).toHaveLength(2)
    expect(fake.callsOf('Sessions')).toHaveLength(2)
  })

  it('revokes an API key after asking', async () => {
    const { wrapper, fake } = await setup(admin, { RevokeApiKey: (v) => ({ data: { revokeApiKey: { id: v.id, revokedAt: '2026-11-27T00:00:00Z' } } }) })
    await click(wrapper.find<HTMLElement>('[data-testid="api-key-revoke"]').element)
    expect(byId('revoke-api-key-dialog')?.textContent).toContain('Revoke API key monitoring?')
    await click(byId('dialog-submit'))
    expect(fake.callsOf('RevokeApiKey')[0]?.variables).toEqual({ id: '1' })
    expect(fake.callsOf('ApiKeys')).toHaveLength(2)
  })

  it("ends another user's session, and signs out when ending this browser's", async () => {
    const { wrapper, fake, session } = await setup(admin, { EndSession: () => ({ data: { endSession: true } }) })
    await click(wrapper.find<HTMLElement>('[data-session-id="85899345922"] [data-testid="session-end"]').element)
    await click(byId('dialog-submit'))
    expect(fake.callsOf('EndSession')[0]?.variables).toEqual({ id: '85899345922' })
    expect(session.state.user).not.toBeNull()

    await click(wrapper.find<HTMLElement>('[data-session-id="85899345921"] [data-testid="session-end"]').element)
    expect(byId('confirm-text')?.textContent).toContain('your own session')
    await click(byId('dialog-submit'))
    expect(session.state.user).toBeNull()
  })

  it('adds a user with roles of this server', async () => {
    const { wrapper, fake } = await setup(admin, { AddUser: (v) => ({ data: { addUser: { id: '9', username: (v.input as { username: string }).username } } }) })
    await click(wrapper.find<HTMLElement>('[data-testid="add-user"]').element)
    await type('add-user-username', ' carol ')
    await type('add-user-password', 'a good password')
    await pickRole('add-user-roles', 'Security server observer')
    await click(byId('dialog-submit'))
    expect(fake.callsOf('AddUser')[0]?.variables).toEqual({
      input: { username: 'carol', password: 'a good password', roles: ['SECURITYSERVER_OBSERVER'] },
    })
  })

  it("offers a central server's roles only", async () => {
    const central: Permission[] = ['VIEW_ADMIN_USERS', 'ADD_ADMIN_USER', 'UPDATE_ADMIN_USER', 'VIEW_API_KEYS', 'CREATE_API_KEY']
    const { wrapper } = await setup(central, {}, 'CENTRAL')
    await click(wrapper.find<HTMLElement>('[data-testid="add-user"]').element)
    byId('add-user-roles')?.querySelector('.v-field')?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
    await flushPromises()
    const offered = [...document.querySelectorAll('.v-list-item')].map((el) => el.textContent?.trim())
    expect(offered).toEqual(['Security officer', 'Registration officer', 'System administrator'])
  })
})
