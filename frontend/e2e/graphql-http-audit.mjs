// GraphQL-over-HTTP conformance audit (graphql-http's auditServer) of a
// running Roadreg server, signed in with a session cookie.
//
//   ROADREG_E2E_URL=http://127.0.0.1:8080 ROADREG_E2E_USER=admin ROADREG_E2E_PASSWORD=… node frontend/e2e/graphql-http-audit.mjs
//
// Prints every audit result; exits 1 when a MUST audit fails, 2 on bad usage
// or when signing in fails.
import { pathToFileURL } from 'node:url'
import { auditServer } from 'graphql-http'

/**
 * Signs in with POST /auth/login and returns the Cookie header value to send.
 * @param {string} baseURL @param {string} username @param {string} password
 * @returns {Promise<string>}
 */
export async function signIn(baseURL, username, password) {
  const response = await fetch(new URL('/auth/login', baseURL), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
    redirect: 'manual',
  })
  if (!response.ok) throw new Error(`POST /auth/login answered HTTP ${response.status}`)
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ')
  if (!cookie) throw new Error('POST /auth/login set no cookie')
  return cookie
}

/**
 * Audits `<baseURL>/graphql` with the cookie on every request.
 * @param {string} baseURL @param {string} cookie
 * @returns {Promise<import('graphql-http').AuditResult[]>}
 */
export async function audit(baseURL, cookie) {
  /** @type {typeof fetch} */
  const fetchWithCookie = (input, init) => {
    const headers = new Headers(init?.headers)
    headers.set('Cookie', cookie)
    return fetch(input, { ...init, headers })
  }
  return auditServer({ url: new URL('/graphql', baseURL).href, fetchFn: fetchWithCookie })
}

/**
 * Whether `result` is a failed MUST audit.
 * @param {import('graphql-http').AuditResult} result
 */
export function isMustFailure(result) {
  return result.name.startsWith('MUST') && result.status !== 'ok'
}

async function main() {
  const baseURL = process.env.ROADREG_E2E_URL
  const username = process.env.ROADREG_E2E_USER
  const password = process.env.ROADREG_E2E_PASSWORD
  if (!baseURL || !username || !password) {
    console.error('Set ROADREG_E2E_URL (e.g. http://127.0.0.1:8080), ROADREG_E2E_USER and ROADREG_E2E_PASSWORD.')
    process.exit(2)
  }
  let cookie
  try {
    cookie = await signIn(baseURL, username, password)
  } catch (error) {
    console.error(`graphql-http audit: cannot sign in: ${error instanceof Error ? error.message : error}`)
    process.exit(2)
  }
  const results = await audit(baseURL, cookie)
  for (const result of results) {
    const reason = result.status === 'ok' ? '' : ` — ${result.reason}`
    console.log(`${result.status.toUpperCase().padEnd(6)} ${result.id} ${result.name}${reason}`)
  }
  const mustFailures = results.filter(isMustFailure).length
  const ok = results.filter((r) => r.status === 'ok').length
  console.log(
    `graphql-http audit: ${ok} of ${results.length} audits ok, ${mustFailures} MUST failures` +
      ' (SHOULD/MAY findings are advice)',
  )
  process.exit(mustFailures === 0 ? 0 : 1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
