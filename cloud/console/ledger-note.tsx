/**
 * What the cloud wrote, as the console shows it: said in the reader's language from the facts it
 * kept (ledger-words.ts); its own English line when it kept none (a row written before cloud
 * migration 0036), labelled as being for IT on a line of its own; or a person's words, as typed.
 */
import type { LedgerNoteFacts } from '../hq/contract';
import { useLang, useTr } from './console-store';
import { noteSentence } from './ledger-words';

/** The cloud's English line, after the label that says it is the cloud's words, for IT. */
export function CloudWrote({ text }: { text: string }) {
  const tr = useTr();
  return (
    <>
      <span className="hq-muted hq-label-line">{tr('雲端原文（供 IT 參考）：', 'The cloud wrote (for IT): ')}</span>
      <span lang="en">{text}</span>
    </>
  );
}

/** A movement's note, or a card's void reason, of `account`. */
export function LedgerNote({
  text,
  facts,
  cloud,
  account,
}: {
  text: string | null;
  facts: LedgerNoteFacts | null;
  /** `text` is the cloud's English line (cloudNote, voidReasonCloud) */
  cloud: boolean;
  account: 'points' | 'credit' | 'gift';
}) {
  const tr = useTr();
  const lang = useLang();
  if (facts) return <>{noteSentence(tr, lang, facts, account)}</>;
  if (text !== null && cloud) return <CloudWrote text={text} />;
  return <>{text ?? ''}</>;
}
