import {
  Client,
  cacheExchange,
  fetchExchange,
  mapExchange,
  subscriptionExchange,
  type CombinedError,
} from '@urql/core'
import { createClient as createWebSocketClient } from 'graphql-ws'

/** graphql-ws close code the server uses for a socket without a valid session. */
export const CLOSE_FORBIDDEN = 4403

/** Longest wait between two websocket reconnect attempts. */
const MAX_RECONNECT_DELAY_MS = 30_000

/** Options of {@link createGraphQLClient}. */
export interface GraphQLClientOptions {
  /** Called when the server says the session is gone (expired or signed out elsewhere). */
  onUnauthenticated: () => void
  /** Page location the websocket URL is derived from; defaults to `window.location`. */
  location?: Pick<Location, 'protocol' | 'host'>
}

/** An urql client and the way to release its websocket. */
export interface GraphQLClientHandle {
  client: Client
  /** Closes the websocket (if one is open) and stops reconnecting. */
  dispose: () => void
}

/** Returns the GraphQL websocket URL for a page served from `location`. */
export function webSocketURL(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}/graphql`
}

/** Reports whether `error` means the caller is not (or no longer) signed in. */
export function isUnauthenticated(error: CombinedError): boolean {
  return (
    error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED') ||
    error.response?.status === 401
  )
}

function isCloseEvent(value: unknown): value is { code: number } {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number'
}

function reconnectDelay(retries: number): Promise<void> {
  const delay = Math.min(1000 * 2 ** retries, MAX_RECONNECT_DELAY_MS) + Math.random() * 1000
  return new Promise((resolve) => setTimeout(resolve, delay))
}

/**
 * Creates the urql client of the SPA: queries and mutations go to `/graphql`
 * with the session cookie (same origin), subscriptions over graphql-ws to
 * `ws(s)://<host>/graphql`. The socket opens on the first subscription and
 * reconnects after a drop; the session cookie authenticates it, so a socket
 * closed with 4403 means the session is gone.
 */
export function createGraphQLClient(options: GraphQLClientOptions): GraphQLClientHandle {
  const socket = createWebSocketClient({
    url: webSocketURL(options.location ?? window.location),
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: reconnectDelay,
    shouldRetry: (event) => isCloseEvent(event) && event.code !== CLOSE_FORBIDDEN,
    on: {
      closed: (event) => {
        if (isCloseEvent(event) && event.code === CLOSE_FORBIDDEN) options.onUnauthenticated()
      },
    },
  })

  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    fetchOptions: { credentials: 'same-origin' },
    exchanges: [
      mapExchange({
        onError(error) {
          if (isUnauthenticated(error)) options.onUnauthenticated()
        },
      }),
      cacheExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const operation = { ...request, query: request.query ?? '' }
          return {
            subscribe(sink) {
              return { unsubscribe: socket.subscribe(operation, sink) }
            },
          }
        },
      }),
      fetchExchange,
    ],
  })

  return { client, dispose: () => void socket.dispose() }
}
