// A stand-in for a Roadreg server, just big enough to prove the e2e harness
// (selftest.mjs): POST /auth/login and /auth/logout with a session cookie,
// GET /healthz, and /graphql over HTTP and graphql-ws with the server's real
// schema (graph/*.graphql), answering serverInfo, me (with permissions), the
// global configuration status, the central server's anchor hash, an empty
// token list and the users page (its users, their sessions, no API keys);
// subscriptions stay quiet.
// It lives beside the tests only; nothing in frontend/src imports it.
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildSchema } from 'graphql'
import { createHandler } from 'graphql-http/lib/use/http'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer } from 'ws'

/** The session cookie of a server role, named as the real server names it. @param {'CENTRAL' | 'SECURITY'} role */
const cookieNameOf = (role) => (role === 'CENTRAL' ? 'roadreg_cs_session' : 'roadreg_ss_session')

const graphDir = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'graph')
const schema = buildSchema(
  readdirSync(graphDir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(join(graphDir, name), 'utf8'))
    .join('\n'),
)

/** A subscription source that never emits (until the client unsubscribes). */
function quiet() {
  /** @type {(value: IteratorResult<never>) => void} */
  let stop = () => {}
  const done = new Promise((resolve) => {
    stop = resolve
  })
  return {
    [Symbol.asyncIterator]() {
      return this
    },
    next: () => done,
    return: async () => {
      stop({ value: undefined, done: true })
      return { value: undefined, done: true }
    },
  }
}

/**
 * @typedef {{ password: string, roles: string[], permissions?: string[] }} MockUser
 *   permissions: what `me.permissions` reports; {@link defaultPermissions} of the mock's role when absent
 * @typedef {{ role?: 'CENTRAL' | 'SECURITY', instanceIdentifier?: string | null,
 *   users?: Record<string, MockUser>, port?: number }} MockOptions
 * @typedef {'graphql-500' | 'wrong-anchor-hash' | null} MockFault
 * @typedef {{ url: string, setFault: (fault: MockFault) => void, close: () => Promise<void> }} MockServer
 */

/**
 * What the default user may do on a mock of each server role: a plain list,
 * as the real server reports it in `me.permissions`.
 * @type {Record<'CENTRAL' | 'SECURITY', string[]>}
 */
export const defaultPermissions = {
  CENTRAL: [
    'ACTIVATE_TOKEN',
    'DOWNLOAD_SOURCE_ANCHOR',
    'GENERATE_GLOBAL_CONFIGURATION',
    'INIT_CONFIG',
    'VIEW_ADMIN_USERS',
    'VIEW_API_KEYS',
    'VIEW_AUDIT_LOG',
    'VIEW_GLOBAL_CONFIGURATION',
    'VIEW_MEMBER_CLASSES',
  ],
  SECURITY: [
    'activate_deactivate_token',
    'add_tsp',
    'init_config',
    'refresh_global_conf',
    'upload_anchor',
    'view_admin_users',
    'view_anchor',
    'view_api_keys',
    'view_audit_log',
    'view_clients',
    'view_keys',
    'view_tsps',
  ],
}

/** The central-server mock's configuration anchor (just enough for the harness). */
export const mockAnchorXml =
  '<?xml version="1.0" encoding="UTF-8"?>\n<tns:configurationAnchor xmlns:tns="http://x-road.eu/xsd/xroad.xsd">' +
  '<generatedAt>2026-11-26T10:00:00Z</generatedAt><instanceIdentifier>DEV</instanceIdentifier></tns:configurationAnchor>\n'

/** @type {Record<string, MockUser>} */
export const defaultUsers = { admin: { password: 'admin-password', roles: ['SECURITY_OFFICER', 'SYSTEM_ADMINISTRATOR'] } }

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {string} cookieName
 * @returns {string | undefined}
 */
function sessionCookie(req, cookieName) {
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
  const cookieName = cookieNameOf(role)
  /** @type {Map<string, string>} session id → username */
  const sessions = new Map()
  const started = new Date().toISOString()
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
      return user
        ? { username: context.username, roles: user.roles, permissions: user.permissions ?? defaultPermissions[role] }
        : null
    },
    globalConfigurationStatus: () => {
      const now = Date.now()
      return {
        instanceIdentifier,
        version: 1,
        generatedAt: new Date(now - 60_000).toISOString(),
        expiresAt: new Date(now + 540_000).toISOString(),
        lastSuccessAt: new Date(now - 60_000).toISOString(),
        error: null,
        failingSince: null,
      }
    },
    configurationAnchor: () => (role === 'CENTRAL' && instanceIdentifier ? mockAnchorXml : null),
    configurationAnchorInfo: () => {
      if (role !== 'CENTRAL' || !instanceIdentifier) return null
      // As the real server: SHA-224 of the file, upper-case hex (or, as a fault, of something else).
      const hashed = fault === 'wrong-anchor-hash' ? `${mockAnchorXml} ` : mockAnchorXml
      const hash = createHash('sha224').update(hashed).digest('hex').toUpperCase()
      return { hash, generatedAt: '2026-11-26T10:00:00Z', instanceIdentifier }
    },
    tokens: () => [],
    users: () =>
      Object.entries(users).map(([username, user], i) => ({
        id: String(i + 1),
        username,
        roles: user.roles,
        disabled: false,
        createdAt: started,
        updatedAt: started,
      })),
    apiKeys: () => [],
    /** @param {unknown} _args @param {{ sessionId?: string }} context */
    sessions: (_args, context) =>
      [...sessions.entries()].map(([id, username], i) => ({
        id: String(i + 1),
        userId: String(Object.keys(users).indexOf(username) + 1),
        username,
        clientAddress: '127.0.0.1',
        createdAt: started,
        lastSeenAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
        current: id === context.sessionId,
      })),
    managementRequests: () => ({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    }),
    globalConfigurationChanged: quiet,
    authCertificateRegistered: quiet,
    certificateStatusChanged: quiet,
    tokenChanged: quiet,
    managementRequestChanged: quiet,
  }

  const graphql = createHandler({
    schema,
    rootValue,
    context: (req) => {
      const id = sessionCookie(req.raw, cookieName)
      return { username: id ? sessions.get(id) : undefined, sessionId: id }
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
        const id = sessionCookie(req, cookieName)
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

  // Subscriptions: graphql-ws on /graphql, authenticated by the session cookie like the real server.
  const sockets = new WebSocketServer({ server, path: '/graphql' })
  useServer(
    {
      schema,
      roots: { subscription: rootValue },
      context: (ctx) => {
        const id = sessionCookie(/** @type {{ request: import('node:http').IncomingMessage }} */ (ctx.extra).request, cookieName)
        return { username: id ? sessions.get(id) : undefined, sessionId: id }
      },
      onConnect: (ctx) => {
        const id = sessionCookie(/** @type {{ request: import('node:http').IncomingMessage }} */ (ctx.extra).request, cookieName)
        // false: graphql-ws closes the socket with 4403 Forbidden.
        return id !== undefined && sessions.has(id)
      },
    },
    sockets,
  )

  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)))
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    url: `http://127.0.0.1:${address.port}`,
    setFault: (next) => {
      fault = next
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets.clients) socket.terminate()
        sockets.close()
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
