/**
 * 雲端同步: IT enrols the register with the cloud (address + the code head office issued) and
 * anyone with sync.manage sees what sync is doing: queue depth, the oldest unsynced sale, the last
 * sync, the clock difference, where the token is kept, and why it needs attention. "Sync now"
 * pushes at once; "Forget enrolment" stops syncing and keeps the queue.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorCode } from '../../../shared/errors';
import { useErrorText } from '../../hooks/use-error-text';
import { AdminInput, ErrorLine, ForIt, FormActions, SectionHeader } from '../section-parts';
import { useStoreTime } from '../../hooks/use-store-time';
import { createSyncStore } from '../stores/sync-store';
import { lastProblem } from './last-problem';
import { QuarantinedDocuments } from './quarantined-documents';
import { useSectionStore } from '../use-section-store';

/**
 * Whose words a refusal's technical detail are: nothing answered (a connection's error code),
 * something that is no Suanpan cloud, or the cloud itself.
 */
function detailLabel(code: ErrorCode): 'cloudSync.connectionSaid' | 'cloudSync.addressSaid' | 'cloudSync.cloudSaid' {
  if (code === 'CLOUD_UNREACHABLE' || code === 'CLOUD_CERTIFICATE') return 'cloudSync.connectionSaid';
  return code === 'CLOUD_NOT_SUANPAN' ? 'cloudSync.addressSaid' : 'cloudSync.cloudSaid';
}

export function SyncSection() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const errorText = useErrorText();
  const sync = useSectionStore(createSyncStore);
  const { status, error, enrolling: busy, watch } = sync;
  const [cloudUrl, setCloudUrl] = useState('https://');
  const [code, setCode] = useState('');
  const [confirmForget, setConfirmForget] = useState(false);

  useEffect(() => watch(), [watch]);

  if (!status) return null;
  const problem = lastProblem(t, status);

  const enrol = async (event: FormEvent) => {
    event.preventDefault();
    if (await sync.enrol(cloudUrl, code)) setCode('');
  };
  const forget = () => {
    setConfirmForget(false);
    return sync.forget();
  };

  return (
    <div className="sync-section" data-testid="sync-section">
      <SectionHeader title={t('cloudSync.title')} hint={t('cloudSync.hint')} />
      <ErrorLine testId="sync-error">
        {error && (
          <>
            {errorText(error)}
            <ForIt text={error.detail} label={t(detailLabel(error.code))} testId="sync-error-detail" />
          </>
        )}
      </ErrorLine>
      {status.attention && (
        <div className="sync-attention" role="alert" data-testid="sync-attention" data-attention={status.attention}>
          <strong>{t(`status.syncAttention.${status.attention}`)}</strong>
          <p>{t(`cloudSync.attention.${status.attention}`)}</p>
          {status.attentionDetail && (
            <p className="sync-detail" data-testid="sync-attention-detail">
              {t(status.attention === 'changes-held' ? 'cloudSync.firstHeldError' : 'cloudSync.cloudSaid')}
              <span lang="en">{status.attentionDetail}</span>
            </p>
          )}
          {status.refusedCounts.length > 0 && (
            <ul className="sync-refused-counts" data-testid="sync-refused-counts">
              {status.refusedCounts.map((count) => (
                <li key={count.documentId} data-testid="sync-refused-count" data-code={count.code}>
                  <span>
                    {t('cloudSync.refusedCount', { docNo: count.docNo, reason: errorText({ code: count.code, message: count.detail }) })}
                  </span>
                  <button
                    type="button"
                    className="admin-button"
                    data-testid="sync-dismiss-count"
                    onClick={() => void sync.dismissCount(count.documentId)}
                  >
                    {t('cloudSync.dismissCount')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <QuarantinedDocuments status={status} />
          {status.attention === 'quarantine' && (
            <button type="button" className="admin-button" data-testid="sync-acknowledge" onClick={() => void sync.acknowledge()}>
              {t('cloudSync.acknowledge')}
            </button>
          )}
        </div>
      )}

      <dl className="sync-facts">
        <dt>{t('cloudSync.state')}</dt>
        <dd
          data-testid="sync-state"
          data-state={status.state}
          className={`tone-${status.state === 'online' ? 'ok' : status.state === 'offline' ? 'warn' : status.state === 'attention' ? 'bad' : 'neutral'}`}
        >
          {t(`status.sync.${status.state}`)}
        </dd>
        <dt>{t('cloudSync.pending')}</dt>
        <dd data-testid="sync-pending-count">{status.pending}</dd>
        <dt>{t('cloudSync.pendingSales')}</dt>
        <dd data-testid="sync-pending-sales">{status.pendingSales}</dd>
        <dt>{t('cloudSync.oldest')}</dt>
        <dd>{status.oldestPendingSaleAt === null ? t('cloudSync.none') : storeTime.dateTime(status.oldestPendingSaleAt)}</dd>
        <dt>{t('cloudSync.lastSync')}</dt>
        <dd data-testid="sync-last">{status.lastSyncAt === null ? t('cloudSync.never') : storeTime.dateTime(status.lastSyncAt)}</dd>
        {status.clockSkewMs !== null && (
          <>
            <dt>{t('cloudSync.clockSkew')}</dt>
            <dd>{t('cloudSync.seconds', { count: Math.round(status.clockSkewMs / 1000) })}</dd>
          </>
        )}
        <dt>{t('cloudSync.heldChanges')}</dt>
        <dd data-testid="sync-held-changes" className={status.heldChanges > 0 ? 'tone-bad' : undefined}>
          {status.heldChanges}
        </dd>
        <dt>{t('cloudSync.duplicates')}</dt>
        <dd>{status.duplicatesAbsorbed}</dd>
        {problem && (
          <>
            <dt>{t('cloudSync.lastError')}</dt>
            <dd data-testid="sync-last-problem" data-problem={status.lastProblem ?? undefined}>
              {problem.words}
              <ForIt text={status.lastError} label={problem.detailLabel} testId="sync-last-problem-detail" />
            </dd>
          </>
        )}
        <dt>{t('cloudSync.tokenStorage')}</dt>
        <dd>{t(`cloudSync.tokenStorageKinds.${status.tokenStorage}`)}</dd>
      </dl>

      {status.enrolment ? (
        <section className="admin-card" data-testid="sync-enrolment">
          <h3>{t('cloudSync.enrolled')}</h3>
          <dl className="sync-facts">
            <dt>{t('cloudSync.cloud')}</dt>
            <dd lang="en">{status.enrolment.cloudUrl}</dd>
            <dt>{t('cloudSync.merchant')}</dt>
            <dd>{status.enrolment.merchantName}</dd>
            <dt>{t('cloudSync.storeRegister')}</dt>
            <dd data-testid="sync-store-register">
              {status.enrolment.storeCode} · {status.enrolment.registerCode}
            </dd>
          </dl>
          <div className="admin-form-actions">
            <button type="button" className="admin-button is-primary" data-testid="sync-now" onClick={() => void sync.syncNow()}>
              {t('cloudSync.syncNow')}
            </button>
            {confirmForget ? (
              <>
                <span className="sync-confirm">{t('cloudSync.forgetConfirm')}</span>
                <button type="button" className="admin-button" onClick={() => setConfirmForget(false)}>
                  {t('dialog.cancel')}
                </button>
                <button type="button" className="admin-button is-danger" data-testid="sync-forget-confirm" onClick={() => void forget()}>
                  {t('cloudSync.forget')}
                </button>
              </>
            ) : (
              <button type="button" className="admin-button" data-testid="sync-forget" onClick={() => setConfirmForget(true)}>
                {t('cloudSync.forget')}
              </button>
            )}
          </div>
        </section>
      ) : (
        <form className="admin-card admin-form" onSubmit={(event) => void enrol(event)} data-testid="sync-enrol-form">
          <h3>{t('cloudSync.enrolTitle')}</h3>
          <p className="section-hint">{t('cloudSync.enrolHint')}</p>
          <AdminInput
            label={t('cloudSync.cloudUrl')}
            value={cloudUrl}
            required
            type="url"
            lang="en"
            autoComplete="off"
            spellCheck={false}
            data-testid="sync-cloud-url"
            onChange={(e) => setCloudUrl(e.target.value)}
          />
          <AdminInput
            label={t('cloudSync.code')}
            value={code}
            required
            minLength={4}
            maxLength={40}
            lang="en"
            autoComplete="off"
            spellCheck={false}
            placeholder="7KQ2-M9XD-4TRB"
            className="sync-code"
            data-testid="sync-code"
            onChange={(e) => setCode(e.target.value)}
          />
          <FormActions saveLabel={busy ? t('cloudSync.enrolling') : t('cloudSync.enrol')} saveTestId="sync-enrol" busy={busy} />
        </form>
      )}
    </div>
  );
}
