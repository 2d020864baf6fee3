import type { PosErrorBody } from '../../shared/errors';
import type { Result } from '../../shared/errors';

/**
 * What an action tells the dialog that started it: done, or why not. `cancelled` is a manager
 * override the cashier backed out of: nothing to show, the dialog just stays.
 */
export type Outcome = { ok: true } | { ok: false; error: PosErrorBody; cancelled?: boolean };

export const done: Outcome = { ok: true };

export function refused(code: PosErrorBody['code'], message = code): Outcome {
  return { ok: false, error: { code, message } };
}

export function outcomeOf(result: Result<unknown>): Outcome {
  return result.ok ? done : { ok: false, error: result.error };
}
