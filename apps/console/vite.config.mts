import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The web console, served by the gateway at /console/; built into dist/apps/console. */
export default defineConfig({
  root: here,
  base: '/console/',
  // React's production build: the Nx target sets NODE_ENV=production whatever the caller has
  // (Jest sets `test`, which would give React's development build).
  mode: 'production',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // One script and one stylesheet: no inline code, as the gateway's content security policy wants.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    // `npx vite --config apps/console/vite.config.mts` against a gateway on 8080.
    proxy: { '/v1': 'http://localhost:8080' },
  },
});
