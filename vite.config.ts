/**
 * Builds the renderer into dist/renderer, which both Electron and the kiosk host serve under a
 * strict CSP (script-src 'self'; style-src 'self'): nothing may end up inline in the HTML.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: '.',
  // The kiosk host serves the app at its origin's root, so asset URLs are absolute from '/'.
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist/renderer',
    emptyOutDir: true,
    // Fonts and images as files: a data: URL would need a CSP exception.
    assetsInlineLimit: 0,
    // The modulepreload polyfill is an inline script; Chromium does not need it.
    modulePreload: { polyfill: false },
    // The till, and the customer screen for a second monitor (its own small bundle and access).
    rolldownOptions: { input: { main: 'index.html', customer: 'customer.html' } },
    // bwip-js (0.9 MB) is its own chunk, loaded only when the customer screen shows a payment QR.
    chunkSizeWarningLimit: 1000,
  },
});
