import type { VueWrapper } from '@vue/test-utils'
import { install as installUrql } from '@urql/vue'
import { vi, type Mock } from 'vitest'
import { ref, type Component } from 'vue'
import { createMemoryHistory, type Router } from 'vue-router'
import { centralPermissions, securityPermissions, type Permission } from '@/auth/permissions'
import { createSession, sessionKey, type Session } from '@/auth/session'
import type { Role, ServerRole } from '@/gql/graphql'
import { createNotifications, notificationsKey, type Notifications } from '@/notifications/notifications'
import { createAppRouter } from '@/router'
import { serverInfoKey, type ServerInfoData } from '@/server/serverInfo'
import type { FakeClient } from './fakeClient'
import { mountInApp } from './mount'

/** Options of {@link mountView}. */
export interface MountViewOptions {
  fake: FakeClient
  role?: ServerRole
  /** The user's roles (display only). */
  roles?: Role[]
  /** What `me.permissions` reports; every permission of `role` when absent. */
  permissions?: readonly Permission[]
  initialized?: boolean
  securityServerId?: string | null
  props?: Record<string, unknown>
}

/** A mounted view with what it was given. */
export interface MountedView {
  wrapper: VueWrapper
  router: Router
  session: Session
  notifications: Notifications
  refreshServerInfo: Mock<() => Promise<void>>
}

/**
 * Mounts a view or component as the app shell would: the fake GraphQL
 * client, a signed-in user with `roles` and `permissions`, the server info,
 * notifications and the app's router (in memory).
 */
export async function mountView(component: Component, options: MountViewOptions): Promise<MountedView> {
  const role = options.role ?? 'SECURITY'
  const roles = options.roles ?? ['SECURITY_OFFICER', 'REGISTRATION_OFFICER', 'SYSTEM_ADMINISTRATOR']
  const permissions = options.permissions ?? (role === 'CENTRAL' ? centralPermissions : securityPermissions)
  const session = createSession({
    loadUser: async () => ({ username: 'tester', roles, permissions }),
    fetch: async () => new Response(null, { status: 204 }),
  })
  await session.ensureChecked()
  const router = createAppRouter(session, createMemoryHistory())
  await router.push('/')
  const notifications = createNotifications()
  const info = ref<ServerInfoData>({
    role,
    initialized: options.initialized ?? true,
    instanceIdentifier: 'DEV',
    securityServerId: options.securityServerId ?? (role === 'SECURITY' ? 'DEV/GOV/1234/SS1' : null),
    version: 'test',
  })
  const refreshServerInfo = vi.fn(async () => {})
  const wrapper = mountInApp(component, {
    props: options.props,
    plugins: [router, { install: (app) => installUrql(app, options.fake.client) }],
    provide: {
      [sessionKey]: session,
      [notificationsKey]: notifications,
      [serverInfoKey]: { info, refresh: refreshServerInfo },
    },
  })
  return { wrapper, router, session, notifications, refreshServerInfo }
}
