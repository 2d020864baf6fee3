import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

async function pickAndType(page: Page, staffId: number, pin: string): Promise<void> {
  await page.getByTestId(`login-staff-${staffId}`).click();
  for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
}

async function loginAs(page: Page, staffId: number, pin: string): Promise<void> {
  await pickAndType(page, staffId, pin);
  await page.getByTestId('pin-enter').click();
  await expect(page.getByTestId('scan-input')).toBeVisible();
}

async function logout(page: Page): Promise<void> {
  await page.keyboard.press('F7');
  await expect(page.getByTestId('login-staff-1')).toBeVisible();
}

test.describe('staff, roles and audit', () => {
  test('a manager takes refunds by receipt away from cashiers in the matrix; a cashier then cannot see or do them', async ({
    page,
    register,
  }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(register.url);

    // The cashier clocks in from the login screen with her PIN.
    await pickAndType(page, 1, '1234');
    await page.getByTestId('clock-in').click();
    await expect(page.getByTestId('time-clock-message')).toContainText('陳小明');
    await expect(page.getByTestId('time-clock-message')).toContainText('上班');
    await page.screenshot({ path: 'test-results/screens/staff-login-clock.png' });

    // One wrong PIN (it shows in the exceptions report), then in; at first a cashier may refund with a receipt.
    await pickAndType(page, 1, '0000');
    await page.getByTestId('pin-enter').click();
    await expect(page.getByTestId('login-staff-1')).toBeVisible();
    await loginAs(page, 1, '1234');
    await page.getByTestId('action-return').click();
    await expect(page.getByTestId('return-with-receipt')).toBeEnabled();
    await page.keyboard.press('Escape');
    await logout(page);

    await loginAs(page, 3, '9999');
    await page.getByTestId('action-back-office').click();
    await page.getByTestId('back-office-tab-roles').click();
    const box = page.getByTestId('perm-cashier-refund.with-receipt');
    await expect(box).toBeChecked();
    await page.screenshot({ path: 'test-results/screens/staff-roles.png', fullPage: true });
    await box.click();
    await expect(box).not.toBeChecked();
    // A manager cannot take role management away from their own role.
    await page.getByTestId('perm-manager-roles.manage').click();
    await expect(page.getByTestId('roles-admin-error')).toBeVisible();
    // which rule, in main's English, only on a line labelled for IT
    await expect(page.getByTestId('roles-admin-error').locator('.for-it')).toContainText('技術資料（供 IT 參考）：');
    await expect(page.getByTestId('perm-manager-roles.manage')).toBeChecked();

    await page.getByTestId('back-office-tab-staff').click();
    await expect(page.getByTestId('staff-row-1')).toContainText('上班');
    await expect(page.getByTestId('timesheet-1')).toContainText('仍在上班');
    await page.screenshot({ path: 'test-results/screens/staff-list.png', fullPage: true });
    await page.getByTestId('timesheet-1').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screens/staff-timesheet.png' });

    await page.getByTestId('back-office-tab-audit').click();
    await page.getByTestId('audit-verify').click();
    await expect(page.getByTestId('audit-verdict')).toContainText('紀錄完整');
    await expect(page.locator('[data-kind="role.changed"]')).toHaveCount(1);
    await expect(page.locator('[data-kind="staff.clock-in"]')).toHaveCount(1);
    await expect(page.locator('[data-kind="staff.login-failed"]')).toHaveCount(1);
    await expect(page.getByTestId('exceptions-1')).toContainText('陳小明');
    await page.screenshot({ path: 'test-results/screens/staff-audit.png', fullPage: true });
    await page.keyboard.press('F11');
    await logout(page);

    // The cashier: the receipt path is off, the no-receipt path asks for a manager, and the back
    // office shows none of the manager's sections.
    await loginAs(page, 1, '1234');
    await page.getByTestId('action-return').click();
    await expect(page.getByTestId('return-with-receipt')).toBeDisabled();
    await expect(page.getByTestId('return-item-code')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/staff-cashier-returns.png' });
    await page.keyboard.press('Escape');
    await page.getByTestId('action-back-office').click();
    await expect(page.getByTestId('back-office')).toBeVisible();
    for (const section of ['staff', 'roles', 'audit']) await expect(page.getByTestId(`back-office-tab-${section}`)).toHaveCount(0);
  });

  test('a manager adds a staff member with a custom role, who can then log in', async ({ page, register }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(register.url);
    await loginAs(page, 3, '9999');
    await page.getByTestId('action-back-office').click();
    await page.getByTestId('back-office-tab-roles').click();
    await page.getByTestId('role-code').fill('trainee');
    await page.getByTestId('role-name-zh').fill('實習生');
    await page.getByTestId('role-name-en').fill('Trainee');
    await page.getByTestId('role-save').click();
    await expect(page.getByTestId('matrix-role-trainee')).toContainText('實習生');
    await page.keyboard.press('F10');
    await expect(page.getByTestId('matrix-role-trainee')).toContainText('Trainee');
    await page.screenshot({ path: 'test-results/screens/staff-roles-en.png' });
    await page.keyboard.press('F10');

    await page.getByTestId('back-office-tab-staff').click();
    await page.getByTestId('staff-code').fill('T001');
    await page.getByTestId('staff-name-zh').fill('張家明');
    await page.getByTestId('staff-name-en').fill('Cheung Ka Ming');
    await page.getByTestId('staff-role').selectOption('trainee');
    await page.getByTestId('staff-pin').fill('4321');
    await page.getByTestId('staff-save').click();
    await expect(page.locator('[data-testid^="staff-row-"]')).toHaveCount(4);
    await page.keyboard.press('F11');
    await logout(page);

    await expect(page.getByTestId('login-staff-4')).toContainText('實習生');
    await loginAs(page, 4, '4321');
    await expect(page.getByTestId('staff-name')).toHaveText('張家明');
  });
});
