// Automatic renewal of certificates ordered with ACME in X-Road's words
// (UG-SS §24: "N/A", "Next planned renewal on <date>", "Renewal in
// progress", "Renewal error: <message>"), and the renewal job's events as
// notifications (README "Automatic renewal").
import { mdiAlertCircleOutline, mdiAutorenew, mdiCalendarClockOutline } from '@mdi/js'
import type {
  CertificateRenewalEventKind,
  CertificateRenewalStatus,
  CertificateRenewalStep,
  CertificateStatus,
} from '@/gql/graphql'
import type { NotificationInput } from '@/notifications/notifications'
import { t } from '@/locales'
import { formatDateTime, groupHex } from '@/util/format'
import type { DetailRow } from './certificateDetails'

/** A certificate's renewal as the API gives it (Certificate.renewal). */
export interface RenewalState {
  status: CertificateRenewalStatus
  step?: CertificateRenewalStep | null
  nextRenewalAt?: string | null
  startedAt?: string | null
  lastError?: string | null
  failures?: number
  retryAt?: string | null
  renewedBy?: { id: string; sha256: string; status: CertificateStatus } | null
}

/** How a renewal looks in the keys tree: colour and icon beside the words. */
export interface RenewalLook {
  color: string
  icon: string
  text: string
}

/** A renewal step in words, e.g. "waiting for the central server to approve the new certificate". */
export function renewalStepText(step: CertificateRenewalStep): string {
  return t(`keys.renewal.step.${step}`)
}

/**
 * The renewal in X-Road's words: "N/A", "Next planned renewal on <date>",
 * "Renewal in progress — <step>", "Renewal error: <message> (next attempt
 * <date>)".
 */
export function renewalText(renewal: RenewalState): string {
  switch (renewal.status) {
    case 'PLANNED':
      return renewal.nextRenewalAt
        ? t('keys.renewal.planned', { at: formatDateTime(renewal.nextRenewalAt) })
        : t('keys.renewal.plannedNotYet')
    case 'IN_PROGRESS':
      return renewal.step ? t('keys.renewal.inProgressStep', { step: renewalStepText(renewal.step) }) : t('keys.renewal.inProgress')
    case 'FAILED': {
      const error = renewal.lastError || t('keys.renewal.unknownError')
      return renewal.retryAt
        ? t('keys.renewal.failedRetry', { error, at: formatDateTime(renewal.retryAt) })
        : t('keys.renewal.failed', { error })
    }
    default:
      return t('keys.renewal.notApplicable')
  }
}

/** The renewal line of a certificate in the keys tree; none when it is not renewed automatically. */
export function renewalLook(renewal: RenewalState): RenewalLook | undefined {
  const text = renewalText(renewal)
  switch (renewal.status) {
    case 'PLANNED':
      return { color: 'info', icon: mdiCalendarClockOutline, text }
    case 'IN_PROGRESS':
      return { color: 'info', icon: mdiAutorenew, text }
    case 'FAILED':
      return { color: 'error', icon: mdiAlertCircleOutline, text }
    default:
      return undefined
  }
}

/** The fields of a certificate the renewal section reads. */
export interface RenewalCertificate {
  renewal: RenewalState
  renewsSha256?: string | null
}

/** The renewal section of the certificate details: every field, in words. */
export function renewalRows(cert: RenewalCertificate): DetailRow[] {
  const r = cert.renewal
  const rows: DetailRow[] = [{ label: t('keys.renewal.status'), value: renewalText(r), testid: 'cert-detail-renewal-status' }]
  if (r.step) rows.push({ label: t('keys.renewal.stepLabel'), value: t(`keys.renewal.stepTitle.${r.step}`), testid: 'cert-detail-renewal-step' })
  if (r.status !== 'NOT_APPLICABLE' || r.nextRenewalAt) {
    rows.push({ label: t('keys.renewal.nextRenewalAt'), value: r.nextRenewalAt ? formatDateTime(r.nextRenewalAt) : null })
  }
  if (r.startedAt) rows.push({ label: t('keys.renewal.startedAt'), value: formatDateTime(r.startedAt) })
  if (r.failures || r.lastError) {
    rows.push(
      { label: t('keys.renewal.failures'), value: r.failures ?? 0, testid: 'cert-detail-renewal-failures' },
      { label: t('keys.renewal.lastError'), value: r.lastError, testid: 'cert-detail-renewal-error' },
      { label: t('keys.renewal.retryAt'), value: r.retryAt ? formatDateTime(r.retryAt) : null },
    )
  }
  if (r.renewedBy) {
    rows.push({
      label: t('keys.renewal.renewedBy'),
      value: t('keys.renewal.renewedByValue', {
        hash: groupHex(r.renewedBy.sha256),
        status: t(`status.registration.${r.renewedBy.status}`),
      }),
      mono: true,
      testid: 'cert-detail-renewed-by',
    })
  }
  if (cert.renewsSha256) {
    rows.push({
      label: t('keys.renewal.renews'),
      value: t('keys.renewal.renewsValue', { hash: groupHex(cert.renewsSha256) }),
      mono: true,
      testid: 'cert-detail-renews',
    })
  }
  return rows
}

/** An event of the certificateRenewal subscription. */
export interface RenewalEvent {
  kind: CertificateRenewalEventKind
  message: string
}

const noticeKind: Record<CertificateRenewalEventKind, NotificationInput['kind']> = {
  STARTED: 'info',
  DONE: 'info',
  FAILED: 'error',
  EXPIRING: 'warning',
}

/** The notification of a renewal job event: its message under a title for its kind. */
export function renewalNotice(event: RenewalEvent): NotificationInput {
  return { kind: noticeKind[event.kind] ?? 'info', title: t(`keys.renewal.event.${event.kind}`), text: event.message }
}
