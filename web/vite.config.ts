/// <reference types="vitest/config" />
// The dashboard: a single-page app served by the Rust binary under /dashboard/
// (dist/dashboard/index.html + dist/dashboard/assets/*). Widgets: vite.widgets.config.ts.
import { defineConfig } from 'vite';

const api = process.env.VITRIN_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/dashboard/',
  publicDir: 'public',
  esbuild: {
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
  },
  build: {
    outDir: 'dist/dashboard',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // Everything ships as files: no inline scripts or styles (the CSP forbids them).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    // `npm run dev` next to `vitrin serve`: the API (and its websocket) through Vite.
    proxy: {
      '/graphql': { target: api, ws: true },
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
