import { join, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  isAllowedAppUrl,
  isTrustedSender,
  mainWindowOptions,
  resolveAppFile,
} from '../../../src/main/electron/security';

describe('the main window', () => {
  const options = mainWindowOptions('/opt/suanpan/dist/preload/electron-preload.cjs');
  const prefs = options.webPreferences ?? {};

  it('keeps the page out of Node: isolated, sandboxed, no Node in the page, its workers or frames', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps the web security Chromium has and turns on nothing it lacks', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.additionalArguments).toBeUndefined();
  });

  it('loads the preload it is given and no other', () => {
    expect(prefs.preload).toBe('/opt/suanpan/dist/preload/electron-preload.cjs');
  });

  it('is windowed, without dev tools, unless asked', () => {
    expect(options).toMatchObject({ kiosk: false, fullscreen: false, show: false });
    expect(prefs.devTools).toBe(false);
  });

  it('kiosk mode is also full screen', () => {
    const kiosk = mainWindowOptions('/p.cjs', { kiosk: true, fullscreen: false, devTools: false });
    expect(kiosk).toMatchObject({ kiosk: true, fullscreen: true });
    expect(kiosk.webPreferences?.sandbox).toBe(true);
  });

  it('opens the app entry page on our own origin', () => {
    expect(APP_ENTRY_URL).toBe('app://suanpan/index.html');
    expect(isAllowedAppUrl(APP_ENTRY_URL)).toBe(true);
  });

  it('sends the agreed content security policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });
});

describe('which URLs are the app', () => {
  it.each(['app://suanpan/', 'app://suanpan/index.html', 'app://suanpan/assets/index-3f2a.js?v=1#top', 'APP://suanpan/index.html'])(
    '%s is ours',
    (url) => expect(isAllowedAppUrl(url)).toBe(true),
  );

  it.each([
    'app://suanpan.evil/',
    'app://suanpan.evil.com/index.html',
    'app://evilsuanpan/',
    'app://suanpan./',
    'app://suanpan@evil/',
    'app://evil@suanpan/',
    'app://suanpan:pw@suanpan/',
    'app://suanpan:8080/',
    'app://suan%70an/',
    'app://SUANPAN/',
    'app:suanpan/index.html',
    'app:/suanpan/index.html',
    'app:///suanpan/index.html',
    'app://suanpan\\..\\evil/',
    'apps://suanpan/',
    'http://suanpan/',
    'https://suanpan/',
    'file:///index.html',
    'file://suanpan/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:app://suanpan/9c1e7b1a-2f7e-4c55-9f0e-1b2c3d4e5f60',
    'about:blank',
    'chrome://gpu',
    'devtools://devtools/bundled/inspector.html',
    '',
    'not a url',
  ])('%s is not ours', (url) => expect(isAllowedAppUrl(url)).toBe(false));
});

describe('which file an app:// request reads', () => {
  const root = resolve('/srv/suanpan/dist/renderer');

  it.each([
    ['app://suanpan/', 'index.html'],
    ['app://suanpan', 'index.html'],
    ['app://suanpan/index.html', 'index.html'],
    ['app://suanpan/assets/index-3f2a.js?v=2#x', join('assets', 'index-3f2a.js')],
    ['app://suanpan/fonts/Noto%20Sans%20HK.woff2', join('fonts', 'Noto Sans HK.woff2')],
    ['app://suanpan/sounds/%E6%8E%83%E6%8F%8F.mp3', join('sounds', '掃描.mp3')],
  ])('%s reads %s', (url, file) => expect(resolveAppFile(root, url)).toBe(join(root, file)));

  it.each([
    // The URL parser has already folded these dot segments (literal or %2e) before we see a path.
    ['app://suanpan/../../../etc/passwd', join('etc', 'passwd')],
    ['app://suanpan/%2e%2e/%2e%2e/etc/passwd', join('etc', 'passwd')],
    ['app://suanpan/assets/%2E./%2e%2E/secret.json', 'secret.json'],
    // Decoded once only: a double-encoded dot-dot is a strange file name, not a step up.
    ['app://suanpan/%252e%252e%252fsecret.json', '%2e%2e%2fsecret.json'],
  ])('%s stays inside the renderer folder', (url, file) => expect(resolveAppFile(root, url)).toBe(join(root, file)));

  it.each([
    'app://suanpan/..%2f..%2fetc%2fpasswd',
    'app://suanpan/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://suanpan/assets/..%2F..%2F..%2Fregister.db',
    'app://suanpan/..%5c..%5cregister.db',
    'app://suanpan/assets%5c..%5c..%5cregister.db',
    'app://suanpan/C:%5cWindows%5cwin.ini',
    'app://suanpan/c:/Windows/win.ini',
    'app://suanpan/index.html:Zone.Identifier',
    'app://suanpan/.env',
    'app://suanpan/assets/.vite/manifest.json',
    'app://suanpan/%2eenv',
    'app://suanpan/index.html%00.png',
    'app://suanpan/%00',
    'app://suanpan/%E0%A4%A',
    'app://suanpan/assets//index.js',
    'app://suanpan/assets/',
    'app://suanpan.evil/index.html',
    'app://suanpan@evil/index.html',
    'app://evil/index.html',
    'file:///etc/passwd',
    'https://suanpan/index.html',
    'not a url',
  ])('%s reads nothing', (url) => expect(resolveAppFile(root, url)).toBeNull());

  it('never resolves outside the renderer folder, whatever the path', () => {
    const segment = fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E.',
      '.%2e',
      '%2f',
      '%2F',
      '%5c',
      '%00',
      '%25',
      '%252e%252e',
      'a',
      'b.js',
      'C:',
      '',
      '~',
      '%e6%8e%83',
    );
    fc.assert(
      fc.property(fc.array(fc.array(segment, { minLength: 1, maxLength: 3 }), { maxLength: 6 }), (parts) => {
        const path = parts.map((part) => part.join('')).join('/');
        const file = resolveAppFile(root, `app://suanpan/${path}`);
        return file === null || file.startsWith(root + sep);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('who may call the register over IPC', () => {
  const trusted = new Set([7]);
  const ours = { frameUrl: 'app://suanpan/index.html', isMainFrame: true, webContentsId: 7 };

  it('the main frame of our window, showing our page, may', () => {
    expect(isTrustedSender(ours, trusted)).toBe(true);
  });

  it.each([
    ['a subframe of our window', { ...ours, isMainFrame: false }],
    ['a window we did not open', { ...ours, webContentsId: 8 }],
    ['a frame that navigated away or was destroyed', { ...ours, frameUrl: null }],
    ['our window after it left our origin', { ...ours, frameUrl: 'https://evil.example/' }],
    ['our window on a lookalike origin', { ...ours, frameUrl: 'app://suanpan.evil/index.html' }],
    ['our window on a file: URL', { ...ours, frameUrl: 'file:///C:/Users/cashier/Downloads/pos.html' }],
    ['our window on about:blank', { ...ours, frameUrl: 'about:blank' }],
  ])('%s may not', (_name, sender) => {
    expect(isTrustedSender(sender, trusted)).toBe(false);
  });

  it('nobody may before a window is trusted', () => {
    expect(isTrustedSender(ours, new Set())).toBe(false);
  });
});
