import 'vuetify/styles'
import { createVuetify, type VuetifyOptions } from 'vuetify'
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg'

/**
 * Vuetify options of the SPA: SVG icons from @mdi/js (nothing loaded at run
 * time), and colours dark enough for text on them, and text in them on a
 * light background, to meet WCAG AA (4.5:1): white on the status colours,
 * the status colours on their tonal tints, secondary text and field labels.
 */
export const vuetifyOptions: VuetifyOptions = {
  icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
  theme: {
    defaultTheme: 'light',
    themes: {
      light: {
        colors: {
          primary: '#1d4f73',
          secondary: '#3d6b4f',
          success: '#2e6b30',
          info: '#1a5a9e',
          warning: '#8a4b00',
          error: '#b3261e',
        },
        variables: { 'medium-emphasis-opacity': 0.72 },
      },
    },
  },
}

/** Creates the Vuetify instance (components are imported by vite-plugin-vuetify). */
export function createAppVuetify() {
  return createVuetify(vuetifyOptions)
}
