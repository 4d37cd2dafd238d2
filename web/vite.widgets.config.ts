// Embeddable widgets (phase 2): web components built as standalone ES modules into
// dist/widgets/ (served by the binary under /widgets/), plus a demo page.
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
      entry: { stats: 'src/widgets/stats.ts', gallery: 'src/widgets/gallery.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
  },
});
