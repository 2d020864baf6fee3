/**
 * Issue 10: dialogs keep the keyboard inside them (one focus trap for every dialog), and the
 * login and 取單 lists work from the keyboard alone.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { coreCart, expectLines, loginAs, MILK_TEA, wedgeScan } from './till-steps';

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
