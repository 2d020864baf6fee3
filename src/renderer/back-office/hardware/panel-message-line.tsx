/** A hardware panel's answer: what happened in the reader's words, main's English under it for IT. */
import { ForIt } from '../section-parts';
import type { PanelMessage } from './hardware-message';

export function PanelMessageLine({ message, testId }: { message: PanelMessage | null; testId?: string }) {
  if (!message) return null;
  return (
    <p className={message.bad ? 'field-error' : 'device-ok'} data-testid={testId}>
      {message.text}
      <ForIt text={message.detail} />
    </p>
  );
}
