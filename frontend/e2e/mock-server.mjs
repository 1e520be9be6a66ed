// A stand-in for a Roadreg server, just big enough to prove the e2e harness
// (selftest.mjs): POST /auth/login and /auth/logout with a session cookie,
// GET /healthz, and /graphql answering serverInfo and me. It lives beside the
// tests only; nothing in frontend/src imports it.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { pathToFileURL } from 'node:url'
import { buildSchema } from 'graphql'
import { createHandler } from 'graphql-http/lib/use/http'

const cookieName = 'roadreg_session'

const schema = buildSchema(`
  enum ServerRole { CENTRAL SECURITY }
  enum Role {
    SECURITY_OFFICER REGISTRATION_OFFICER SERVICE_ADMINISTRATOR
    SYSTEM_ADMINISTRATOR SECURITYSERVER_OBSERVER
  }
  type ServerInfo {
    role: ServerRole!
    initialized: Boolean!
    instanceIdentifier: String
    securityServerId: String
    version: String!
  }
  type User { username: String! roles: [Role!]! }
  type Query { serverInfo: ServerInfo! me: User }
`)

/**
 * @typedef {{ password: string, roles: string[] }} MockUser
 * @typedef {{ role?: 'CENTRAL' | 'SECURITY', instanceIdentifier?: string | null,
 *   users?: Record<string, MockUser>, port?: number }} MockOptions
 * @typedef {'graphql-500' | null} MockFault
 * @typedef {{ url: string, setFault: (fault: MockFault) => void, close: () => Promise<void> }} MockServer
 */

/** @type {Record<string, MockUser>} */
export const defaultUsers = { admin: { password: 'admin-password', roles: ['SECURITY_OFFICER', 'SYSTEM_ADMINISTRATOR'] } }

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {string | undefined}
 */
function sessionCookie(req) {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === cookieName) return value.join('=')
  }
  return undefined
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<string>}
 */
async function readBody(req) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {object} [body]
 * @param {Record<string, string>} [headers]
 */
function send(res, status, body, headers = {}) {
  res.writeHead(status, body ? { 'Content-Type': 'application/json', ...headers } : headers)
  res.end(body ? JSON.stringify(body) : undefined)
}

/**
 * Starts the mock on 127.0.0.1 (a free port unless `port` is given).
 * @param {MockOptions} [options]
 * @returns {Promise<MockServer>}
 */
export async function startMockServer(options = {}) {
  const { role = 'SECURITY', instanceIdentifier = 'DEV', users = defaultUsers } = options
  /** @type {Map<string, string>} session id → username */
  const sessions = new Map()
  /** @type {MockFault} */
  let fault = null

  const rootValue = {
    serverInfo: () => ({
      role,
      initialized: instanceIdentifier !== null,
      instanceIdentifier,
      securityServerId: role === 'SECURITY' && instanceIdentifier ? `${instanceIdentifier}/COM/1234/SS1` : null,
      version: '0.0.0-mock',
    }),
    /** @param {unknown} _args @param {{ username?: string }} context */
    me: (_args, context) => {
      const user = context.username ? users[context.username] : undefined
      return user ? { username: context.username, roles: user.roles } : null
    },
  }

  const graphql = createHandler({
    schema,
    rootValue,
    context: (req) => {
      const id = sessionCookie(req.raw)
      return { username: id ? sessions.get(id) : undefined }
    },
  })

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://mock').pathname
    try {
      if (path === '/healthz') return send(res, 200, { status: 'ok' })
      if (path === '/auth/login' && req.method === 'POST') {
        /** @type {{ username?: unknown, password?: unknown }} */
        let credentials = {}
        try {
          credentials = JSON.parse(await readBody(req))
        } catch {
          return send(res, 400, { error: 'body must be JSON {username, password}' })
        }
        const user = typeof credentials.username === 'string' ? users[credentials.username] : undefined
        if (!user || user.password !== credentials.password) {
          return send(res, 401, { error: 'wrong username or password' })
        }
        const id = randomBytes(16).toString('hex')
        sessions.set(id, String(credentials.username))
        return send(res, 204, undefined, {
          'Set-Cookie': `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Strict`,
        })
      }
      if (path === '/auth/logout' && req.method === 'POST') {
        const id = sessionCookie(req)
        if (id) sessions.delete(id)
        return send(res, 204, undefined, { 'Set-Cookie': `${cookieName}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` })
      }
      if (path === '/graphql') {
        if (fault === 'graphql-500') return send(res, 500, { errors: [{ message: 'mock fault' }] })
        return await graphql(req, res)
      }
      send(res, 404, { error: 'not found' })
    } catch (err) {
      send(res, 500, { error: String(err) })
    }
  })

  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)))
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    url: `http://127.0.0.1:${address.port}`,
    setFault: (next) => {
      fault = next
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

// `node frontend/e2e/mock-server.mjs [port]` runs it by hand (e.g. with `ROADREG_API=<url> npm run dev`).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const mock = await startMockServer({ port: Number(process.argv[2] ?? 0) })
  console.log(`mock Roadreg server on ${mock.url} (user admin / admin-password)`)
}
