/**
 * Issue 10: dialogs keep the keyboard inside them (one focus trap for every dialog), and the
 * login and 取單 lists work from the keyboard alone.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { coreCart, expectLines, loginAs, MILK_TEA, WATER, wedgeScan } from './till-steps';

/** Whether keyboard focus is inside the element with this test id. */
function focusInside(page: Page, testId: string): Promise<boolean> {
  return page.evaluate(`!!document.querySelector('[data-testid="${testId}"]')?.contains(document.activeElement)`);
}

test.describe('dialogs and the keyboard (issue 10)', () => {
  test('with 退貨 open, Tab cycles inside it, Enter never reaches the favourite tile behind it, Esc closes it', async ({
    page,
    register,
  }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    // The cashier had reached 凍檸茶's tile with Tab before pressing F6.
    await page.getByTestId('favourite-DRI-0002').focus();
    await page.keyboard.press('F6');
    await expect(page.getByTestId('dialog-returns')).toBeVisible();
    await page.keyboard.press('Enter');
    for (let tab = 0; tab < 15; tab++) {
      await page.keyboard.press(tab % 4 === 3 ? 'Shift+Tab' : 'Tab');
      expect(await focusInside(page, 'dialog-returns'), `focus after Tab ${tab + 1}`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('dialog-returns')).toHaveCount(0);
    expect((await coreCart(page)).lines, 'nothing was added behind the dialog').toEqual([]);
    await expect(page.getByTestId('cart-line-0')).toHaveCount(0);
  });

  test('login: Enter on a name reached with Tab selects it', async ({ page, register }) => {
    await page.goto(register.url);
    await page.getByTestId('login-staff-2').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('login-staff-2')).toHaveAttribute('aria-pressed', 'true');
  });

  test('取單 opens with the first row focused; Enter recalls it', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, MILK_TEA);
    await expectLines(page, 1);
    await page.keyboard.press('F4');
    await page.getByTestId('suspend-label').fill('紅衫客人');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('cart-line-0')).toHaveCount(0);
    await page.keyboard.press('F5');
    const first = page.locator('[data-testid^="suspended-"]').first();
    await expect(first).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('cart-line-0')).toContainText('港式奶茶');
  });
});

test.describe('typing is never lost or misplaced on a busy till (issue 10)', () => {
  test('codes typed into a social order while the first is still being looked up are all added', async ({ page, register }) => {
    // Every catalogue lookup is answered 800 ms late, as on a busy PC; the rest of the traffic is untouched.
    const lookups = new Set<number>();
    await page.routeWebSocket(/\/ws/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((frame) => {
        const request = JSON.parse(String(frame)) as { id: number; channel: string };
        if (request.channel === 'catalog:lookup') lookups.add(request.id);
        server.send(frame);
      });
      server.onMessage((frame) => {
        const reply = JSON.parse(String(frame)) as { id?: number | null };
        if (typeof reply.id === 'number' && lookups.delete(reply.id)) setTimeout(() => ws.send(frame), 800);
        else ws.send(frame);
      });
    });
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await page.keyboard.press('Shift+F5');
    await page.getByTestId('orders-new-social').click();
    const code = page.getByTestId('social-item-code');
    // The next code is typed while the first is unanswered, and still there when the answer comes.
    await code.fill(WATER);
    await code.press('Enter');
    await code.fill(MILK_TEA);
    await expect(page.getByTestId('social-total')).toHaveText('HK$8.00', { timeout: 10_000 });
    await expect(code, 'the code typed while the first was looked up').toHaveValue(MILK_TEA);
    await code.press('Enter');
    // And two submitted back to back both count.
    await code.fill(WATER);
    await code.press('Enter');
    await expect(page.getByTestId('social-total')).toHaveText('HK$34.00', { timeout: 10_000 });
    await expect(page.getByTestId('social-lines').locator('li')).toHaveCount(2);
    await expect(code).toHaveValue('');
    // An unknown code is given back to be corrected, and says why.
    await code.fill('4899999999999');
    await code.press('Enter');
    await expect(code).toHaveValue('4899999999999', { timeout: 10_000 });
    await expect(page.getByTestId('dialog-social-order')).toContainText('4899999999999');
  });

  test('characters typed into a field go there even when focus moves before they show', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await page.keyboard.press('Shift+F5');
    await page.getByTestId('orders-new-social').click();
    await page.getByTestId('social-name').click();
    // Typed fast, the keys are held for a moment (they might be a scanner's); the form moves focus
    // in that moment, without a key or a click.
    await page.keyboard.type('Amy');
    await page.evaluate('document.querySelector(\'[data-testid="social-phone"]\').focus()');
    await expect(page.getByTestId('social-name')).toHaveValue('Amy');
    await page.waitForTimeout(200); // past the hold: anything still held has been put somewhere
    await expect(page.getByTestId('social-name')).toHaveValue('Amy');
    await expect(page.getByTestId('social-phone')).toHaveValue('');
  });
});
