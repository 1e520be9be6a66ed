/** The fields of GlobalConfigurationStatus the health rules read. */
export interface ConfStatusFields {
  version?: number | null
  generatedAt?: string | null
  expiresAt?: string | null
  error?: string | null
  failingSince?: string | null
}

/** Health of the global configuration, as the app bar shows it. */
export type ConfHealth = 'ok' | 'expiresSoon' | 'expired' | 'failing' | 'none'

/** Below this share of its validity left, a configuration "expires soon". */
const SOON_FRACTION = 0.5
/** …and always when less than this is left. */
const SOON_MIN_MS = 60_000

/**
 * Classifies a configuration status at time `now`: a recorded error wins
 * ("failing since …"), then expiry, then "expires soon" when less than half
 * of its validity (generated → expires) is left, else ok. Without any
 * configuration yet (no version, no expiry) it is 'none'.
 */
export function confHealth(status: ConfStatusFields | null | undefined, now: Date): ConfHealth {
  if (!status) return 'none'
  if (status.error) return 'failing'
  if (!status.expiresAt) return 'none'
  const expires = new Date(status.expiresAt).getTime()
  const left = expires - now.getTime()
  if (left <= 0) return 'expired'
  const generated = status.generatedAt ? new Date(status.generatedAt).getTime() : Number.NaN
  const validity = Number.isFinite(generated) && expires > generated ? expires - generated : 0
  if (left < SOON_MIN_MS || (validity > 0 && left < validity * SOON_FRACTION)) return 'expiresSoon'
  return 'ok'
}

/** Vuetify colour of each health. */
export const healthColor: Record<ConfHealth, string> = {
  ok: 'success',
  expiresSoon: 'warning',
  expired: 'error',
  failing: 'error',
  none: 'grey',
}
