import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { MILK_TEA, PINEAPPLE_BUN, loginAs, wedgeScan } from './till-steps';
import { withTimeout } from '../support/bounded.mjs';

/**
 * A render counter through React's own commit hook (the one React DevTools uses, present in
 * production builds): after each commit it walks the tree and counts the cart rows (`li.cart-line`)
 * whose fiber is new since the last commit, that is, the rows React rendered again. A row React
 * skipped keeps the very fiber object it had.
 */
function installRenderCounter(): void {
  type Fiber = { type: unknown; memoizedProps: { className?: unknown } | null; child: Fiber | null; sibling: Fiber | null };
  const w = globalThis as unknown as { __cartRows: { rendered: number; seen: number }; __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown };
  w.__cartRows = { rendered: 0, seen: 0 };
  let previous = new WeakSet<Fiber>();
  w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject: () => 1,
    checkDCE: () => {},
    onScheduleFiberRoot: () => {},
    onCommitFiberUnmount: () => {},
    onPostCommitFiberRoot: () => {},
    onCommitFiberRoot: (_id: number, root: { current: Fiber }) => {
      const rows = new WeakSet<Fiber>();
      let seen = 0;
      let rendered = 0;
      const stack: Fiber[] = [root.current];
      while (stack.length > 0) {
        const fiber = stack.pop() as Fiber;
        if (
          fiber.type === 'li' &&
          String(fiber.memoizedProps?.className ?? '')
            .split(' ')
            .includes('cart-line')
        ) {
          seen += 1;
          if (!previous.has(fiber)) rendered += 1;
          rows.add(fiber);
        }
        if (fiber.sibling) stack.push(fiber.sibling);
        if (fiber.child) stack.push(fiber.child);
      }
      previous = rows;
      w.__cartRows.rendered += rendered;
      w.__cartRows.seen = seen;
    },
  };
}

/**
 * Adds products from id 100 on (the scans in these tests are of the first few) through the page's
 * own API until the cart holds `count` lines; weighed ones are refused without a weight and skipped.
 */
async function addLinesThroughPage(page: Page, count: number): Promise<void> {
  const preload = await withTimeout(
    page.evaluate(async (count) => {
      const pos = (
        globalThis as unknown as {
          pos: { 'cart:add-product': (payload: unknown) => Promise<{ ok: boolean; value?: { lines: unknown[] } }> };
        }
      ).pos;
      let lines = 0;
      for (let productId = 100; productId < 100 + 3 * count && lines < count; productId++) {
        const result = await pos['cart:add-product']({ productId });
        if (result.ok && result.value) lines = result.value.lines.length;
      }
      return lines === count ? 'ok' : `only ${lines} lines`;
    }, count),
    120_000,
    `adding ${count} lines through the page`,
  );
  expect(preload).toBe('ok');
}

test('a scan into a long cart renders the new row, not every row', async ({ page, register }) => {
  await page.addInitScript(installRenderCounter);
  await page.goto(register.url);
  await loginAs(page, 1, '1234');
  // 30 lines added through the API, then shown by a reload: the cart the next scans land in.
  await addLinesThroughPage(page, 30);
  await page.reload();
  await expect(page.getByTestId('cart-line-29')).toBeVisible();
  await page.getByTestId('store-name').click();

  for (const [i, code] of ['4891234000012', '4891234000128', '4891234000050'].entries()) {
    await page.evaluate(() => ((globalThis as unknown as { __cartRows: { rendered: number } }).__cartRows.rendered = 0));
    await wedgeScan(page, code);
    await expect(page.getByTestId(`cart-line-${30 + i}`)).toBeVisible();
    // Let any follow-up commit (the highlight moving) land before counting.
    for (let frame = 0; frame < 3; frame++) await page.waitForFunction(() => true, undefined, { polling: 'raf' });
    const counted = await page.evaluate(() => (globalThis as unknown as { __cartRows: { rendered: number; seen: number } }).__cartRows);
    expect(counted.seen).toBe(31 + i); // the hook sees the whole cart, so a low count is real
    // The new row and the one that lost the highlight, each at most twice (the cart and the
    // selection may commit separately); every row would be 31+ per commit.
    expect(counted.rendered).toBeGreaterThanOrEqual(1);
    expect(counted.rendered).toBeLessThanOrEqual(4);
  }
});

/** Rows of the cart in the DOM (a long cart keeps only those around the visible part there). */
const rowsInDom = (page: Page): Promise<number> => page.locator('[data-testid="cart-lines"] > li.cart-line').count();

test('a 300-line basket keeps a few dozen rows in the DOM, the newest in view, and scrolls to any line', async ({ page, register }) => {
  test.setTimeout(180_000);
  let held = 300;
  for (const [width, height, code] of [
    [1024, 768, MILK_TEA],
    [1366, 768, PINEAPPLE_BUN],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(register.url);
    if (width === 1024) {
      await loginAs(page, 1, '1234');
      await addLinesThroughPage(page, 300);
      await page.reload();
    }
    const list = page.getByTestId('cart-lines');
    await expect(list).toHaveAttribute('data-line-count', String(held));
    await expect(page.getByTestId(`cart-line-${held - 1}`)).toBeInViewport();
    await expect(page.getByTestId(`cart-line-${held - 1}`)).toHaveAttribute('aria-current', 'true');
    expect(await rowsInDom(page)).toBeLessThan(50);
    // The rows left out stand in at their heights: the list is at least as tall as its rows at the
    // smallest height on screen (rows with promotions are taller: exact only once all were on screen, below).
    const heights = await page
      .locator('[data-testid="cart-lines"] > li.cart-line')
      .evaluateAll((rows) => rows.map((row) => (row as unknown as { offsetHeight: number }).offsetHeight));
    const scrollHeight = () => list.evaluate((ol) => (ol as unknown as { scrollHeight: number }).scrollHeight);
    expect(await scrollHeight()).toBeGreaterThanOrEqual(held * Math.min(...heights));
    await page.getByTestId('store-name').click();

    // A scan lands at the bottom, in view, highlighted; the DOM stays small.
    const scanned = held++;
    await wedgeScan(page, code);
    await expect(list).toHaveAttribute('data-line-count', String(scanned + 1));
    await expect(page.getByTestId(`cart-line-${scanned}`)).toBeInViewport();
    await expect(page.getByTestId(`cart-line-${scanned}`)).toHaveAttribute('aria-current', 'true');
    expect(await rowsInDom(page)).toBeLessThan(50);
    await page.screenshot({ path: `test-results/screens/${width}x${height}/cart-300-lines.png` });

    // The cashier scrolls to the top by hand: the first lines are there, with their own numbers.
    await list.hover();
    // Wheel until the list is at its top: line 1's row is in the DOM (the window keeps rows above
    // the visible part) before it is in view, so its being there does not say the top is reached.
    // Steps smaller than the rows kept in the DOM, so every row is on screen once on the way up.
    const scrollTop = () => list.evaluate((ol) => (ol as unknown as { scrollTop: number }).scrollTop);
    const seen = new Map<string, number>();
    const note = async () => {
      const rows = await page
        .locator('[data-testid="cart-lines"] > li.cart-line')
        .evaluateAll((els) =>
          els.map(
            (el) =>
              [
                (el as unknown as { dataset: { lineId: string } }).dataset.lineId,
                (el as unknown as { offsetHeight: number }).offsetHeight,
              ] as const,
          ),
        );
      // (a row React is taking out while the page is busy can read 0: not a height)
      for (const [id, height] of rows) if (height > 0) seen.set(id, height);
    };
    await note();
    for (let i = 0; i < 120 && (await scrollTop()) > 0; i++) {
      await page.mouse.wheel(0, -600);
      await note();
    }
    // The scroll bar is true to the whole cart: once every row has been on screen, the list is as
    // tall as all its rows (to a pixel a row in the DOM, for heights the browser rounds).
    expect(seen.size).toBe(held);
    const rowsSum = [...seen.values()].reduce((sum, h) => sum + h, 0);
    expect(Math.abs((await scrollHeight()) - rowsSum)).toBeLessThanOrEqual(await rowsInDom(page));
    await expect(page.getByTestId('cart-line-0')).toBeInViewport();
    await expect(page.getByTestId('cart-line-0')).toHaveAttribute('data-sku', /.+/);
    await expect(page.getByTestId(`cart-line-${scanned}`)).toHaveCount(0);
    expect(await rowsInDom(page)).toBeLessThan(50);
    await page.screenshot({ path: `test-results/screens/${width}x${height}/cart-300-lines-top.png` });

    // ↑ from the newest line walks up; the chosen line is brought into view (the view was at the top).
    await page.getByTestId('store-name').click();
    for (let i = 0; i < 25; i++) await page.keyboard.press('ArrowUp');
    await expect(page.getByTestId(`cart-line-${scanned - 25}`)).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId(`cart-line-${scanned - 25}`)).toBeInViewport();
    // Its row carries its place in the whole cart for a screen reader.
    await expect(page.getByTestId(`cart-line-${scanned - 25}`)).toHaveAttribute('aria-posinset', String(scanned - 24));
    await expect(page.getByTestId(`cart-line-${scanned - 25}`)).toHaveAttribute('aria-setsize', String(scanned + 1));
  }
});
