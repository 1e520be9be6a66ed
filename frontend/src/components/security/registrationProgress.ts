import type { CertificateStatus, KeyUsage, OcspStatus } from '@/gql/graphql'

/** The steps of MEMBER_01 on a security server, in order. */
export type ProgressStep =
  | 'initialized'
  | 'timestamping'
  | 'tokenLoggedIn'
  | 'signCertificate'
  | 'authCertificate'
  | 'registered'
  | 'activated'

/** One step with its state. */
export interface ProgressItem {
  step: ProgressStep
  state: 'done' | 'inProgress' | 'todo'
  /** Route name where the step is taken. */
  route: string
}

/** What the progress is computed from. */
export interface ProgressInput {
  initialized: boolean
  timestampingServices: number
  tokens: readonly {
    type: string
    loggedIn: boolean
    keys?:
      | readonly {
          certificates?:
            | readonly { usage: KeyUsage; status: CertificateStatus; active: boolean; ocspStatus: OcspStatus }[]
            | null
        }[]
      | null
  }[]
}

/**
 * Where a security server stands in MEMBER_01 (UC-MEMBER MEMBER_01): each
 * step done, in progress (registration sent, not yet approved) or to do.
 */
export function registrationProgress(input: ProgressInput): ProgressItem[] {
  const certs = input.tokens.flatMap((t) => (t.keys ?? []).flatMap((k) => k.certificates ?? []))
  const auth = certs.filter((c) => c.usage === 'AUTHENTICATION')
  const signReady = certs.some((c) => c.usage === 'SIGNING' && c.active && c.ocspStatus === 'OCSP_RESPONSE_GOOD')
  const registered = auth.some((c) => c.status === 'REGISTERED')
  const waiting = auth.some((c) => c.status === 'REGISTRATION_IN_PROGRESS')
  const softToken = input.tokens.find((t) => t.type === 'SOFTWARE')
  const item = (step: ProgressStep, done: boolean, route: string, inProgress = false): ProgressItem => ({
    step,
    state: done ? 'done' : inProgress ? 'inProgress' : 'todo',
    route,
  })
  return [
    item('initialized', input.initialized, 'initialize'),
    item('timestamping', input.timestampingServices > 0, 'timestamping'),
    item('tokenLoggedIn', softToken?.loggedIn ?? false, 'keys'),
    item('signCertificate', signReady, 'keys'),
    item('authCertificate', auth.length > 0, 'keys'),
    item('registered', registered, 'keys', waiting),
    item('activated', auth.some((c) => c.status === 'REGISTERED' && c.active), 'keys'),
  ]
}
