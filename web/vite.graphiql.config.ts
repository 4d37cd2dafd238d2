// GraphiQL (React), built into dist/graphiql/ and served by the binary at /graphiql.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/graphiql',
  base: '/graphiql/',
  publicDir: false,
  esbuild: { legalComments: 'none' },
  build: {
    outDir: '../../dist/graphiql',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // Everything ships as files: no inline scripts or styles (the CSP forbids them).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      onwarn(warning, warn) {
        // Radix marks its modules "use client" for React Server Components; a browser
        // bundle has no use for it, and Rollup says so once per module.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
