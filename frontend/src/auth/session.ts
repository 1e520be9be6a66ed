import { inject, reactive, readonly, type DeepReadonly, type InjectionKey } from 'vue'
import type { Role } from '@/gql/graphql'

/** The signed-in user as the server reports it (`me`). */
export interface SessionUser {
  username: string
  roles: readonly Role[]
  /** X-Road permission names the user holds on this server. */
  permissions: readonly string[]
}

/** Why the last session ended, for the login page to say so. */
export type SessionEnd = 'expired' | 'signedOut'

/** Reactive session state. */
export interface SessionState {
  /** The signed-in user; null when signed out or not yet known. */
  user: SessionUser | null
  /** Whether `user` reflects the server (false until the first check). */
  checked: boolean
  /** Set when a session ended; cleared by the next sign-in. */
  ended: SessionEnd | null
}

/** A failed `POST /auth/login`. */
export class LoginError extends Error {
  override name = 'LoginError'

  /**
   * @param status HTTP status, or 0 when the server could not be reached.
   * @param retryAfterSeconds the Retry-After header of a 429, if any.
   */
  constructor(
    readonly status: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(status === 0 ? 'server unreachable' : `login failed with HTTP ${status}`)
  }
}

/** What the session needs from the rest of the app. */
export interface SessionOptions {
  /** Asks the server who is signed in; null when nobody is. */
  loadUser: () => Promise<SessionUser | null>
  /** Called whenever a session ends, to drop everything cached for that user. */
  onEnd?: (reason: SessionEnd) => void
  /** fetch used for /auth calls; defaults to the global fetch. */
  fetch?: typeof fetch
}

/** The SPA's session: who is signed in, and signing in and out. */
export interface Session {
  readonly state: DeepReadonly<SessionState>
  /** Loads the user from the server unless already known. */
  ensureChecked: () => Promise<SessionUser | null>
  /** Posts the credentials to /auth/login, then loads the user. Throws {@link LoginError}. */
  signIn: (username: string, password: string) => Promise<SessionUser | null>
  /** Posts /auth/logout and forgets the user, even if the server cannot be reached. */
  signOut: () => Promise<void>
  /** Forgets the user because the server no longer accepts the session. */
  expire: () => void
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined
  const seconds = Number.parseInt(header, 10)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined
}

/** Creates the session. The app creates one; tests create their own. */
export function createSession(options: SessionOptions): Session {
  const state = reactive<SessionState>({ user: null, checked: false, ended: null })
  const doFetch = (input: string, init: RequestInit) => (options.fetch ?? fetch)(input, init)

  async function refresh(): Promise<SessionUser | null> {
    state.user = await options.loadUser()
    state.checked = true
    return state.user
  }

  function end(reason: SessionEnd): void {
    state.user = null
    state.checked = false
    state.ended = reason
    options.onEnd?.(reason)
  }

  return {
    state: readonly(state),

    async ensureChecked() {
      return state.checked ? state.user : refresh()
    },

    async signIn(username, password) {
      let response: Response
      try {
        response = await doFetch('/auth/login', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ username, password }),
        })
      } catch {
        throw new LoginError(0)
      }
      if (!response.ok) {
        throw new LoginError(response.status, parseRetryAfter(response.headers.get('Retry-After')))
      }
      state.ended = null
      return refresh()
    },

    async signOut() {
      try {
        await doFetch('/auth/logout', { method: 'POST', credentials: 'same-origin' })
      } catch {
        // Signed out locally all the same; the server drops the session when it expires.
      }
      end('signedOut')
    },

    expire() {
      if (state.user !== null) end('expired')
    },
  }
}

/** Injection key under which the app provides its {@link Session}. */
export const sessionKey: InjectionKey<Session> = Symbol('session')

/** Returns the app's session; only inside components of the app. */
export function useSession(): Session {
  const session = inject(sessionKey)
  if (!session) throw new Error('useSession: no session provided (app.provide(sessionKey, …))')
  return session
}
