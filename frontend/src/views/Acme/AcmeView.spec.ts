import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { print } from 'graphql'
import { afterEach, describe, expect, it } from 'vitest'
import type { Permission } from '@/auth/permissions'
import { AcmeAccountsDocument, SetAcmeAccountDocument } from '@/gql/graphql'
import { mountView } from '@/test/app'
import { createFakeClient, type FakeHandler } from '@/test/fakeClient'
import AcmeView from './AcmeView.vue'

let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  mounted = undefined
  document.body.innerHTML = ''
})

/** Dialogs and menus are teleported to the body: look there. */
const byId = (id: string, root: ParentNode = document) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`)
const rows = () => [...document.querySelectorAll<HTMLElement>('[data-testid="acme-account-row"]')]
const row = (id: string) => document.querySelector<HTMLElement>(`[data-testid="acme-account-row"][data-account-id="${id}"]`)
const submitDisabled = () => (byId('dialog-submit') as HTMLButtonElement | null)?.disabled

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

/** The entries of the open list (closed lists may stay in the page). */
const menuItems = '.v-overlay--active .v-list-item'

/** Opens a select's list and picks an entry by its label. */
async function pick(id: string, label: string): Promise<void> {
  const field = byId(id)?.querySelector<HTMLElement>('.v-field')
  if (!field) throw new Error(`no field in ${id}`)
  field.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
  await flushPromises()
  const item = [...document.querySelectorAll<HTMLElement>(menuItems)].find((el) => el.textContent?.includes(label))
  await click(item ?? null)
}

/** The entries a select offers (its list is opened and closed again). */
async function offered(id: string): Promise<string[]> {
  const toggle = async () => {
    byId(id)?.querySelector('.v-field')?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
    await flushPromises()
  }
  await toggle()
  const items = [...document.querySelectorAll(menuItems)].map((el) => el.textContent?.trim() ?? '')
  await toggle()
  return items
}

const MAC = 'c2VjcmV0LW1hYy1rZXk'

const accounts = [
  {
    __typename: 'AcmeAccount',
    id: '7',
    caName: 'ACME CA',
    memberId: 'DEV/GOV/1234',
    keyUsage: null,
    eabKeyId: 'kid-7',
    eabMacKeySet: true,
    contactEmail: 'ops@example.org',
    registered: true,
    accountUrl: 'https://acme.example.org/acct/7',
    // Not in the schema: the page must not show whatever else an answer carries.
    eabMacKey: MAC,
  },
  {
    __typename: 'AcmeAccount',
    id: '8',
    caName: 'ACME CA',
    memberId: 'DEV/COM/5678',
    keyUsage: 'SIGNING',
    eabKeyId: null,
    eabMacKeySet: false,
    contactEmail: null,
    registered: false,
    accountUrl: null,
  },
]

const cas = [
  {
    name: 'ACME CA',
    authenticationOnly: false,
    acmeCapable: true,
    acmeServerDirectoryUrl: 'https://acme.example.org/directory',
    acmeServerIpAddresses: ['192.0.2.10', '192.0.2.11'],
  },
  { name: 'Test CA', authenticationOnly: false, acmeCapable: false, acmeServerDirectoryUrl: null, acmeServerIpAddresses: [] },
]

const officer: Permission[] = ['view_keys', 'view_approved_certificate_authorities', 'view_clients', 'import_auth_cert', 'import_sign_cert']

async function setup(o: { permissions?: Permission[]; listener?: string | null; list?: unknown[]; handlers?: Record<string, FakeHandler> } = {}) {
  const fake = createFakeClient({
    AcmeAccounts: () => ({
      data: {
        acmeSettings: { challengeListenAddress: o.listener === undefined ? '0.0.0.0:80' : o.listener, autoActivateSigningCertificates: true },
        acmeAccounts: o.list ?? accounts,
      },
    }),
    AcmeCertificationAuthorities: () => ({ data: { approvedCertificationAuthorities: cas } }),
    CsrMemberOptions: () => ({
      data: {
        securityServerClients: [
          { memberId: 'DEV/GOV/1234', subsystemCode: null, name: 'Demo Agency', owner: true },
          { memberId: 'DEV/COM/5678', subsystemCode: null, name: 'Example Company', owner: false },
          { memberId: 'DEV/COM/5678', subsystemCode: 'SUB', name: 'Example Company', owner: false },
        ],
      },
    }),
    ...o.handlers,
  })
  const view = await mountView(AcmeView, { fake, permissions: o.permissions ?? officer })
  mounted = view.wrapper
  await flushPromises()
  return { fake, ...view }
}

describe('AcmeView', () => {
  it('shows the settings, the CAs usable for ACME and the accounts, saying only whether a MAC key is stored', async () => {
    await setup()
    expect(byId('acme-settings-listener')?.textContent?.trim()).toBe('0.0.0.0:80')
    expect(byId('acme-settings-auto-activate')?.textContent).toContain('Activated automatically')
    const caRows = [...document.querySelectorAll<HTMLElement>('[data-testid="acme-ca-row"]')]
    expect(caRows.map((r) => r.dataset.caName)).toEqual(['ACME CA'])
    expect(byId('acme-ca-directory', caRows[0])?.textContent?.trim()).toBe('https://acme.example.org/directory')
    expect(byId('acme-ca-ips', caRows[0])?.textContent?.trim()).toBe('192.0.2.10, 192.0.2.11')

    expect(rows().map((r) => r.dataset.accountId)).toEqual(['7', '8'])
    const both = row('7')!
    expect(both.textContent).toContain('DEV/GOV/1234')
    expect(both.textContent).toContain('kid-7')
    expect(both.textContent).toContain('ops@example.org')
    expect(byId('acme-account-row-usage', both)?.textContent?.trim()).toBe('Both')
    expect(byId('acme-account-row-mac', both)?.textContent?.trim()).toBe('Stored')
    expect(byId('acme-account-row-registered', both)?.textContent).toContain('Yes')
    const signing = row('8')!
    expect(byId('acme-account-row-usage', signing)?.textContent?.trim()).toBe('Signing')
    expect(byId('acme-account-row-mac', signing)?.textContent?.trim()).toBe('Not set')
    expect(byId('acme-account-row-registered', signing)?.textContent?.trim()).toBe('No')

    // The page never asks for a MAC key, and shows none that an answer might carry.
    expect(print(AcmeAccountsDocument)).not.toMatch(/\beabMacKey\b(?!Set)/)
    expect(print(SetAcmeAccountDocument)).not.toMatch(/\beabMacKey\b(?!Set)/)
    expect(document.body.innerHTML).not.toContain(MAC)
  })

  it('says that certificates cannot be ordered while the challenge listener is off, and when there are no accounts', async () => {
    await setup({ listener: null, list: [] })
    expect(byId('acme-settings-listener')?.textContent).toContain(
      'Off — certificates cannot be ordered with ACME until roadreg serve is started with --acme-challenge-listen',
    )
    expect(byId('acme-accounts-table')).toBeNull()
    expect(byId('acme-accounts-empty')?.textContent).toContain('No ACME accounts')
  })

  it('adds an account with the fields filled in, then says so once and reads the list again', async () => {
    const { fake, notifications } = await setup({
      list: [],
      handlers: { SetAcmeAccount: (v) => ({ data: { setAcmeAccount: { ...accounts[1], ...(v.input as object), id: '9' } } }) },
    })
    await click(byId('acme-add'))
    // The only ACME CA and the owner are chosen; both usages by default.
    expect(byId('acme-account-ca')?.textContent).toContain('ACME CA')
    expect(byId('acme-account-member')?.textContent).toContain('DEV/GOV/1234')
    expect(byId('acme-account-usage')?.textContent).toContain('Both')
    expect(await offered('acme-account-member')).toEqual(['DEV/GOV/1234 (owner)', 'Example Company (DEV/COM/5678)'])
    await pick('acme-account-member', 'Example Company')
    await pick('acme-account-usage', 'Signing')

    // A binding needs both halves; the e-mail must be one.
    await type('acme-account-eab-kid', ' kid-9 ')
    expect(submitDisabled()).toBe(true)
    expect(byId('acme-account-eab-mac')?.textContent).toContain('needs both its key id and its MAC key')
    await type('acme-account-eab-mac', MAC)
    await type('acme-account-email', 'not an address')
    expect(submitDisabled()).toBe(true)
    expect(byId('acme-account-email')?.textContent).toContain('Enter an e-mail address')
    await type('acme-account-email', 'pki@example.com')
    expect((byId('acme-account-eab-mac')?.querySelector('input') as HTMLInputElement).type).toBe('password')
    expect(submitDisabled()).toBe(false)

    await click(byId('dialog-submit'))
    expect(fake.callsOf('SetAcmeAccount').map((c) => c.variables)).toEqual([
      {
        input: {
          caName: 'ACME CA',
          memberId: 'DEV/COM/5678',
          keyUsage: 'SIGNING',
          eabKeyId: 'kid-9',
          eabMacKey: MAC,
          contactEmail: 'pki@example.com',
        },
      },
    ])
    expect(byId('acme-account-dialog')).toBeNull()
    expect(notifications.items.map((n) => n.title)).toEqual(['ACME account of DEV/COM/5678 with ACME CA saved.'])
    expect(fake.callsOf('AcmeAccounts')).toHaveLength(2)
  })

  it('keeps an authentication account the owner\u2019s and does not add a second account of the same CA, member and usage', async () => {
    await setup()
    await click(byId('acme-add'))
    await pick('acme-account-usage', 'Authentication')
    expect(await offered('acme-account-member')).toEqual(['DEV/GOV/1234 (owner)'])
    await pick('acme-account-usage', 'Both')
    expect(byId('acme-account-exists')?.textContent).toContain('edit it instead')
    expect(submitDisabled()).toBe(true)
  })

  it('changes an account without sending the MAC key when its field stays empty, and clears the MAC key when asked', async () => {
    const { fake } = await setup({ handlers: { SetAcmeAccount: () => ({ data: { setAcmeAccount: accounts[0] } }) } })
    await click(byId('acme-account-edit', row('7')!))
    expect(byId('acme-account-identity')?.textContent).toContain('DEV/GOV/1234')
    expect(byId('acme-account-eab-kid')?.querySelector('input')?.value).toBe('kid-7')
    expect(byId('acme-account-eab-mac')?.querySelector('input')?.value).toBe('')
    expect(byId('acme-account-eab-mac')?.textContent).toContain('leave this empty to keep it')
    expect(submitDisabled()).toBe(true) // nothing changed yet
    await type('acme-account-email', 'pki@example.org')
    await click(byId('dialog-submit'))
    expect(fake.callsOf('SetAcmeAccount')[0]?.variables).toEqual({
      input: { caName: 'ACME CA', memberId: 'DEV/GOV/1234', keyUsage: null, contactEmail: 'pki@example.org' },
    })
    expect(fake.callsOf('SetAcmeAccount')[0]?.variables.input).not.toHaveProperty('eabMacKey')

    await click(byId('acme-account-edit', row('7')!))
    byId('acme-account-clear-mac')?.querySelector('input')?.click()
    await flushPromises()
    expect(byId('acme-account-eab-kid')?.querySelector('input')?.disabled).toBe(true)
    await click(byId('dialog-submit'))
    expect(fake.callsOf('SetAcmeAccount')[1]?.variables).toEqual({
      input: { caName: 'ACME CA', memberId: 'DEV/GOV/1234', keyUsage: null, eabKeyId: '', eabMacKey: '' },
    })
  })

  it("shows the server's message above the fields and under the field it names, and keeps the dialog open", async () => {
    const { notifications } = await setup({
      handlers: {
        SetAcmeAccount: () => ({
          errors: [{ message: 'eabMacKey must be the MAC key as the CA gives it', extensions: { code: 'BAD_USER_INPUT', field: 'eabMacKey' } }],
        }),
      },
    })
    await click(byId('acme-account-edit', row('8')!))
    await type('acme-account-eab-kid', 'kid-8')
    await type('acme-account-eab-mac', 'not base64url!')
    await click(byId('dialog-submit'))
    expect(byId('dialog-error')?.textContent).toContain('eabMacKey must be the MAC key as the CA gives it')
    expect(byId('error-code', byId('dialog-error')!)?.textContent?.trim()).toBe('Code: BAD_USER_INPUT')
    expect(byId('acme-account-eab-mac')?.textContent).toContain('eabMacKey must be the MAC key as the CA gives it')
    expect(byId('acme-account-dialog')).not.toBeNull()
    expect(notifications.items).toEqual([])
  })

  it('deletes an account after asking', async () => {
    const { fake, notifications } = await setup({ handlers: { DeleteAcmeAccount: (v) => ({ data: { deleteAcmeAccount: v.id } }) } })
    await click(byId('acme-account-delete', row('8')!))
    expect(byId('confirm-text')?.textContent).toContain('Delete the ACME account of DEV/COM/5678 with ACME CA (Signing)?')
    expect(fake.callsOf('DeleteAcmeAccount')).toEqual([])
    await click(byId('dialog-submit'))
    expect(fake.callsOf('DeleteAcmeAccount').map((c) => c.variables)).toEqual([{ id: '8' }])
    expect(notifications.items.map((n) => n.title)).toEqual(['ACME account of DEV/COM/5678 with ACME CA deleted.'])
    expect(fake.callsOf('AcmeAccounts')).toHaveLength(2)
  })

  it('shows no changing buttons without an import permission, and those of its usage with one', async () => {
    await setup({ permissions: ['view_keys', 'view_approved_certificate_authorities'] })
    expect(rows()).toHaveLength(2)
    for (const id of ['acme-add', 'acme-account-edit', 'acme-account-delete']) expect(byId(id), id).toBeNull()
    mounted?.unmount()
    document.body.innerHTML = ''

    await setup({ permissions: ['view_keys', 'view_approved_certificate_authorities', 'import_sign_cert'] })
    expect(byId('acme-account-edit', row('7')!)).toBeNull() // both usages: needs import_auth_cert too
    expect(byId('acme-account-edit', row('8')!)).not.toBeNull()
    expect(byId('acme-account-delete', row('8')!)).not.toBeNull()
    await click(byId('acme-add'))
    expect(await offered('acme-account-usage')).toEqual(['Signing'])
  })
})
