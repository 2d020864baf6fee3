import { test, expect } from './fixtures';
import { loginAs, wedgeScan } from './till-steps';
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

test('a scan into a long cart renders the new row, not every row', async ({ page, register }) => {
  await page.addInitScript(installRenderCounter);
  await page.goto(register.url);
  await loginAs(page, 1, '1234');
  // 30 lines added through the API, then shown by a reload: the cart the next scans land in.
  const preload = await withTimeout(
    page.evaluate(async () => {
      const pos = (
        globalThis as unknown as {
          pos: { 'cart:add-product': (payload: unknown) => Promise<{ ok: boolean; value?: { lines: unknown[] } }> };
        }
      ).pos;
      // Products from id 100 on (the scans below are of the first few); weighed ones are refused without a weight.
      let lines = 0;
      for (let productId = 100; productId < 300 && lines < 30; productId++) {
        const result = await pos['cart:add-product']({ productId });
        if (result.ok && result.value) lines = result.value.lines.length;
      }
      return lines === 30 ? 'ok' : `only ${lines} lines`;
    }),
    30_000,
    'adding 30 lines through the page',
  );
  expect(preload).toBe('ok');
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
