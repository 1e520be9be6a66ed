import 'vuetify/styles'
import { createVuetify, type VuetifyOptions } from 'vuetify'
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg'

/** Vuetify options of the SPA: SVG icons from @mdi/js (nothing loaded at run time). */
export const vuetifyOptions: VuetifyOptions = {
  icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
  theme: {
    defaultTheme: 'light',
    themes: { light: { colors: { primary: '#1d4f73', secondary: '#3d6b4f' } } },
  },
}

/** Creates the Vuetify instance (components are imported by vite-plugin-vuetify). */
export function createAppVuetify() {
  return createVuetify(vuetifyOptions)
}
