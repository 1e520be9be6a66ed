import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import {
  centralPermissions,
  permissionChecker,
  securityPermissions,
  useAccess,
  type Access,
  type PermissionRequirement,
} from './permissions'
import { createSession, sessionKey } from './session'

describe('permissionChecker', () => {
  it.each<{ name: string; held: readonly string[] | null | undefined; need: PermissionRequirement; want: boolean }>([
    { name: 'held', held: ['view_keys', 'generate_key'], need: 'generate_key', want: true },
    { name: 'not held', held: ['view_keys'], need: 'generate_key', want: false },
    { name: 'one of a list held', held: ['VIEW_GLOBAL_CONFIGURATION'], need: ['DOWNLOAD_SOURCE_ANCHOR', 'VIEW_GLOBAL_CONFIGURATION'], want: true },
    { name: 'none of a list held', held: ['VIEW_MEMBERS'], need: ['VIEW_APPROVED_CAS', 'VIEW_APPROVED_TSAS'], want: false },
    { name: 'names are case-sensitive', held: ['VIEW_KEYS'], need: 'view_keys', want: false },
    { name: 'signed out (nothing loaded)', held: undefined, need: 'view_keys', want: false },
    { name: 'no permissions', held: [], need: 'view_audit_log', want: false },
    { name: 'an empty list needs nothing', held: [], need: [], want: true },
  ])('$name', ({ held, need, want }) => {
    expect(permissionChecker(held)(need)).toBe(want)
  })
})

// graph/*.graphql, read from this checkout: every permission the SPA checks
// must be one the API's @allowed directives name, so a renamed permission
// fails here instead of hiding a button for good.
const schemaFiles = import.meta.glob<string>('../../../graph/*.graphql', { query: '?raw', import: 'default', eager: true })
const schemaPermissions = new Set(
  Object.values(schemaFiles).flatMap((source) =>
    [...source.matchAll(/permissions:\s*\[([^\]]*)\]/g)].flatMap((m) => [...m[1]!.matchAll(/"(\w+)"/g)].map((n) => n[1]!)),
  ),
)

describe('the permission names', () => {
  it('are all named by the schema (graph/*.graphql @allowed)', () => {
    expect(schemaPermissions.size, 'permissions found in graph/*.graphql').toBeGreaterThan(20)
    const unknown = [...centralPermissions, ...securityPermissions].filter((p) => !schemaPermissions.has(p))
    expect(unknown).toEqual([])
  })

  it('keep the two servers apart (X-Road spells central ones in capitals)', () => {
    expect(centralPermissions.filter((p) => p !== p.toUpperCase())).toEqual([])
    expect(securityPermissions.filter((p) => p !== p.toLowerCase())).toEqual([])
  })
})

describe('useAccess', () => {
  it('follows me.permissions of the signed-in user, and grants nothing once signed out', async () => {
    const session = createSession({
      loadUser: async () => ({ username: 'alice', roles: ['REGISTRATION_OFFICER'], permissions: ['VIEW_MEMBERS'] }),
      fetch: async () => new Response(null, { status: 204 }),
    })
    let access: Access | undefined
    const Probe = defineComponent({
      setup() {
        access = useAccess()
        return () => h('div')
      },
    })
    const wrapper = mount(Probe, { global: { provide: { [sessionKey]: session } } })
    expect(access!.can('VIEW_MEMBERS')).toBe(false) // not loaded yet

    await session.ensureChecked()
    expect(access!.can('VIEW_MEMBERS')).toBe(true)
    expect(access!.can('ADD_NEW_MEMBER')).toBe(false)
    expect(access!.roles.value).toEqual(['REGISTRATION_OFFICER'])

    await session.signOut()
    expect(access!.can('VIEW_MEMBERS')).toBe(false)
    expect(access!.roles.value).toEqual([])
    wrapper.unmount()
  })
})
