// The script of the storefront's shop pages (shop.js), built on its own after the
// widgets: it uses modules the account script and the stats widget use too, and lib mode
// would put those in chunks of their own, while each of these scripts must be one file.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  esbuild: { legalComments: 'none' },
  build: {
    outDir: 'dist/widgets',
    emptyOutDir: false,
    target: 'es2022',
    assetsInlineLimit: 0,
    sourcemap: false,
    lib: {
      entry: { shop: 'src/widgets/shop.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
  },
});
