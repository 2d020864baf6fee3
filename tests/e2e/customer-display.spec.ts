import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDisplayPeer, startSocatPair } from '../../drivers/emulators';
import { withTimeout } from '../support/bounded.mjs';
import { startServe, stopServe } from '../support/serve-process';
import { expect, test } from './fixtures';
import { loginAs, MILK_TEA, WATER, wedgeScan } from './till-steps';

/**
 * A pole display on a socat pty pair (the host writes one end, the display emulator reads the other)
 * and the real built kiosk host; `hostArgs` add to its command line. `stop` ends all of it.
 */
async function startWithDisplay(profile: Parameters<typeof openDisplayPeer>[1], hostArgs: (devicePath: string) => string[]) {
  const pair = await startSocatPair();
  const peer = await openDisplayPeer(pair.peerPath, profile);
  const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-display-'));
  const serve = await startServe(['--data-dir', dataDir, '--port', '0', '--demo', ...hostArgs(pair.devicePath)]);
  return {
    pair,
    peer,
    serve,
    /** Bounded: the host must exit within 10 s of SIGTERM (stopServe), the pty pair is closed either way. */
    async stop() {
      try {
        await stopServe(serve);
      } finally {
        await withTimeout(peer.close(), 10_000, 'the display peer to close');
        await withTimeout(pair.kill(), 10_000, 'socat to exit');
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

test.describe('customer pole display and customer screen', () => {
  test('a cash sale shows the total then the change on the pty display, and the customer screen shows the cart in both languages', async ({
    browser,
  }) => {
    const rig = await startWithDisplay('epson', (devicePath) => ['--display', `serial://${devicePath}?baud=9600`]);
    const { peer, serve } = rig;
    const context = await browser.newContext();
    try {
      expect(await peer.waitFor((l) => l[0].startsWith('WELCOME'))).toEqual(['WELCOME'.padEnd(20), ' '.repeat(20)]);

      const customer = await context.newPage();
      await customer.goto(new URL('/customer.html', serve.url).href);
      await expect(customer.getByTestId('customer-welcome')).toContainText('歡迎光臨');

      const till = await context.newPage();
      await till.goto(serve.url);
      await loginAs(till, 1, '1234');
      await wedgeScan(till, MILK_TEA);
      await expect(till.getByTestId('cart-line-0')).toBeVisible();
      expect(await peer.waitFor((l) => l[0].startsWith('HK Milk Tea'))).toEqual(['HK Milk Tea'.padEnd(20), '1 x HK$18.00'.padStart(20)]);
      await wedgeScan(till, WATER);
      await expect(till.getByTestId('cart-line-1')).toBeVisible();

      const lines = customer.getByTestId('customer-line');
      await expect(lines).toHaveCount(2);
      await expect(lines.nth(0)).toContainText('港式奶茶');
      await expect(lines.nth(0)).toContainText('HK Milk Tea');
      await expect(lines.nth(1)).toContainText('蒸餾水');
      await expect(customer.getByTestId('customer-total')).toHaveText('HK$26.00');

      await till.getByTestId('action-pay').click();
      expect(await peer.waitFor((l) => l[0].startsWith('TOTAL'))).toEqual(['TOTAL       HK$26.00', ' '.repeat(20)]);
      await expect(customer.getByTestId('customer-screen')).toHaveAttribute('data-phase', 'payment');
      await customer.screenshot({ path: 'test-results/customer-screen-payment.png' });

      await till.getByTestId('tender-cash').click();
      await till.getByTestId('quick-cash-5000').click();
      await till.getByTestId('pay-complete').click();
      await expect(till.getByTestId('receipt-change-due')).toContainText('24.00');
      expect(await peer.waitFor((l) => l[1].startsWith('CHANGE'))).toEqual(['TOTAL       HK$26.00', 'CHANGE      HK$24.00']);
      await expect(customer.getByTestId('customer-change')).toHaveText('HK$24.00');
      await customer.screenshot({ path: 'test-results/customer-screen-change.png' });
      await till.screenshot({ path: 'test-results/till-receipt-preview.png' });
    } finally {
      await context.close();
      await rig.stop();
    }
  });

  test('the hardware screen sets up the display (test message, live state) and the scanner, and shows a payment QR on the customer screen', async ({
    browser,
  }) => {
    const rig = await startWithDisplay('cd5220', () => []);
    const { pair, peer, serve } = rig;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(serve.url);
      await loginAs(page, 3, '9999');
      await page.keyboard.press('F11');
      await page.getByTestId('back-office-tab-hardware').click();
      const display = page.getByTestId('display-panel');
      await expect(display.getByTestId('display-state')).toHaveAttribute('data-state', 'not-configured');

      await display.getByTestId('display-uri').fill('serail:///dev/ttyUSB1');
      await display.getByTestId('display-save').click();
      await expect(display.getByTestId('display-message')).toContainText('serial');

      await display.getByTestId('display-uri').fill(`serial://${pair.devicePath}?baud=9600`);
      await display.getByTestId('display-profile').selectOption('cd5220');
      await display.getByTestId('display-save').click();
      await expect(display.getByTestId('display-state')).toHaveAttribute('data-state', 'connected');
      await display.getByTestId('display-test-line1').fill('HELLO FROM SUANPAN');
      await display.getByTestId('display-test').click();
      expect(await peer.waitFor((l) => l[0].startsWith('HELLO'))).toEqual(['HELLO FROM SUANPAN'.padEnd(20), 'HK$12,345.50'.padEnd(20)]);
      await expect(display.getByTestId('display-screen')).toContainText('HELLO FROM SUANPAN');

      const scanner = page.getByTestId('scanner-panel');
      await scanner.getByTestId('scanner-uri').fill('hid://05e0:1200');
      await scanner.getByTestId('scanner-save').click();
      // No such scanner on this machine: it keeps trying and says why.
      await expect(scanner.getByTestId('scanner-state')).toHaveAttribute('data-state', 'disconnected');
      await expect(scanner.getByTestId('scanner-last-scan')).toContainText('未有掃描');

      await page
        .getByTestId('customer-qr')
        .fill('00020101021126330012hk.com.hkicl0313+852-91234567520400005303344540526.005802HK5902NA6002HK6304ABCD');
      await page.getByTestId('customer-qr-save').click();
      await page.getByTestId('display-panel').scrollIntoViewIfNeeded();
      await page.screenshot({ path: 'test-results/hardware-display-panel.png' });
      await page.getByTestId('scanner-panel').scrollIntoViewIfNeeded();
      await page.screenshot({ path: 'test-results/hardware-scanner-panel.png' });

      await page.keyboard.press('F11');
      await expect(page.getByTestId('scan-input')).toBeVisible();
      await wedgeScan(page, MILK_TEA);
      await expect(page.getByTestId('cart-line-0')).toBeVisible();
      const customer = await context.newPage();
      await customer.goto(new URL('/customer.html', serve.url).href);
      await expect(customer.getByTestId('customer-qr')).toBeVisible();
      await customer.screenshot({ path: 'test-results/customer-screen-qr.png' });
    } finally {
      await context.close();
      await rig.stop();
    }
  });
});
