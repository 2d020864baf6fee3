/** How the hardware panels word an answer: main's own message matters to IT, so it is shown after the translation. */
import type { TFunction } from 'i18next';
import type { PosErrorBody } from '../../../shared/errors';
import type { PanelOutcome } from '../stores/hardware-stores';

export interface PanelMessage {
  text: string;
  bad: boolean;
}

/** IT reads the core's own message for a bad URI on the display and scanner panels: it names what is wrong and what is supported. */
export function describeFailure(error: PosErrorBody, translated: string): string {
  return error.code === 'BAD_REQUEST' || error.code === 'DEVICE_URI_INVALID' ? `${translated}: ${error.message}` : translated;
}

export function failureText(error: PosErrorBody, translated: string): string {
  return error.message && error.code !== 'FORBIDDEN' && error.code !== 'NOT_LOGGED_IN' ? `${translated}：${error.message}` : translated;
}

/** A panel store's outcome in the UI's words; `describe` words main's refusal (failureText unless given). */
export function outcomeMessage(
  outcome: PanelOutcome | null,
  t: TFunction,
  describe: (error: PosErrorBody, translated: string) => string = failureText,
): PanelMessage | null {
  if (!outcome) return null;
  if ('error' in outcome) return { text: describe(outcome.error, t(`errors.${outcome.error.code}`)), bad: true };
  const say = t as unknown as (key: string, values: Record<string, string | number>) => string; // the key is one of the stores' own
  return { text: say(outcome.say, outcome.values ?? {}), bad: outcome.bad };
}
