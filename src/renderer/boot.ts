/**
 * The till page's entry, after the web preload (index.html). The app's modules (React, i18n, the
 * screens: about 650 KB) take a few hundred ms to fetch, parse and run on a slow till; these two
 * small modules run first, so that time is not spent waiting (register-start):
 * - the web preload has opened the register's WebSocket already, so the status and staff list the
 *   login screen asks for go out on an open socket instead of waiting for it;
 * - the first time zone formatter is built while the app's modules are still being fetched. The
 *   first `Intl.DateTimeFormat` with a time zone loads the browser's time zone data (30–70 ms here),
 *   which would otherwise fall in the render that shows the login screen (its status bar's clock);
 *   every formatter after it, in any zone, costs well under a millisecond.
 * If the app's modules cannot be loaded (a damaged install, a file replaced mid-update), the page
 * says so in both languages, without React or i18n, and reloads after a bound.
 */
const APP_RETRY_MS = 10_000;

import('./main').catch((error: unknown) => {
  console.error('the till app could not be loaded', error);
  showAppUnavailable();
  setTimeout(() => window.location.reload(), APP_RETRY_MS);
});
new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Hong_Kong', hour: 'numeric' }).format(0);

/** The connection screen's look (its CSS is linked from index.html), built with the DOM alone. */
function showAppUnavailable(): void {
  const root = document.getElementById('root');
  if (!root) return;
  const screen = element('main', 'connection-screen');
  screen.dataset.testid = 'app-unavailable';
  const card = element('div', 'connection-card');
  const seconds = APP_RETRY_MS / 1000;
  for (const [lang, title, body] of [
    ['zh-HK', '收銀程式未能載入', `安裝可能已損壞。${seconds} 秒後自動重試；如仍未能載入，請聯絡店舖 IT。`],
    [
      'en',
      'The till app could not be loaded',
      `The installation may be damaged. Trying again in ${seconds} s; if it still fails, call shop IT.`,
    ],
  ]) {
    const section = element('section', 'connection-message');
    section.lang = lang!;
    section.append(element('h1', 'connection-title is-warning', title), element('p', 'connection-body', body));
    card.append(section);
  }
  screen.append(card);
  root.replaceChildren(screen);
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
