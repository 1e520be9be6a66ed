import { cacheExchange, Client, makeResult, type Exchange, type Operation } from '@urql/core'
import { getOperationAST } from 'graphql'
import { filter, fromPromise, makeSubject, merge, mergeMap, pipe, takeUntil, type Subject } from 'wonka'

/** What a handler answers: data, or GraphQL errors (extensions included). */
export type FakeAnswer =
  | { data: unknown }
  | { errors: { message: string; extensions?: Record<string, unknown> }[] }

/** Answers one query or mutation from its variables. */
export type FakeHandler = (variables: Record<string, unknown>) => FakeAnswer | Promise<FakeAnswer>

/** A recorded call of a query or mutation. */
export interface FakeCall {
  name: string
  kind: 'query' | 'mutation' | 'subscription'
  variables: Record<string, unknown>
}

/** An urql client answering from handlers, with subscriptions pushed by the test. */
export interface FakeClient {
  client: Client
  /** Every operation the app started, in order. */
  calls: FakeCall[]
  /** Calls of one operation. */
  callsOf: (name: string) => FakeCall[]
  /** Pushes one event to every active subscription named `name`. */
  push: (name: string, data: unknown) => void
  /** Whether a subscription named `name` is active. */
  subscribed: (name: string) => boolean
}

function nameOf(operation: Operation): string {
  return getOperationAST(operation.query)?.name?.value ?? '(anonymous)'
}

/** Options of {@link createFakeClient}. */
export interface FakeClientOptions {
  /** Keep query results as the app's client does (urql's document cache): a query asked again is answered at once. */
  cache?: boolean
}

/**
 * Creates a fake GraphQL client for component tests: queries and mutations
 * are answered by `handlers` (by operation name; a missing handler is an
 * error in the test), subscriptions stay open until the test pushes events.
 */
export function createFakeClient(handlers: Record<string, FakeHandler>, options: FakeClientOptions = {}): FakeClient {
  const calls: FakeCall[] = []
  const subjects = new Map<string, Set<Subject<unknown>>>()

  const exchange: Exchange = ({ forward }) => (operations$) => {
    const results = pipe(
      operations$,
      filter((op) => op.kind !== 'teardown'),
      mergeMap((op) => {
        const name = nameOf(op)
        const kind = op.kind as FakeCall['kind']
        calls.push({ name, kind, variables: { ...(op.variables as Record<string, unknown>) } })
        const teardown$ = pipe(
          operations$,
          filter((o) => o.kind === 'teardown' && o.key === op.key),
        )
        if (kind === 'subscription') {
          const subject = makeSubject<unknown>()
          const set = subjects.get(name) ?? new Set()
          set.add(subject)
          subjects.set(name, set)
          return pipe(
            subject.source,
            mergeMap((data) => fromPromise(Promise.resolve(makeResult(op, { data: data as Record<string, unknown> })))),
            takeUntil(pipe(teardown$, filter(() => (set.delete(subject), true)))),
          )
        }
        const handler = handlers[name]
        const answer = (async () => {
          if (!handler) throw new Error(`fake client: no handler for ${kind} ${name}`)
          const a = await handler({ ...(op.variables as Record<string, unknown>) })
          if ('errors' in a) return makeResult(op, { data: null, errors: a.errors })
          return makeResult(op, { data: a.data as Record<string, unknown> })
        })()
        return pipe(fromPromise(answer), takeUntil(teardown$))
      }),
    )
    return merge([results, forward(pipe(operations$, filter((op) => op.kind === 'teardown')))])
  }

  const client = new Client({ url: 'http://fake/graphql', exchanges: options.cache ? [cacheExchange, exchange] : [exchange] })
  return {
    client,
    calls,
    callsOf: (name) => calls.filter((c) => c.name === name),
    push(name, data) {
      for (const subject of subjects.get(name) ?? []) subject.next(data)
    },
    subscribed: (name) => (subjects.get(name)?.size ?? 0) > 0,
  }
}
