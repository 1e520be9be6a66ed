import { inject, reactive, readonly, type DeepReadonly, type InjectionKey } from 'vue'

/** How a notification looks. */
export type NotificationKind = 'success' | 'info' | 'warning' | 'error'

/** A message shown in the notification area. */
export interface Notification {
  id: number
  kind: NotificationKind
  title: string
  /** Optional second line, e.g. the next step to take. */
  text?: string
  /** Stays until dismissed or the user goes to another page (for things the user must act on). */
  sticky: boolean
  /** Optional link to where the next step is taken. */
  to?: string
  /** Locale-resolved label of the link. */
  linkLabel?: string
}

/** What {@link Notifications.notify} takes. */
export type NotificationInput = Omit<Notification, 'id' | 'sticky'> & { sticky?: boolean }

/**
 * The app's notification: one at a time (a new one replaces the last).
 * Successes and information dismiss themselves, warnings and errors stay
 * until dismissed; none outlives a change of page (see {@link leavePage}).
 */
export interface Notifications {
  readonly items: DeepReadonly<Notification[]>
  notify: (input: NotificationInput) => number
  dismiss: (id: number) => void
  clear: () => void
  /**
   * Returns a function that, called once the next page is shown, dismisses
   * what was shown when leaving this one (notifications made on the way,
   * e.g. after a save that opens the new item, stay).
   */
  leavePage: () => () => void
}

/** Creates the notification list. The app creates one; tests create their own. */
export function createNotifications(): Notifications {
  const items = reactive<Notification[]>([])
  let next = 1
  return {
    items: readonly(items),
    notify(input) {
      const id = next++
      const sticky = input.sticky ?? (input.kind === 'warning' || input.kind === 'error')
      items.splice(0, items.length, { ...input, id, sticky })
      return id
    },
    dismiss(id) {
      const index = items.findIndex((n) => n.id === id)
      if (index >= 0) items.splice(index, 1)
    },
    clear() {
      items.splice(0, items.length)
    },
    leavePage() {
      const last = next - 1
      return () => {
        for (let i = items.length - 1; i >= 0; i--) if (items[i]!.id <= last) items.splice(i, 1)
      }
    },
  }
}

/** Injection key of the app's {@link Notifications}. */
export const notificationsKey: InjectionKey<Notifications> = Symbol('notifications')

/** Returns the app's notifications; only inside components of the app. */
export function useNotifications(): Notifications {
  const n = inject(notificationsKey)
  if (!n) throw new Error('useNotifications: none provided (app.provide(notificationsKey, …))')
  return n
}
