// Embeddable widgets (phase 2): web components built as standalone ES modules into
// dist/widgets/ (served by the binary under /widgets/), plus a demo page; and the script
// of the storefront's account pages (account.js). The entries share no module: lib mode
// would put a shared one in a chunk of its own, and each of these must be one file.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: 'src/widgets/public',
  esbuild: { legalComments: 'none' },
  build: {
    outDir: 'dist/widgets',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    sourcemap: false,
    lib: {
      entry: { stats: 'src/widgets/stats.ts', gallery: 'src/widgets/gallery.ts', account: 'src/widgets/account.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
  },
});
