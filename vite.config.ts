/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig, type ProxyOptions } from 'vite'
import vuetify from 'vite-plugin-vuetify'

// The Roadreg server that `npm run dev` and `npm run preview` forward API
// calls to. No changeOrigin: the Go server accepts a websocket only from its
// own origin, and the proxied Host must stay the one the browser used.
const api = process.env.ROADREG_API ?? 'http://127.0.0.1:8080'

const proxy: Record<string, ProxyOptions> = {
  '/graphql': { target: api, ws: true },
  '/auth': { target: api },
  '/healthz': { target: api },
}

export default defineConfig({
  root: 'frontend',
  plugins: [vue(), vuetify({ autoImport: true })],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./frontend/src', import.meta.url)) },
  },
  server: { host: '127.0.0.1', port: 5173, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
  build: { outDir: 'dist', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
    setupFiles: ['src/test/setup.ts'],
    // Generous: the 2-core CI machine also runs the Go tests.
    testTimeout: 30_000,
    server: { deps: { inline: ['vuetify'] } },
    // The spec files share their workers' modules (Vue, Vuetify, the app):
    // importing them once per worker instead of once per file makes the run
    // several times faster. Specs therefore leave no state behind and use no
    // module mocks (src/test/downloads.ts records downloads instead).
    isolate: false,
  },
})
