import { useQuery } from '@urql/vue'
import { computed, type ComputedRef, type Ref } from 'vue'
import { useAccess } from '@/auth/permissions'
import { graphql } from '@/gql'
import { t } from '@/locales'
import { useServerInfo } from '@/server/serverInfo'
import { ownerMemberId } from './csrForm'

const CsrMemberOptionsQuery = graphql(`
  query CsrMemberOptions {
    securityServerClients {
      memberId
      subsystemCode
      name
      owner
    }
  }
`)

/** A member a signing CSR or an ACME account can be for. */
export interface MemberChoice {
  /** INSTANCE/CLASS/CODE */
  value: string
  title: string
}

/** The members of this server, as a CSR form or an ACME account dialog offers them. */
export interface MemberChoices {
  /** The server owner (INSTANCE/CLASS/CODE), once the server info is known. */
  owner: ComputedRef<string | undefined>
  /** The owner first, then the server's other member clients (those need view_clients). */
  items: ComputedRef<MemberChoice[]>
}

/**
 * The members of this server: the owner from the server info and, while
 * `wanted` holds and the user may view clients, the members among the
 * server's clients (subsystems are not members).
 */
export function useMemberChoices(wanted: Ref<boolean>): MemberChoices {
  const { info } = useServerInfo()
  const { can } = useAccess()
  const owner = computed(() => ownerMemberId(info.value?.securityServerId))
  const members = useQuery({ query: CsrMemberOptionsQuery, pause: computed(() => !wanted.value || !can('view_clients')) })
  const items = computed(() => {
    const byId = new Map<string, string>()
    if (owner.value) byId.set(owner.value, t('keys.csr.ownerMember', { id: owner.value }))
    for (const c of members.data.value?.securityServerClients ?? []) {
      if (!c.subsystemCode && !byId.has(c.memberId)) byId.set(c.memberId, c.name ? `${c.name} (${c.memberId})` : c.memberId)
    }
    return [...byId].map(([value, title]) => ({ value, title }))
  })
  return { owner, items }
}
