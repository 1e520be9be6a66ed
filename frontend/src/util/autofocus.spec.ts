import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { AUTOFOCUS_DELAY_MS, vAutofocus } from './autofocus'

const Form = defineComponent({
  directives: { autofocus: vAutofocus },
  template: `<form><div v-autofocus class="first"><input id="first" /></div><input id="second" /></form>`,
})

describe('v-autofocus', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('focuses the input inside the element after mounting', () => {
    const w = mount(Form, { attachTo: document.body })
    expect(document.activeElement?.id).not.toBe('first')
    vi.advanceTimersByTime(AUTOFOCUS_DELAY_MS)
    expect(document.activeElement?.id).toBe('first')
    w.unmount()
  })

  it('leaves the focus where the user started typing in the meantime', () => {
    const w = mount(Form, { attachTo: document.body })
    ;(w.find('#second').element as HTMLInputElement).focus()
    vi.advanceTimersByTime(AUTOFOCUS_DELAY_MS)
    expect(document.activeElement?.id).toBe('second')
    w.unmount()
  })

  it('does nothing once the element is gone', () => {
    const w = mount(Form, { attachTo: document.body })
    w.unmount()
    vi.advanceTimersByTime(AUTOFOCUS_DELAY_MS)
    expect(document.activeElement).toBe(document.body)
  })
})

describe('components', () => {
  it('use v-autofocus, never Vuetify’s autofocus prop', () => {
    const sources = import.meta.glob<string>('/src/**/*.vue', { query: '?raw', import: 'default', eager: true })
    expect(Object.keys(sources).length).toBeGreaterThan(10)
    const offenders = Object.entries(sources)
      .filter(([, text]) => /(^|\s)autofocus(\s|=|\/?>|$)/m.test(text.replace(/v-autofocus/g, '')))
      .map(([path]) => path)
    expect(offenders).toEqual([])
  })
})
