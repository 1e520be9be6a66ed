import { useQuery, useSubscription } from '@urql/vue'
import { computed, type ComputedRef, type Ref } from 'vue'
import { graphql } from '@/gql'

const WaitingRequestCountQuery = graphql(`
  query WaitingRequestCount {
    managementRequests(status: WAITING, first: 1) {
      totalCount
    }
  }
`)

const RequestChangedForCountSubscription = graphql(`
  subscription RequestChangedForCount {
    managementRequestChanged {
      id
      status
    }
  }
`)

/**
 * The number of WAITING management requests, kept current through the
 * `managementRequestChanged` subscription. Nothing is asked while `enabled`
 * is false (other server role, or no permission).
 */
export function useWaitingRequestCount(enabled: Ref<boolean>): ComputedRef<number | undefined> {
  const pause = computed(() => !enabled.value)
  const query = useQuery({ query: WaitingRequestCountQuery, pause })
  useSubscription({ query: RequestChangedForCountSubscription, pause }, () => {
    void query.executeQuery({ requestPolicy: 'network-only' })
    return undefined
  })
  return computed(() => (enabled.value ? query.data.value?.managementRequests.totalCount : undefined))
}
