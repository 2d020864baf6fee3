/**
 * How the hardware panels word an answer: what happened in the reader's words, and main's own
 * English message (it matters to IT: which device answered what) as a detail labelled for IT.
 */
import type { TFunction } from 'i18next';
import type { PosErrorBody } from '../../../shared/errors';
import type { PanelOutcome } from '../stores/hardware-stores';

export interface PanelMessage {
  text: string;
  bad: boolean;
  /** Main's English words for IT (ForIt), or null. */
  detail: string | null;
}

/** IT reads the core's own message for a bad URI on the display and scanner panels: it names what is wrong and what is supported. */
export function uriFailureDetail(error: PosErrorBody): string | null {
  return error.code === 'BAD_REQUEST' || error.code === 'DEVICE_URI_INVALID' ? error.message : null;
}

/** Any refusal but a permission's: the device's or the driver's words. */
export function failureDetail(error: PosErrorBody): string | null {
  return error.message && error.code !== 'FORBIDDEN' && error.code !== 'NOT_LOGGED_IN' ? error.message : null;
}

/** A panel store's outcome in the UI's words; `detailOf` picks main's words for IT (failureDetail unless given). */
export function outcomeMessage(
  outcome: PanelOutcome | null,
  t: TFunction,
  detailOf: (error: PosErrorBody) => string | null = failureDetail,
): PanelMessage | null {
  if (!outcome) return null;
  if ('error' in outcome) return { text: t(`errors.${outcome.error.code}`), bad: true, detail: detailOf(outcome.error) };
  const say = t as unknown as (key: string, values: Record<string, string | number>) => string; // the key is one of the stores' own
  return { text: say(outcome.say, outcome.values ?? {}), bad: outcome.bad, detail: null };
}
