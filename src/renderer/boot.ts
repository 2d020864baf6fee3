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
 */
void import('./main');
new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Hong_Kong', hour: 'numeric' }).format(0);
