import type { CertificateStatus } from '@/gql/graphql'

/** Last known status of each certificate, by id. */
export type KnownStatuses = Map<string, CertificateStatus>

/** The fields of a certificate event the notice rules read. */
export interface CertificateEvent {
  id: string
  status: CertificateStatus
  declineComment?: string | null
}

/**
 * Decides which notice, if any, a certificate event deserves, and records
 * the new status in `known`:
 *  - 'registered' for an authCertificateRegistered event (once per certificate);
 *  - 'declined' when a certificate goes from REGISTRATION_IN_PROGRESS back to
 *    SAVED (the central server declined or revoked the request), or, for a
 *    certificate not seen before, arrives SAVED with a decline comment not
 *    yet shown.
 * `noticed` remembers what was shown, so repeats stay quiet.
 */
export function certificateEventNotice(
  source: 'registered' | 'changed',
  cert: CertificateEvent,
  known: KnownStatuses,
  noticed: Set<string>,
): 'registered' | 'declined' | undefined {
  const previous = known.get(cert.id)
  known.set(cert.id, cert.status)
  if (source === 'registered') {
    const key = `registered:${cert.id}`
    if (noticed.has(key)) return undefined
    noticed.add(key)
    return 'registered'
  }
  if (cert.status !== 'SAVED') return undefined
  const key = `declined:${cert.id}:${cert.declineComment ?? ''}`
  if (previous === 'REGISTRATION_IN_PROGRESS') {
    noticed.add(key)
    return 'declined'
  }
  if (previous !== undefined || !cert.declineComment || noticed.has(key)) return undefined
  noticed.add(key)
  return 'declined'
}
