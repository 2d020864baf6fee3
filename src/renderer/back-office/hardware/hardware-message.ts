/** How the hardware panels word an answer: main's own message matters to IT, so it is shown after the translation. */
import type { PosErrorBody } from '../../../shared/errors';

export interface PanelMessage {
  text: string;
  bad: boolean;
}

export function failureText(error: PosErrorBody, translated: string): string {
  return error.message && error.code !== 'FORBIDDEN' && error.code !== 'NOT_LOGGED_IN' ? `${translated}：${error.message}` : translated;
}
