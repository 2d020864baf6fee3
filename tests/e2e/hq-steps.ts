/**
 * The head office console end to end: the real built cloud (see cloud-steps.ts) and helpers to log
 * in as a person does.
 */
import type { Page } from '@playwright/test';
import { startE2eCloud, type E2eCloud } from './cloud-steps';
import { expect } from './fixtures';

export interface HqCloud extends E2eCloud {
  /** A console user with a password made by the CLI; answers the password. */
  createUser(email: string, role: string, ...extra: string[]): Promise<string>;
}

export async function startHqCloud(): Promise<HqCloud> {
  const cloud = await startE2eCloud('hq');
  return {
    ...cloud,
    async createUser(email, role, ...extra) {
      const printed = JSON.parse(await cloud.admin('create-user', email, '--role', role, ...extra)) as { password: string };
      return printed.password;
    },
  };
}

/** Types the email and password (and the code, when asked) and presses Enter, as a person does. */
export async function hqLogin(page: Page, cloud: HqCloud, email: string, password: string, totp?: () => string): Promise<void> {
  await page.goto(`${cloud.url}/hq/`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-password').press('Enter');
  if (totp) {
    await expect(page.getByTestId('login-totp')).toBeVisible({ timeout: 30_000 });
    await page.getByTestId('login-totp').fill(totp());
    await page.getByTestId('login-totp').press('Enter');
  }
  // scrypt (N=2^15) on a loaded machine can take seconds
  await expect(page.getByTestId('hq-user')).toBeVisible({ timeout: 30_000 });
}

/**
 * A request to the console's API from the logged-in page, as its own code sends it (session cookie,
 * the session's X-CSRF-Token, same origin): what the server answers whatever the screen shows.
 */
export async function hqApi(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/hq/api/session')).json()) as { csrfToken: string };
      const response = await fetch(`/hq/api${path}`, {
        method,
        headers: { 'x-csrf-token': session.csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: Record<string, unknown>;
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = { text };
      }
      return { status: response.status, body: parsed };
    },
    { method, path, body },
  );
}
