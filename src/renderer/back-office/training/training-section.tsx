/**
 * 練習模式 / Training: a manager switches this register into training (the till's real screens,
 * catalogue and prices; documents numbered TRN-…, printed 練習 TRAINING — NOT A RECEIPT, counted in
 * no report, Z, stock or sync) and back out, which deletes every training document.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../hooks/use-error-text';
import { useStoreTime } from '../../hooks/use-store-time';
import { ErrorLine, SectionHeader } from '../section-parts';
import { createTrainingStore } from '../stores/training-store';
import { useSectionStore } from '../use-section-store';

export function TrainingSection() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const errorText = useErrorText();
  const training = useSectionStore(createTrainingStore);
  const { status, error, busy } = training;
  const [kickDrawer, setKickDrawer] = useState(false);

  if (!status) return null;

  return (
    <div className="training-section" data-testid="training-section">
      <SectionHeader title={t('trainingAdmin.title')} hint={t('trainingAdmin.hint')} />
      <ErrorLine testId="training-error">{error && errorText(error)}</ErrorLine>
      <dl className="sync-facts">
        <dt>{t('trainingAdmin.state')}</dt>
        <dd className={status.on ? 'tone-warn' : 'tone-ok'} data-testid="training-state" data-on={status.on}>
          {status.on ? t('trainingAdmin.on') : t('trainingAdmin.off')}
        </dd>
        {status.on && (
          <>
            <dt>{t('trainingAdmin.since')}</dt>
            <dd>{status.since === null ? '—' : `${storeTime.dateTime(status.since)} · ${status.by ?? ''}`}</dd>
            <dt>{t('trainingAdmin.documents')}</dt>
            <dd className="is-number" data-testid="training-documents">
              {status.documents}
            </dd>
            <dt>{t('trainingAdmin.drawer')}</dt>
            <dd>{status.kickDrawer ? t('trainingAdmin.drawerOpens') : t('trainingAdmin.drawerShut')}</dd>
          </>
        )}
      </dl>
      {status.on ? (
        <div className="admin-form-actions">
          <p className="section-hint">{t('trainingAdmin.offHint', { count: status.documents })}</p>
          <button
            type="button"
            className="admin-button is-primary"
            data-testid="training-off"
            disabled={busy}
            onClick={() => void training.switchOff()}
          >
            {t('trainingAdmin.switchOff')}
          </button>
        </div>
      ) : (
        <div className="admin-form-actions">
          <label className="backup-check">
            <input
              type="checkbox"
              data-testid="training-kick-drawer"
              checked={kickDrawer}
              onChange={(event) => setKickDrawer(event.target.checked)}
            />
            {t('trainingAdmin.kickDrawer')}
          </label>
          <button
            type="button"
            className="admin-button is-primary"
            data-testid="training-on"
            disabled={busy}
            onClick={() => void training.switchOn(kickDrawer)}
          >
            {t('trainingAdmin.switchOn')}
          </button>
        </div>
      )}
    </div>
  );
}
