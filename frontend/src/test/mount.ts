import { mount, type VueWrapper } from '@vue/test-utils'
import { defineComponent, h, type Component, type Plugin } from 'vue'
import { createVuetify } from 'vuetify'
import { VApp } from 'vuetify/components'
import { vuetifyOptions } from '@/plugins/vuetify'

/** Options of {@link mountInApp}. */
export interface MountInAppOptions {
  props?: Record<string, unknown>
  plugins?: Plugin[]
  provide?: Record<string | symbol, unknown>
}

/**
 * Mounts `component` inside a Vuetify `<v-app>` (layout components such as
 * v-main need one), attached to the document so focus and keys behave.
 */
export function mountInApp(component: Component, options: MountInAppOptions = {}): VueWrapper {
  const Host = defineComponent({
    render: () => h(VApp, null, { default: () => h(component, options.props ?? {}) }),
  })
  return mount(Host, {
    attachTo: document.body,
    global: {
      plugins: [createVuetify(vuetifyOptions), ...(options.plugins ?? [])],
      provide: options.provide ?? {},
    },
  })
}
