import { computed, inject, type ComputedRef, type InjectionKey, type Ref } from 'vue'
import type { Role, ServerRole } from '@/gql/graphql'
import { hasPermission, type PermissionRequirement } from '@/auth/permissions'
import { useSession } from '@/auth/session'

/** What the SPA knows about the server it talks to (`serverInfo`). */
export interface ServerInfoData {
  role: ServerRole
  initialized: boolean
  instanceIdentifier?: string | null
  securityServerId?: string | null
  version: string
}

/** The server info the app shell loads and shares with every page. */
export interface ServerInfoContext {
  /** Undefined until loaded. */
  info: Readonly<Ref<ServerInfoData | undefined>>
  /** Asks the server again (after initialisation, for example). */
  refresh: () => Promise<void>
}

/** Injection key of the {@link ServerInfoContext}. */
export const serverInfoKey: InjectionKey<ServerInfoContext> = Symbol('serverInfo')

/** Returns the shared server info; only below the app shell. */
export function useServerInfo(): ServerInfoContext {
  const ctx = inject(serverInfoKey)
  if (!ctx) throw new Error('useServerInfo: no server info provided (AppShell provides it)')
  return ctx
}

/** Permission checks for the signed-in user on this server. */
export interface Access {
  /** The user's roles (empty when signed out). */
  roles: ComputedRef<readonly Role[]>
  /** Whether the user holds the permission (any one of a list). */
  can: (required: PermissionRequirement) => boolean
}

/**
 * Returns permission checks for the signed-in user, reactive to the session
 * and the server role. Use it to hide or disable controls; the server still
 * enforces every permission.
 */
export function useAccess(): Access {
  const session = useSession()
  const { info } = useServerInfo()
  const roles = computed<readonly Role[]>(() => session.state.user?.roles ?? [])
  return {
    roles,
    can: (required) => hasPermission(info.value?.role, roles.value, required),
  }
}
