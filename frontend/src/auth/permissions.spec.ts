// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { hasPermission, permissionTable } from './permissions'

describe('hasPermission', () => {
  it.each([
    { server: 'CENTRAL', roles: ['REGISTRATION_OFFICER'], need: 'APPROVE_AUTH_CERT_REGISTRATION_REQUEST', want: true },
    { server: 'CENTRAL', roles: ['SECURITY_OFFICER'], need: 'APPROVE_AUTH_CERT_REGISTRATION_REQUEST', want: false },
    { server: 'CENTRAL', roles: ['SYSTEM_ADMINISTRATOR'], need: 'ADD_APPROVED_TSA', want: true },
    { server: 'CENTRAL', roles: ['SECURITY_OFFICER'], need: ['VIEW_APPROVED_CAS', 'DOWNLOAD_SOURCE_ANCHOR'], want: true },
    { server: 'SECURITY', roles: ['SYSTEM_ADMINISTRATOR'], need: 'init_config', want: true },
    { server: 'SECURITY', roles: ['SECURITY_OFFICER'], need: 'init_config', want: false },
    { server: 'SECURITY', roles: ['REGISTRATION_OFFICER'], need: 'generate_auth_cert_req', want: false },
    { server: 'SECURITY', roles: ['REGISTRATION_OFFICER'], need: 'generate_sign_cert_req', want: true },
    { server: 'SECURITY', roles: ['SECURITYSERVER_OBSERVER'], need: 'view_keys', want: true },
    // A permission of the other server role grants nothing.
    { server: 'SECURITY', roles: ['REGISTRATION_OFFICER'], need: 'VIEW_MEMBERS', want: false },
    { server: 'CENTRAL', roles: ['SECURITY_OFFICER'], need: 'view_keys', want: false },
    { server: undefined, roles: ['SECURITY_OFFICER'], need: 'view_keys', want: false },
    { server: 'SECURITY', roles: [], need: 'view_keys', want: false },
    { server: 'SECURITY', roles: [], need: [], want: true },
  ] as const)('$server $roles → $need: $want', ({ server, roles, need, want }) => {
    expect(hasPermission(server, roles, need)).toBe(want)
  })
})

// internal/viewer/permissions.go, read from this checkout when present: the
// SPA's copy must grant exactly what the server grants.
const goSource = Object.values(
  import.meta.glob<string>('../../../internal/viewer/permissions.go', { query: '?raw', import: 'default', eager: true }),
)[0]

/** Parses the Go grants table into server role → permission → roles. */
function parseGoGrants(source: string): Record<string, Record<string, string[]>> {
  const constants = new Map<string, string>()
  for (const m of source.matchAll(/^\s*(\w+)\s+(?:Permission|Role)\s*=\s*"([^"]+)"/gm)) constants.set(m[1]!, m[2]!)
  const allRoles = ['SECURITY_OFFICER', 'REGISTRATION_OFFICER', 'SERVICE_ADMINISTRATOR', 'SYSTEM_ADMINISTRATOR', 'SECURITYSERVER_OBSERVER']
  const out: Record<string, Record<string, string[]>> = {}
  const body = source.slice(source.indexOf('var grants'))
  for (const [goRole, role] of [['Central', 'CENTRAL'], ['Security', 'SECURITY']] as const) {
    const header = `\t${goRole}: {`
    const start = body.indexOf(header) + header.length
    const end = body.indexOf('\n\t},', start)
    const table: Record<string, string[]> = {}
    for (const m of body.slice(start, end).matchAll(/^\s*(\w+):\s*(\{[^}]*\}|AllRoles),/gm)) {
      const permission = constants.get(m[1]!)
      if (!permission) throw new Error(`unknown permission constant ${m[1]}`)
      table[permission] =
        m[2] === 'AllRoles'
          ? allRoles
          : m[2]!.replace(/[{}\s]/g, '').split(',').filter(Boolean).map((name) => constants.get(name) ?? `?${name}`)
    }
    out[role] = table
  }
  return out
}

describe('permissionTable', () => {
  it.skipIf(!goSource)('matches internal/viewer/permissions.go', () => {
    const go = parseGoGrants(goSource!)
    expect(Object.keys(go.CENTRAL!).length).toBeGreaterThan(10)
    expect(Object.keys(go.SECURITY!).length).toBeGreaterThan(10)
    const sorted = (t: Record<string, readonly string[]>) =>
      Object.fromEntries(Object.entries(t).map(([k, v]) => [k, [...v].sort()]))
    expect(sorted(permissionTable.CENTRAL)).toEqual(sorted(go.CENTRAL!))
    expect(sorted(permissionTable.SECURITY)).toEqual(sorted(go.SECURITY!))
  })
})
