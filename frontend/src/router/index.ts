import { watch } from 'vue'
import { createRouter, createWebHistory, type RouteRecordRaw, type Router, type RouterHistory } from 'vue-router'
import type { Session } from '@/auth/session'
import AppShell from '@/layouts/AppShell.vue'
import { t } from '@/locales'
import { safeRedirect } from './redirect'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** Locale key of the page title. */
    titleKey?: string
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
