import {
  mdiAlertCircleOutline,
  mdiCheckCircleOutline,
  mdiCircleOutline,
  mdiClockOutline,
  mdiCloseCircleOutline,
  mdiHelpCircleOutline,
  mdiLockOpenVariantOutline,
  mdiLockOutline,
  mdiPauseCircleOutline,
} from '@mdi/js'
import type {
  CertificateStatus,
  ClientStatus,
  ManagementRequestStatus,
  OcspStatus,
  SecurityServerStatus,
} from '@/gql/graphql'
import { t } from '@/locales'
import { daysUntil, formatDate } from '@/util/format'

/** How a status chip looks. */
export interface ChipLook {
  /** Vuetify colour. */
  color: string
  label: string
  icon: string
  /** Longer explanation (tooltip). */
  hint?: string
}

/** Registration status of a certificate (and of a client: same values). */
export function registrationLook(status: CertificateStatus | ClientStatus): ChipLook {
  const label = t(`status.registration.${status}`)
  const hint = t(`status.registrationHint.${status}`)
  switch (status) {
    case 'REGISTERED':
      return { color: 'success', label, hint, icon: mdiCheckCircleOutline }
    case 'REGISTRATION_IN_PROGRESS':
      return { color: 'info', label, hint, icon: mdiClockOutline }
    case 'DELETION_IN_PROGRESS':
      return { color: 'warning', label, hint, icon: mdiClockOutline }
    case 'GLOBAL_ERROR':
      return { color: 'error', label, hint, icon: mdiAlertCircleOutline }
    default:
      return { color: 'grey', label, hint, icon: mdiCircleOutline }
  }
}

/**
 * OCSP status of a certificate. An inactive certificate shows "disabled"
 * whatever its last response said (X-Road does the same).
 */
export function ocspLook(status: OcspStatus, active: boolean): ChipLook {
  const effective: OcspStatus = active ? status : 'DISABLED'
  const label = t(`status.ocsp.${effective}`)
  switch (effective) {
    case 'OCSP_RESPONSE_GOOD':
      return { color: 'success', label, icon: mdiCheckCircleOutline }
    case 'OCSP_RESPONSE_UNKNOWN':
      return { color: 'warning', label, icon: mdiHelpCircleOutline, hint: t('status.ocspHint.unknown') }
    case 'OCSP_RESPONSE_SUSPENDED':
      return { color: 'warning', label, icon: mdiPauseCircleOutline }
    case 'OCSP_RESPONSE_REVOKED':
    case 'EXPIRED':
      return { color: 'error', label, icon: mdiCloseCircleOutline }
    default:
      return { color: 'grey', label, icon: mdiCircleOutline }
  }
}

/** Whether a certificate is in use. */
export function activeLook(active: boolean): ChipLook {
  return active
    ? { color: 'success', label: t('status.active'), icon: mdiCheckCircleOutline }
    : { color: 'grey', label: t('status.inactive'), icon: mdiCircleOutline }
}

/** Days before expiry from which a certificate is flagged. */
export const EXPIRY_WARNING_DAYS = 30

/** Validity of a certificate at `now`: expired, expiring soon, or valid until. */
export function expiryLook(notAfter: string, now: Date): ChipLook {
  const days = daysUntil(notAfter, now)
  const date = formatDate(notAfter)
  if (new Date(notAfter).getTime() <= now.getTime()) {
    return { color: 'error', label: t('status.expiry.expired', { date }), icon: mdiCloseCircleOutline }
  }
  if (days < EXPIRY_WARNING_DAYS) {
    return { color: 'warning', label: t('status.expiry.soon', { days, date }), icon: mdiClockOutline }
  }
  return { color: 'default', label: t('status.expiry.valid', { date }), icon: mdiClockOutline }
}

/** Status of a management request. */
export function requestLook(status: ManagementRequestStatus): ChipLook {
  const label = t(`status.request.${status}`)
  switch (status) {
    case 'APPROVED':
      return { color: 'success', label, icon: mdiCheckCircleOutline }
    case 'WAITING':
    case 'SUBMITTED_FOR_APPROVAL':
      return { color: 'info', label, icon: mdiClockOutline }
    case 'DECLINED':
      return { color: 'error', label, icon: mdiCloseCircleOutline }
    default:
      return { color: 'grey', label, icon: mdiCloseCircleOutline }
  }
}

/** Status of a security server in the central server's registry. */
export function serverStatusLook(status: SecurityServerStatus): ChipLook {
  const label = t(`servers.status.${status}`)
  const hint = t(`servers.statusHint.${status}`)
  return status === 'REGISTERED'
    ? { color: 'success', label, hint, icon: mdiCheckCircleOutline }
    : { color: 'error', label, hint, icon: mdiAlertCircleOutline }
}

/** The fields of a token its status chip reads. */
export interface TokenState {
  available: boolean
  loggedIn: boolean
  status: string
}

/** Status of a token: not available, PIN locked, logged in or out. */
export function tokenLook(token: TokenState): ChipLook {
  if (!token.available) return { color: 'error', label: t('status.token.unavailable'), icon: mdiAlertCircleOutline }
  if (token.status === 'USER_PIN_LOCKED') {
    return { color: 'error', label: t('status.token.locked'), icon: mdiLockOutline }
  }
  if (token.status === 'USER_PIN_FINAL_TRY' || token.status === 'USER_PIN_COUNT_LOW') {
    const label = t(token.status === 'USER_PIN_FINAL_TRY' ? 'status.token.finalTry' : 'status.token.countLow')
    return { color: 'warning', label: token.loggedIn ? `${t('status.token.loggedIn')} · ${label}` : label, icon: mdiAlertCircleOutline }
  }
  if (token.loggedIn) return { color: 'success', label: t('status.token.loggedIn'), icon: mdiLockOpenVariantOutline }
  const hint = token.status === 'OK' ? undefined : t('status.token.statusHint', { status: token.status })
  return { color: 'grey', label: t('status.token.loggedOut'), icon: mdiLockOutline, hint }
}
