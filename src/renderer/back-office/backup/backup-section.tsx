/**
 * 備份及還原: the backups there are (date, kind, last receipt, unsynced documents), a backup now,
 * the schedule, retention and second folder, the backup passphrase, and a restore that the manager
 * confirms by typing 還原 (main checks the word too, and makes a safety copy first).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelRequest, ChannelResponse } from '../../../shared/channels';
import { useErrorText } from '../../hooks/use-error-text';
import { useStoreTime } from '../../hooks/use-store-time';
import { AdminInput, ErrorLine, ForIt, FormActions, SectionHeader, TableHead } from '../section-parts';
import { createBackupStore } from '../stores/backup-store';
import { useSectionStore } from '../use-section-store';

type BackupView = ChannelResponse<'backup:status'>['backups'][number];
type Settings = ChannelRequest<'backup:save-settings'>;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function BackupSection() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const errorText = useErrorText();
  const backup = useSectionStore(createBackupStore);
  const { status, error, busy, restored } = backup;
  const [passphrase, setPassphrase] = useState('');
  const [picked, setPicked] = useState<BackupView | null>(null);
  const [confirmWord, setConfirmWord] = useState('');
  const [restorePassphrase, setRestorePassphrase] = useState('');

  if (!status) return null;

  const savePassphrase = async (event: FormEvent) => {
    event.preventDefault();
    if (await backup.setPassphrase(passphrase)) setPassphrase('');
  };
  const restore = async (event: FormEvent) => {
    event.preventDefault();
    if (!picked) return;
    await backup.restore({
      name: picked.name,
      where: picked.where,
      confirm: confirmWord,
      ...(restorePassphrase ? { passphrase: restorePassphrase } : {}),
    });
  };

  return (
    <div className="backup-section" data-testid="backup-section">
      <SectionHeader title={t('backupAdmin.title')} hint={t('backupAdmin.hint')} />
      <ErrorLine testId="backup-error">
        {error && (
          <>
            {errorText(error)}
            {error.code !== 'BAD_REQUEST' && <ForIt text={error.message} testId="backup-error-detail" />}
          </>
        )}
      </ErrorLine>
      {restored && (
        <p className="backup-restored" role="status" data-testid="backup-restored">
          {t('backupAdmin.restored', { backup: restored.backup, receipt: restored.receiptFloor })}
        </p>
      )}
      <dl className="sync-facts">
        <dt>{t('backupAdmin.last')}</dt>
        <dd data-testid="backup-last">{status.lastBackupAt === null ? t('backupAdmin.never') : storeTime.dateTime(status.lastBackupAt)}</dd>
        <dt>{t('backupAdmin.folder')}</dt>
        <dd lang="en">{status.folder}</dd>
        <dt>{t('backupAdmin.encryption')}</dt>
        <dd className={status.keySet ? 'tone-ok' : 'tone-warn'} data-testid="backup-key-state">
          {status.keySet ? t('backupAdmin.encrypted') : t('backupAdmin.notEncrypted')}
        </dd>
        {status.lastError && (
          <>
            <dt>{t('backupAdmin.lastError')}</dt>
            <dd className="tone-bad" data-testid="backup-last-error">
              <ForIt text={status.lastError} />
            </dd>
          </>
        )}
      </dl>
      <div className="admin-form-actions">
        <button
          type="button"
          className="admin-button is-primary"
          data-testid="backup-now"
          disabled={busy || status.running}
          onClick={() => void backup.backupNow()}
        >
          {busy || status.running ? t('backupAdmin.working') : t('backupAdmin.backupNow')}
        </button>
      </div>

      <table className="admin-table" data-testid="backup-table">
        <TableHead
          columns={[
            t('backupAdmin.when'),
            t('backupAdmin.kind'),
            t('backupAdmin.lastReceipt'),
            t('backupAdmin.unsynced'),
            t('backupAdmin.size'),
            t('backupAdmin.where'),
            '',
          ]}
        />
        <tbody>
          {status.backups.length === 0 && (
            <tr>
              <td colSpan={7}>{t('backupAdmin.none')}</td>
            </tr>
          )}
          {status.backups.map((b) => (
            <tr key={`${b.where}/${b.name}`} data-testid={`backup-row-${b.where}`}>
              <td>{storeTime.dateTime(b.createdAt)}</td>
              <td>{t(`backupAdmin.kinds.${b.kind}`)}</td>
              <td lang="en">{b.lastReceiptNo ?? '—'}</td>
              <td className="is-number">{b.unsynced}</td>
              <td className="is-number">
                {mib(b.bytes)}
                {b.encrypted ? ' 🔒' : ''}
              </td>
              <td>{t(`backupAdmin.places.${b.where}`)}</td>
              <td>
                <button
                  type="button"
                  className="admin-button"
                  data-testid="backup-pick"
                  onClick={() => {
                    setPicked(b);
                    setConfirmWord('');
                  }}
                >
                  {t('backupAdmin.restore')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {picked && (
        <form className="admin-card admin-form" data-testid="backup-restore-form" onSubmit={(event) => void restore(event)}>
          <h3>{t('backupAdmin.restoreTitle', { when: storeTime.dateTime(picked.createdAt) })}</h3>
          <p className="section-hint">
            {t('backupAdmin.restoreHint', { receipt: picked.lastReceiptNo ?? '—', unsynced: picked.unsynced })}
          </p>
          {picked.encrypted && (
            <AdminInput
              label={t('backupAdmin.restorePassphrase')}
              type="password"
              autoComplete="off"
              value={restorePassphrase}
              data-testid="backup-restore-passphrase"
              onChange={(e) => setRestorePassphrase(e.target.value)}
            />
          )}
          <AdminInput
            label={t('backupAdmin.typeWord')}
            value={confirmWord}
            required
            autoComplete="off"
            data-testid="backup-restore-confirm"
            onChange={(e) => setConfirmWord(e.target.value)}
          />
          <FormActions
            saveLabel={busy ? t('backupAdmin.working') : t('backupAdmin.restoreGo')}
            saveTestId="backup-restore-go"
            busy={busy}
            cancel={{ label: t('dialog.cancel'), onCancel: () => setPicked(null) }}
          />
        </form>
      )}

      <BackupSettingsForm initial={status.settings} busy={busy} save={backup.saveSettings} />

      <form className="admin-card admin-form" data-testid="backup-passphrase-form" onSubmit={(event) => void savePassphrase(event)}>
        <h3>{t('backupAdmin.passphrase')}</h3>
        <p className="section-hint">{t('backupAdmin.passphraseHint')}</p>
        <AdminInput
          label={t('backupAdmin.newPassphrase')}
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
          value={passphrase}
          data-testid="backup-passphrase"
          onChange={(e) => setPassphrase(e.target.value)}
        />
        <FormActions saveLabel={t('backupAdmin.setPassphrase')} saveTestId="backup-set-passphrase" busy={busy} />
      </form>
    </div>
  );
}

/** The schedule, retention and second folder: a draft of the settings as main last answered them. */
function BackupSettingsForm({ initial, busy, save }: { initial: Settings; busy: boolean; save: (settings: Settings) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [settings, setSettings] = useState<Settings>(initial);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await save({ ...settings, secondFolder: settings.secondFolder?.trim() ? settings.secondFolder.trim() : null });
  };
  return (
    <form className="admin-card admin-form" data-testid="backup-settings-form" onSubmit={(event) => void submit(event)}>
      <h3>{t('backupAdmin.schedule')}</h3>
      <label className="backup-check">
        <input
          type="checkbox"
          checked={settings.scheduled}
          data-testid="backup-scheduled"
          onChange={(e) => setSettings({ ...settings, scheduled: e.target.checked })}
        />
        {t('backupAdmin.scheduled')}
      </label>
      <AdminInput
        label={t('backupAdmin.interval')}
        type="number"
        min={15}
        max={1440}
        value={settings.intervalMinutes}
        onChange={(e) => setSettings({ ...settings, intervalMinutes: Number(e.target.value) })}
      />
      <AdminInput
        label={t('backupAdmin.keepRecent')}
        type="number"
        min={1}
        max={500}
        value={settings.keepRecent}
        onChange={(e) => setSettings({ ...settings, keepRecent: Number(e.target.value) })}
      />
      <AdminInput
        label={t('backupAdmin.keepDays')}
        type="number"
        min={0}
        max={366}
        value={settings.keepDays}
        onChange={(e) => setSettings({ ...settings, keepDays: Number(e.target.value) })}
      />
      <AdminInput
        label={t('backupAdmin.secondFolder')}
        lang="en"
        placeholder="/media/usb/backups"
        value={settings.secondFolder ?? ''}
        data-testid="backup-second-folder"
        onChange={(e) => setSettings({ ...settings, secondFolder: e.target.value })}
      />
      <FormActions saveLabel={t('backupAdmin.save')} saveTestId="backup-save-settings" busy={busy} />
    </form>
  );
}
