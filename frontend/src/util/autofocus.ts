import type { Directive } from 'vue'

/** How long after mounting the field is focused: past dialog enter transitions. */
export const AUTOFOCUS_DELAY_MS = 50

/** Whether el is a place the user types into. */
function isTypingTarget(el: Element | null): boolean {
  if (!el || !(el instanceof HTMLElement)) return false
  return el.matches('input, textarea, select') || el.isContentEditable
}

/**
 * `v-autofocus`: focuses the input (or textarea) inside the element shortly
 * after it is mounted, unless by then the user is already typing in another
 * field. Vuetify's own `autofocus` focuses unconditionally once the field
 * scrolls into view, which can move the caret out of a field the user (or a
 * browser test) has just started filling in.
 */
export const vAutofocus: Directive<HTMLElement> = {
  mounted(el) {
    setTimeout(() => {
      const input = el.matches('input, textarea') ? el : el.querySelector<HTMLElement>('input, textarea')
      if (!input || !input.isConnected) return
      const active = document.activeElement
      if (active !== input && isTypingTarget(active)) return
      input.focus()
    }, AUTOFOCUS_DELAY_MS)
  },
}
