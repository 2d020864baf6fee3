import { test, expect } from './fixtures';

test.describe('the register in Chromium through the kiosk host', () => {
  test('the printed URL shows the demo store; a cashier logs in with a PIN and scans an item', async ({ page, register }) => {
    await page.goto(register.url);
    await expect(page.getByTestId('store-name')).toContainText('算盤士多 旺角店');
    await expect(page.getByTestId('clock')).toHaveText(/^\d{2}:\d{2}$/);

    await page.getByTestId('login-staff-1').click();
    for (const digit of '1234') await page.getByTestId(`pin-key-${digit}`).click();
    await page.getByTestId('pin-enter').click();
    await expect(page.getByTestId('staff-name')).toContainText('陳小明');

    await page.getByTestId('scan-input').fill('4891234000012');
    await page.getByTestId('scan-input').press('Enter');
    await expect(page.getByTestId('cart-line-0')).toContainText('港式奶茶');
    await expect(page.getByTestId('cart-total')).toContainText('HK$18.00');

    await page.getByTestId('scan-input').fill('4006381333931');
    await page.getByTestId('scan-input').press('Enter');
    await expect(page.getByTestId('scan-error')).toBeVisible();

    await page.getByTestId('lang-toggle').click();
    await expect(page.getByTestId('store-name')).toContainText('Suanpan Store Mong Kok');
    await page.screenshot({ path: 'test-results/screens/shell-en.png' });

    await page.getByTestId('logout').click();
    await expect(page.getByTestId('login-staff-1')).toBeVisible();
  });

  test('when the till app cannot be loaded, the page says so in both languages and loads it by itself once it can', async ({
    page,
    register,
  }) => {
    // the app's main chunk fails to arrive (a damaged install, a file replaced mid-update); the
    // page's small entry (index.html's script, also named main-…) does
    const html = await (await page.request.get(register.url)).text();
    const entry = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    expect(entry).toMatch(/^\/assets\/main-/);
    const chunk = (url: URL) => /^\/assets\/main-[^/]*\.js$/.test(url.pathname) && url.pathname !== entry;
    await page.route(chunk, (route) => route.abort('failed'));
    await page.goto(register.url);
    const unavailable = page.getByTestId('app-unavailable');
    await expect(unavailable).toContainText('收銀程式未能載入');
    await expect(unavailable).toContainText('The till app could not be loaded');
    await page.screenshot({ path: 'test-results/screens/app-unavailable-1366.png' });
    await page.unroute(chunk);
    // the page reloads itself after 10 s
    await expect(page.getByTestId('login-staff-1')).toBeVisible({ timeout: 20_000 });
    await expect(unavailable).toHaveCount(0);
  });

  test('a wrong PIN is refused in place, typed on the keyboard', async ({ page, register }) => {
    await page.goto(register.url);
    await page.getByTestId('login-staff-1').click();
    await page.keyboard.type('9876');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('pin-error')).toBeVisible();
    await expect(page.getByTestId('staff-name')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screens/login-error.png' });
  });

  test('a WebSocket from the page without the secret, or from a foreign origin with it, is refused', async ({
    page,
    browser,
    register,
  }) => {
    await page.goto(register.url);
    const secret = await page.locator('meta[name="suanpan-session"]').getAttribute('content');
    expect(secret).toBeTruthy();
    const wsUrl = `${register.url.replace('http', 'ws')}ws`;
    const outcome = (url: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
        setTimeout(() => resolve('no answer within 10 s'), 10_000); // bounded: a socket that never settles fails the test saying so
      });
    expect(await page.evaluate(outcome, wsUrl)).toBe('refused');
    expect(await page.evaluate(outcome, `${wsUrl}?session=${secret}`)).toBe('open');

    // The same secret from another origin (a page on another loopback port) is refused.
    const foreign = await browser.newPage();
    await foreign.route('http://localhost:9/**', (route) =>
      route.fulfill({ body: '<html><body>elsewhere</body></html>', contentType: 'text/html' }),
    );
    await foreign.goto('http://localhost:9/');
    expect(await foreign.evaluate(outcome, `${wsUrl}?session=${secret}`)).toBe('refused');
    await foreign.close();
  });
});
