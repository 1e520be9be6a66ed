import { inject, type InjectionKey, type Ref } from 'vue'
import type { ServerRole } from '@/gql/graphql'

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
