import { watch } from 'vue'
import { createRouter, createWebHistory, type RouteRecordRaw, type Router, type RouterHistory } from 'vue-router'
import type { PermissionRequirement } from '@/auth/permissions'
import type { Session } from '@/auth/session'
import type { ServerRole } from '@/gql/graphql'
import AppShell from '@/layouts/AppShell.vue'
import { usersPagePermissions } from '@/layouts/navigation'
import { t } from '@/locales'
import { safeRedirect } from './redirect'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** Locale key of the page title. */
    titleKey?: string
    /** Server roles the page belongs to; all when absent. */
    serverRoles?: readonly ServerRole[]
    /** Permission (any of a list) the page needs. */
    permissions?: PermissionRequirement
  }
}

/** The SPA's routes: the login page, and every other page inside the app shell. */
const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/Login/LoginView.vue'),
    meta: { public: true, titleKey: 'login.title' },
  },
  {
    path: '/',
    component: AppShell,
    children: [
      {
        path: '',
        name: 'overview',
        component: () => import('@/views/Overview/OverviewView.vue'),
        meta: { titleKey: 'nav.overview' },
      },
      {
        path: 'initialize',
        name: 'initialize',
        component: () => import('@/views/Initialize/InitializeView.vue'),
        meta: { titleKey: 'nav.initialize' },
      },
      {
        path: 'global-configuration',
        name: 'global-configuration',
        component: () => import('@/views/GlobalConfiguration/GlobalConfigurationView.vue'),
        meta: { titleKey: 'nav.globalConfiguration' },
      },
      {
        path: 'audit-log',
        name: 'audit-log',
        component: () => import('@/views/AuditLog/AuditLogView.vue'),
        meta: { titleKey: 'nav.auditLog', permissions: ['VIEW_AUDIT_LOG', 'view_audit_log'] },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('@/views/Users/UsersView.vue'),
        meta: { titleKey: 'nav.users', permissions: usersPagePermissions },
      },
      // Central server
      {
        path: 'management-requests',
        name: 'management-requests',
        component: () => import('@/views/ManagementRequests/ManagementRequestsView.vue'),
        meta: { titleKey: 'nav.managementRequests', serverRoles: ['CENTRAL'], permissions: 'VIEW_MANAGEMENT_REQUESTS' },
      },
      {
        path: 'management-requests/:id',
        name: 'management-request',
        component: () => import('@/views/ManagementRequests/ManagementRequestDetailView.vue'),
        props: true,
        meta: { titleKey: 'requests.detailTitle', serverRoles: ['CENTRAL'], permissions: 'VIEW_MANAGEMENT_REQUESTS' },
      },
      {
        path: 'members',
        name: 'members',
        component: () => import('@/views/Members/MembersView.vue'),
        meta: { titleKey: 'nav.members', serverRoles: ['CENTRAL'], permissions: 'VIEW_MEMBERS' },
      },
      {
        path: 'members/:id',
        name: 'member',
        component: () => import('@/views/Members/MemberDetailView.vue'),
        props: true,
        meta: { titleKey: 'members.detailTitle', serverRoles: ['CENTRAL'], permissions: 'VIEW_MEMBERS' },
      },
      {
        path: 'security-servers',
        name: 'security-servers',
        component: () => import('@/views/SecurityServers/SecurityServersView.vue'),
        meta: { titleKey: 'nav.securityServers', serverRoles: ['CENTRAL'], permissions: 'VIEW_SECURITY_SERVERS' },
      },
      {
        path: 'security-servers/:id',
        name: 'security-server',
        component: () => import('@/views/SecurityServers/SecurityServerDetailView.vue'),
        props: true,
        meta: { titleKey: 'servers.detailTitle', serverRoles: ['CENTRAL'], permissions: 'VIEW_SECURITY_SERVERS' },
      },
      {
        path: 'member-classes',
        name: 'member-classes',
        component: () => import('@/views/MemberClasses/MemberClassesView.vue'),
        meta: {
          titleKey: 'nav.memberClasses',
          serverRoles: ['CENTRAL'],
          permissions: ['VIEW_MEMBER_CLASSES', 'VIEW_MEMBERS', 'ADD_NEW_MEMBER'],
        },
      },
      {
        path: 'trust-services',
        name: 'trust-services',
        component: () => import('@/views/TrustServices/TrustServicesView.vue'),
        meta: {
          titleKey: 'nav.trustServices',
          serverRoles: ['CENTRAL'],
          permissions: ['VIEW_APPROVED_CAS', 'VIEW_APPROVED_TSAS'],
        },
      },
      // Security server
      {
        path: 'keys',
        name: 'keys',
        component: () => import('@/views/Keys/KeysView.vue'),
        meta: { titleKey: 'nav.keys', serverRoles: ['SECURITY'], permissions: 'view_keys' },
      },
      {
        path: 'acme',
        name: 'acme',
        component: () => import('@/views/Acme/AcmeView.vue'),
        meta: { titleKey: 'nav.acme', serverRoles: ['SECURITY'], permissions: 'view_keys' },
      },
      {
        path: 'timestamping',
        name: 'timestamping',
        component: () => import('@/views/Timestamping/TimestampingView.vue'),
        meta: { titleKey: 'nav.timestamping', serverRoles: ['SECURITY'], permissions: 'view_tsps' },
      },
      {
        path: 'clients',
        name: 'clients',
        component: () => import('@/views/Clients/ClientsView.vue'),
        meta: { titleKey: 'nav.clients', serverRoles: ['SECURITY'], permissions: 'view_clients' },
      },
      {
        path: 'diagnostics',
        name: 'diagnostics',
        component: () => import('@/views/Diagnostics/DiagnosticsView.vue'),
        meta: { titleKey: 'nav.diagnostics', serverRoles: ['SECURITY'], permissions: 'diagnostics' },
      },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

/**
 * Creates the router. Pages other than public ones need a signed-in user;
 * without one the user goes to the login page, which returns them to the page
 * they wanted. A session that ends on a protected page does the same; a
 * signed-in user who opens the login page is sent on into the app.
 */
export function createAppRouter(session: Session, history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({ history, routes })

  router.beforeEach(async (to) => {
    // Signing in again while signed in would mix two users' cached data.
    if (to.name === 'login' && session.state.user) return safeRedirect(to.query.redirect)
    if (to.meta.public) return true
    const user = await session.ensureChecked().catch(() => null)
    return user ? true : { name: 'login', query: { redirect: to.fullPath } }
  })

  router.afterEach((to) => {
    const page = to.meta.titleKey ? t(to.meta.titleKey) : undefined
    document.title = page ? `${page} – ${t('app.name')}` : t('app.name')
  })

  watch(
    () => session.state.user,
    (user) => {
      const current = router.currentRoute.value
      if (user === null && !current.meta.public) {
        void router.replace({ name: 'login', query: { redirect: current.fullPath } })
      }
    },
  )

  return router
}
