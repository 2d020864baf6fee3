/**
 * The documents the cloud put aside for head office, in 雲端同步 under the attention: each with its
 * number, what it is (銷售, 交更 …) and why, in the reader's language, as the console's quarantine page
 * names the reason (src/shared/quarantine-reasons.ts). The newest are listed; the rest are counted.
 */
import { useTranslation } from 'react-i18next';
import { outboxKinds, type OutboxKind } from '../../../shared/outbox-kinds';
import { quarantineReasonName } from '../../../shared/quarantine-reasons';
import type { SyncStatus } from '../../../shared/sync-schemas';

const isOutboxKind = (kind: string): kind is OutboxKind => (outboxKinds as readonly string[]).includes(kind);

export function QuarantinedDocuments({ status }: { status: Pick<SyncStatus, 'quarantined' | 'quarantinedDocuments'> }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language.startsWith('en');
  const documents = status.quarantinedDocuments;
  if (documents.length === 0) return null;
  const more = status.quarantined - documents.length;
  return (
    <ul className="sync-quarantined" data-testid="sync-quarantined">
      {documents.map((document) => (
        <li key={document.seq} data-testid="sync-quarantined-document" data-reason={document.reason ?? ''}>
          {t('cloudSync.quarantinedDocument', {
            ref: document.ref,
            kind: isOutboxKind(document.kind) ? t(`cloudSync.outboxKind.${document.kind}`) : document.kind,
            reason:
              document.reason === null
                ? t('cloudSync.quarantinedNoReason')
                : quarantineReasonName((zhHK, en) => (english ? en : zhHK), document.reason),
          })}
        </li>
      ))}
      {more > 0 && <li className="sync-quarantined-more">{t('cloudSync.quarantinedMore', { count: more })}</li>}
    </ul>
  );
}
