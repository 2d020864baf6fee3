/**
 * Builds the head office console (cloud/console) into dist/console, which the cloud serves under
 * /hq/ with a strict CSP (script-src 'self'; style-src 'self'): nothing may end up inline.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./cloud/console/', import.meta.url)),
  base: '/hq/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/console/', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
