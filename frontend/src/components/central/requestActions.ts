import type { Can } from '@/auth/permissions'
import type { ManagementRequestStatus, ManagementRequestType } from '@/gql/graphql'

/** The fields of a management request the action rules read. */
export interface RequestFacts {
  type: ManagementRequestType
  status: ManagementRequestStatus
}

/** Statuses in which a request still waits for a decision (UC-MEMBER, management requests). */
export const pendingStatuses: readonly ManagementRequestStatus[] = ['WAITING', 'SUBMITTED_FOR_APPROVAL']

/**
 * Which decision buttons a request gets for a user: approve and decline only
 * for a pending authentication-certificate registration, each only with its
 * permission.
 */
export function requestDecisions(
  request: RequestFacts,
  can: Can,
): { approve: boolean; decline: boolean } {
  const pending = pendingStatuses.includes(request.status) && request.type === 'AUTH_CERT_REGISTRATION_REQUEST'
  return {
    approve: pending && can('APPROVE_AUTH_CERT_REGISTRATION_REQUEST'),
    decline: pending && can('REVOKE_AUTH_CERT_REGISTRATION_REQUEST'),
  }
}
