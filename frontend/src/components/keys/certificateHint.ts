import type { CertificateFieldsFragment } from '@/gql/graphql'
import { t } from '@/locales'
import { formatDateTime } from '@/util/format'

/** A next-step hint shown under a certificate. */
export interface CertificateHint {
  kind: 'info' | 'success' | 'warning' | 'error'
  text: string
}

/**
 * What the administrator should know or do next about a certificate
 * (X-Road's users report that they forgot the activation step, never learnt of a
 * decline, and thought "registration in progress" was stuck).
 */
export function certificateHint(
  cert: Pick<
    CertificateFieldsFragment,
    'usage' | 'status' | 'active' | 'ocspStatus' | 'ocspError' | 'declineComment' | 'managementRequestId' | 'unregisteredAt'
  >,
): CertificateHint | undefined {
  const auth = cert.usage === 'AUTHENTICATION'
  if (auth && cert.status === 'SAVED' && cert.declineComment) {
    return { kind: 'error', text: t('keys.hint.declined', { comment: cert.declineComment }) }
  }
  if (auth && cert.status === 'SAVED' && cert.unregisteredAt) {
    return { kind: 'info', text: t('keys.hint.unregistered', { at: formatDateTime(cert.unregisteredAt) }) }
  }
  if (auth && cert.status === 'SAVED') return { kind: 'info', text: t('keys.hint.register') }
  if (auth && cert.status === 'REGISTRATION_IN_PROGRESS') {
    return {
      kind: 'info',
      text: cert.managementRequestId
        ? t('keys.hint.waitingWithId', { requestId: cert.managementRequestId })
        : t('keys.hint.waiting'),
    }
  }
  if (cert.status === 'GLOBAL_ERROR') return { kind: 'error', text: t('keys.hint.globalError') }
  if (cert.status === 'DELETION_IN_PROGRESS') return { kind: 'warning', text: t('keys.hint.deletion') }
  if (cert.status === 'REGISTERED' && !cert.active) {
    return { kind: 'warning', text: auth ? t('keys.hint.activateAuth') : t('keys.hint.activateSign') }
  }
  if (cert.active && cert.ocspStatus !== 'OCSP_RESPONSE_GOOD') {
    return {
      kind: 'warning',
      text: cert.ocspError ? t('keys.hint.ocspProblemWithError', { error: cert.ocspError }) : t('keys.hint.ocspProblem'),
    }
  }
  return undefined
}
