/**
 * Builds the renderer into dist/renderer, which both Electron and the kiosk host serve under a
 * strict CSP (script-src 'self'; style-src 'self'): nothing may end up inline in the HTML.
 */
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** The till's app, which index.html's small entry (src/renderer/boot.ts) imports once it has started. */
const TILL_APP = 'src/renderer/main.tsx';

/**
 * index.html asks for the till's app (its chunk, the chunks it imports and its CSS) from the start,
 * as plain links: the browser then fetches and compiles it while the web preload opens the connection,
 * instead of only once boot.ts has run and asked for it (one more round trip on register-start).
 */
function fetchTheTillAppWithThePage(): Plugin {
  return {
    name: 'suanpan:fetch-the-till-app-with-the-page',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle, filename }) {
        if (!bundle || !filename.endsWith('/index.html')) return html;
        const app = Object.values(bundle).find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith(TILL_APP));
        if (!app || app.type !== 'chunk') throw new Error(`index.html: no chunk for ${TILL_APP}`);
        const imported = app.imports.flatMap((name) => {
          const chunk = bundle[name];
          return chunk?.type === 'chunk' ? [chunk] : [];
        });
        const css = [...imported, app].flatMap((c) => [...(c.viteMetadata?.importedCss ?? [])]);
        // (what boot.ts imports too is linked already)
        const modules = [app, ...imported].map((c) => c.fileName).filter((file) => !html.includes(`/${file}"`));
        return [
          ...modules.map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
            injectTo: 'head' as const,
          })),
          ...[...new Set(css)].map((file) => ({
            tag: 'link',
            attrs: { rel: 'stylesheet', crossorigin: true, href: `/${file}` },
            injectTo: 'head' as const,
          })),
        ];
      },
    },
  };
}

export default defineConfig({
  root: '.',
  // The kiosk host serves the app at its origin's root, so asset URLs are absolute from '/'.
  base: '/',
  plugins: [react(), fetchTheTillAppWithThePage()],
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
