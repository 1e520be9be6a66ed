import {
  mdiAccountGroupOutline,
  mdiAccountKeyOutline,
  mdiCertificateOutline,
  mdiClipboardTextClockOutline,
  mdiFormatListBulletedType,
  mdiInboxArrowDownOutline,
  mdiKeyChainVariant,
  mdiLanConnect,
  mdiServerNetwork,
  mdiStethoscope,
  mdiShieldCheckOutline,
  mdiTimerSandComplete,
  mdiViewDashboardOutline,
  mdiWeb,
} from '@mdi/js'
import type { RouteLocationRaw } from 'vue-router'
import type { Can, PermissionRequirement } from '@/auth/permissions'
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
  /** Permission (any of a list) the user needs to see the entry. */
  permissions?: PermissionRequirement
  /** A live count shown beside the label. */
  badge?: 'waitingRequests'
  /** Only once the server is initialised. */
  needsInit?: boolean
}

/** Who sees the "Users and API keys" page: users, sessions or API keys to view. */
export const usersPagePermissions: PermissionRequirement = [
  'VIEW_ADMIN_USERS',
  'view_admin_users',
  'VIEW_API_KEYS',
  'view_api_keys',
]

const central: readonly ServerRole[] = ['CENTRAL']
const security: readonly ServerRole[] = ['SECURITY']

/** The navigation drawer, in order. */
export const navigation: readonly NavigationItem[] = [
  { titleKey: 'nav.overview', icon: mdiViewDashboardOutline, to: { name: 'overview' } },
  // Central server
  {
    titleKey: 'nav.managementRequests',
    icon: mdiInboxArrowDownOutline,
    to: { name: 'management-requests' },
    serverRoles: central,
    permissions: 'VIEW_MANAGEMENT_REQUESTS',
    badge: 'waitingRequests',
    needsInit: true,
  },
  {
    titleKey: 'nav.members',
    icon: mdiAccountGroupOutline,
    to: { name: 'members' },
    serverRoles: central,
    permissions: 'VIEW_MEMBERS',
    needsInit: true,
  },
  {
    titleKey: 'nav.securityServers',
    icon: mdiServerNetwork,
    to: { name: 'security-servers' },
    serverRoles: central,
    permissions: 'VIEW_SECURITY_SERVERS',
    needsInit: true,
  },
  {
    titleKey: 'nav.memberClasses',
    icon: mdiFormatListBulletedType,
    to: { name: 'member-classes' },
    serverRoles: central,
    permissions: ['VIEW_MEMBER_CLASSES', 'VIEW_MEMBERS', 'ADD_NEW_MEMBER'],
    needsInit: true,
  },
  {
    titleKey: 'nav.trustServices',
    icon: mdiShieldCheckOutline,
    to: { name: 'trust-services' },
    serverRoles: central,
    permissions: ['VIEW_APPROVED_CAS', 'VIEW_APPROVED_TSAS'],
    needsInit: true,
  },
  // Security server
  {
    titleKey: 'nav.keys',
    icon: mdiKeyChainVariant,
    to: { name: 'keys' },
    serverRoles: security,
    permissions: 'view_keys',
    needsInit: true,
  },
  {
    titleKey: 'nav.acme',
    icon: mdiCertificateOutline,
    to: { name: 'acme' },
    serverRoles: security,
    permissions: 'view_keys',
    needsInit: true,
  },
  {
    titleKey: 'nav.timestamping',
    icon: mdiTimerSandComplete,
    to: { name: 'timestamping' },
    serverRoles: security,
    permissions: 'view_tsps',
    needsInit: true,
  },
  {
    titleKey: 'nav.clients',
    icon: mdiLanConnect,
    to: { name: 'clients' },
    serverRoles: security,
    permissions: 'view_clients',
    needsInit: true,
  },
  {
    titleKey: 'nav.diagnostics',
    icon: mdiStethoscope,
    to: { name: 'diagnostics' },
    serverRoles: security,
    permissions: 'diagnostics',
    needsInit: true,
  },
  // Both
  { titleKey: 'nav.globalConfiguration', icon: mdiWeb, to: { name: 'global-configuration' } },
  {
    titleKey: 'nav.auditLog',
    icon: mdiClipboardTextClockOutline,
    to: { name: 'audit-log' },
    permissions: ['VIEW_AUDIT_LOG', 'view_audit_log'],
  },
  {
    titleKey: 'nav.users',
    icon: mdiAccountKeyOutline,
    to: { name: 'users' },
    permissions: usersPagePermissions,
  },
]

/** What decides which entries a user sees. */
export interface NavigationContext {
  role: ServerRole | undefined
  initialized: boolean
  can: Can
}

/**
 * The entries shown: role-specific ones only once the role is known, those
 * needing a permission only to users holding it, and those needing an
 * initialised server only after initialisation.
 */
export function navigationFor(ctx: NavigationContext): NavigationItem[] {
  return navigation.filter(
    (item) =>
      (!item.serverRoles || (ctx.role !== undefined && item.serverRoles.includes(ctx.role))) &&
      (!item.permissions || ctx.can(item.permissions)) &&
      (!item.needsInit || ctx.initialized),
  )
}
