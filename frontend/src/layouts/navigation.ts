import { mdiViewDashboardOutline } from '@mdi/js'
import type { RouteLocationRaw } from 'vue-router'
import type { ServerRole } from '@/gql/graphql'

/** One entry of the navigation drawer. */
export interface NavigationItem {
  /** Locale key of the label. */
  titleKey: string
  /** SVG path from @mdi/js. */
  icon: string
  to: RouteLocationRaw
  /** Server roles that show the entry; all when absent. */
  serverRoles?: readonly ServerRole[]
}

/** The navigation drawer, in order. Areas get an entry when their views exist. */
export const navigation: readonly NavigationItem[] = [
  { titleKey: 'nav.overview', icon: mdiViewDashboardOutline, to: { name: 'overview' } },
]

/** The entries shown on a server of `role` (role-specific ones only once it is known). */
export function navigationFor(role: ServerRole | undefined): NavigationItem[] {
  return navigation.filter((item) => !item.serverRoles || (role !== undefined && item.serverRoles.includes(role)))
}
