import { CombinedError } from '@urql/core'
import { GraphQLError } from 'graphql'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CLOSE_FORBIDDEN, createGraphQLClient, isUnauthenticated, webSocketURL, type GraphQLClientHandle } from './client'

// Plain strings: operations in tests stay out of the generated frontend/src/gql.
const meQuery = 'query Me { me { username roles } }'
const meSubscription = 'subscription MeChanged { me { username roles } }'

/**
 * A WebSocket stand-in speaking the server side of graphql-transport-ws:
 * it acknowledges connection_init unless told to close with a code instead,
 * and answers each subscribe with one `next` and a `complete`.
 */
class FakeSocket {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3
  static instances: FakeSocket[] = []
  static closeOnInit: number | undefined

  readyState = FakeSocket.CONNECTING
  onopen: (() => void) | null = null
  onmessage: ((event: { data: string }) => void) | null = null
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null
  onerror: ((event: unknown) => void) | null = null

  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {
    FakeSocket.instances.push(this)
    queueMicrotask(() => {
      this.readyState = FakeSocket.OPEN
      this.onopen?.()
    })
  }

  send(raw: string): void {
    const message = JSON.parse(raw) as { type: string; id?: string }
    if (message.type === 'connection_init') {
      if (FakeSocket.closeOnInit !== undefined) this.close(FakeSocket.closeOnInit, 'Forbidden')
      else this.reply({ type: 'connection_ack' })
    } else if (message.type === 'subscribe') {
      this.reply({ type: 'next', id: message.id, payload: { data: { me: { username: 'ws', roles: [] } } } })
      this.reply({ type: 'complete', id: message.id })
    }
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === FakeSocket.CLOSED) return
    this.readyState = FakeSocket.CLOSED
    queueMicrotask(() => this.onclose?.({ code, reason, wasClean: true }))
  }

  private reply(message: object): void {
    queueMicrotask(() => this.onmessage?.({ data: JSON.stringify(message) }))
  }
}

function jsonResponse(body: object, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

let handle: GraphQLClientHandle | undefined
afterEach(() => {
  handle?.dispose()
  handle = undefined
  FakeSocket.instances = []
  FakeSocket.closeOnInit = undefined
  vi.unstubAllGlobals()
})

describe('webSocketURL', () => {
  it.each([
    { protocol: 'http:', host: '127.0.0.1:5173', want: 'ws://127.0.0.1:5173/graphql' },
    { protocol: 'https:', host: 'cs.example.org', want: 'wss://cs.example.org/graphql' },
  ])('$protocol//$host → $want', ({ protocol, host, want }) => {
    expect(webSocketURL({ protocol, host })).toBe(want)
  })
})

describe('isUnauthenticated', () => {
  it.each([
    {
      name: 'UNAUTHENTICATED code',
      error: new CombinedError({
        graphQLErrors: [new GraphQLError('x', { extensions: { code: 'UNAUTHENTICATED' } })],
      }),
      want: true,
    },
    {
      name: 'HTTP 401',
      error: new CombinedError({ networkError: new Error('401'), response: { status: 401 } }),
      want: true,
    },
    {
      name: 'FORBIDDEN code',
      error: new CombinedError({ graphQLErrors: [new GraphQLError('x', { extensions: { code: 'FORBIDDEN' } })] }),
      want: false,
    },
    { name: 'network error', error: new CombinedError({ networkError: new Error('down') }), want: false },
  ])('$name → $want', ({ error, want }) => {
    expect(isUnauthenticated(error)).toBe(want)
  })
})

describe('createGraphQLClient', () => {
  it('posts queries as JSON to /graphql with same-origin cookies', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => jsonResponse({ data: { me: { username: 'a', roles: [] } } }))
    vi.stubGlobal('fetch', fetchMock)
    const onUnauthenticated = vi.fn()
    handle = createGraphQLClient({ onUnauthenticated })

    const result = await handle.client.query(meQuery, {}).toPromise()

    expect((result.data as { me: { username: string } }).me.username).toBe('a')
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/graphql')
    expect(init?.method).toBe('POST')
    expect(init?.credentials).toBe('same-origin')
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/json')
    expect(onUnauthenticated).not.toHaveBeenCalled()
  })

  it('reports UNAUTHENTICATED errors so the app can send the user to the login page', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse({ data: null, errors: [{ message: 'session expired', extensions: { code: 'UNAUTHENTICATED' } }] }),
      ),
    )
    const onUnauthenticated = vi.fn()
    handle = createGraphQLClient({ onUnauthenticated })

    const result = await handle.client.query(meQuery, {}).toPromise()

    expect(result.error?.graphQLErrors[0]?.extensions.code).toBe('UNAUTHENTICATED')
    expect(onUnauthenticated).toHaveBeenCalledTimes(1)
  })

  it('runs subscriptions over graphql-ws at ws://<host>/graphql', async () => {
    vi.stubGlobal('WebSocket', FakeSocket)
    handle = createGraphQLClient({ onUnauthenticated: vi.fn(), location: { protocol: 'http:', host: 'ss.test:8080' } })
    expect(FakeSocket.instances).toHaveLength(0) // lazy: no socket before the first subscription

    const values = await new Promise<unknown[]>((resolve) => {
      const seen: unknown[] = []
      handle!.client.subscription(meSubscription, {}).subscribe((result) => {
        seen.push(result.data)
        if (!result.hasNext) resolve(seen)
      })
    })

    expect(FakeSocket.instances[0]?.url).toBe('ws://ss.test:8080/graphql')
    expect(FakeSocket.instances[0]?.protocol).toBe('graphql-transport-ws')
    // urql repeats the last result with hasNext: false when the subscription completes.
    expect(values[0]).toEqual({ me: { username: 'ws', roles: [] } })
  })

  it('treats a socket closed with 4403 as a lost session and does not reconnect', async () => {
    vi.stubGlobal('WebSocket', FakeSocket)
    FakeSocket.closeOnInit = CLOSE_FORBIDDEN
    const onUnauthenticated = vi.fn()
    handle = createGraphQLClient({ onUnauthenticated, location: { protocol: 'https:', host: 'ss.test' } })
    const result = await handle.client.subscription(meSubscription, {}).toPromise()

    expect(result.error).toBeDefined()
    expect(onUnauthenticated).toHaveBeenCalledTimes(1)
    expect(FakeSocket.instances).toHaveLength(1)
    expect(FakeSocket.instances[0]?.url).toBe('wss://ss.test/graphql')
  })
})
