import { useQuery, useSubscription } from '@urql/vue'
import { computed, ref, type ComputedRef, type Ref } from 'vue'
import { graphql } from '@/gql'
import type { ConfStatusFragment } from '@/gql/graphql'

graphql(`
  fragment ConfStatus on GlobalConfigurationStatus {
    instanceIdentifier
    version
    generatedAt
    expiresAt
    lastSuccessAt
    error
    failingSince
  }
`)

const GlobalConfStatusQuery = graphql(`
  query GlobalConfStatus {
    globalConfigurationStatus {
      ...ConfStatus
    }
  }
`)

const GlobalConfChangedSubscription = graphql(`
  subscription GlobalConfChanged {
    globalConfigurationChanged {
      ...ConfStatus
    }
  }
`)

/** The live global-configuration status of this server. */
export interface GlobalConfStatusHandle {
  status: ComputedRef<ConfStatusFragment | undefined>
  fetching: Ref<boolean>
  error: ComputedRef<unknown>
  refetch: () => void
}

/**
 * Loads `globalConfigurationStatus` and keeps it current through the
 * `globalConfigurationChanged` subscription (the newest of the two wins).
 */
export function useGlobalConfStatus(): GlobalConfStatusHandle {
  const query = useQuery({ query: GlobalConfStatusQuery })
  const pushed = ref<ConfStatusFragment>()
  useSubscription({ query: GlobalConfChangedSubscription }, (_previous, data) => {
    pushed.value = data.globalConfigurationChanged
    return data
  })
  // A pushed status is newer than the loaded one; refetch() goes back to the query.
  const status = computed(() => pushed.value ?? query.data.value?.globalConfigurationStatus)
  return {
    status,
    fetching: query.fetching,
    error: computed(() => query.error.value),
    refetch: () => {
      pushed.value = undefined
      void query.executeQuery({ requestPolicy: 'network-only' })
    },
  }
}
