/**
 * 更新 / Updates: the version running and the one the feed offers, where the update is (checking,
 * downloading, ready and what it waits for, held by head office's rollout, failed and why), when
 * the feed was last read, "install at next safe moment", and the feed and install settings.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelRequest, ChannelResponse } from '../../../shared/channels';
import type { PosErrorBody } from '../../../shared/errors';
import { useErrorText } from '../../hooks/use-error-text';
import { useStoreTime } from '../../hooks/use-store-time';
import { AdminInput, AdminSelect, ErrorLine, ForIt, FormActions, SectionHeader } from '../section-parts';
import { createUpdateStore } from '../stores/update-store';
import { useSectionStore } from '../use-section-store';

type Status = ChannelResponse<'update:status'>;
type Settings = ChannelRequest<'update:save-settings'>;

/** While the section is open: the download's bytes and the install gate move on their own. */
const REFRESH_MS = 3_000;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function PhaseText({ status }: { status: Status }) {
  const { t } = useTranslation();
  const phase = t(`updatesAdmin.phases.${status.phase}`);
  if (status.phase === 'downloading')
    return (
      <>
        {phase} {mib(status.downloadedBytes)}
        {status.totalBytes !== null && ` / ${mib(status.totalBytes)}`}
      </>
    );
  if (status.phase === 'held')
    return (
      <>
        {t(status.heldBy === 'staging' ? 'updatesAdmin.heldStaging' : 'updatesAdmin.heldRollout', {
          version: status.allowedVersion ?? '—',
        })}
      </>
    );
  if (status.phase === 'ready' && status.installer === null) return <>{t('updatesAdmin.readyNoInstaller')}</>;
  if ((status.phase === 'ready' || status.phase === 'installing') && status.waitingFor.length > 0)
    return (
      <>
        {phase} · {t('updatesAdmin.waitingFor')} {status.waitingFor.map((w) => t(`updatesAdmin.waits.${w}`)).join('、')}
      </>
    );
  return <>{phase}</>;
}

export function UpdatesSection() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const errorText = useErrorText();
  const updates = useSectionStore(createUpdateStore);
  const { status, error, busy, load } = updates;

  useEffect(() => {
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  if (!status) return null;
  const canInstall =
    status.installer !== null && status.availableVersion !== null && (status.phase === 'ready' || status.phase === 'failed');
  const tone = status.phase === 'failed' ? 'tone-bad' : status.phase === 'held' || status.phase === 'ready' ? 'tone-warn' : 'tone-ok';

  return (
    <div className="updates-section" data-testid="updates-section">
      <SectionHeader title={t('updatesAdmin.title')} hint={t('updatesAdmin.hint')} />
      <ErrorLine testId="updates-error">
        {error && (
          <>
            {errorText(error)}
            {error.code !== 'BAD_REQUEST' && <ForIt text={error.message} testId="updates-error-detail" />}
          </>
        )}
      </ErrorLine>
      <dl className="sync-facts">
        <dt>{t('updatesAdmin.current')}</dt>
        <dd lang="en" data-testid="updates-current">
          {status.currentVersion}
        </dd>
        <dt>{t('updatesAdmin.available')}</dt>
        <dd lang="en" data-testid="updates-available">
          {status.availableVersion ?? '—'}
        </dd>
        <dt>{t('updatesAdmin.state')}</dt>
        <dd className={tone} data-testid="updates-phase" data-phase={status.phase}>
          <PhaseText status={status} />
        </dd>
        <dt>{t('updatesAdmin.lastCheck')}</dt>
        <dd data-testid="updates-last-check">
          {status.lastCheckAt === null ? t('updatesAdmin.never') : storeTime.dateTime(status.lastCheckAt)}
        </dd>
        <dt>{t('updatesAdmin.allowed')}</dt>
        <dd lang="en">{status.allowedVersion ?? t('updatesAdmin.noLimit')}</dd>
        {status.installRequested && (
          <>
            <dt>{t('updatesAdmin.requested')}</dt>
            <dd data-testid="updates-requested">{t('updatesAdmin.requestedYes')}</dd>
          </>
        )}
        {status.lastError && (
          <>
            <dt>{t('updatesAdmin.lastError')}</dt>
            <dd className="tone-bad" data-testid="updates-last-error">
              {errorText({ code: status.lastError.code as PosErrorBody['code'], message: status.lastError.message })}
              <ForIt text={status.lastError.message} testId="updates-last-error-detail" />
            </dd>
          </>
        )}
      </dl>
      <div className="admin-form-actions">
        <button
          type="button"
          className="admin-button"
          data-testid="updates-check"
          disabled={busy || status.settings.feedUrl === null || status.phase === 'checking' || status.phase === 'downloading'}
          onClick={() => void updates.checkNow()}
        >
          {status.phase === 'checking' ? t('updatesAdmin.checking') : t('updatesAdmin.checkNow')}
        </button>
        <button
          type="button"
          className="admin-button is-primary"
          data-testid="updates-install"
          disabled={busy || !canInstall || (status.installRequested && status.phase !== 'failed')}
          onClick={() => void updates.installWhenSafe()}
        >
          {t('updatesAdmin.installWhenSafe')}
        </button>
      </div>
      <UpdateSettingsForm initial={status.settings} busy={busy} save={updates.saveSettings} />
    </div>
  );
}

/** The feed, how often it is read, and when an update may install. */
function UpdateSettingsForm({ initial, busy, save }: { initial: Settings; busy: boolean; save: (settings: Settings) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [settings, setSettings] = useState<Settings>(initial);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await save({ ...settings, feedUrl: settings.feedUrl?.trim() ? settings.feedUrl.trim() : null });
  };
  return (
    <form className="admin-card admin-form" data-testid="updates-settings-form" onSubmit={(event) => void submit(event)}>
      <h3>{t('updatesAdmin.settings')}</h3>
      <AdminInput
        label={t('updatesAdmin.feedUrl')}
        lang="en"
        type="url"
        placeholder="https://updates.example.com/suanpan/"
        value={settings.feedUrl ?? ''}
        data-testid="updates-feed-url"
        onChange={(e) => setSettings({ ...settings, feedUrl: e.target.value })}
      />
      <AdminInput
        label={t('updatesAdmin.interval')}
        type="number"
        min={15}
        max={1440}
        value={settings.checkEveryMinutes}
        onChange={(e) => setSettings({ ...settings, checkEveryMinutes: Number(e.target.value) })}
      />
      <AdminSelect
        label={t('updatesAdmin.installHour')}
        value={settings.installHour === null ? '' : String(settings.installHour)}
        data-testid="updates-install-hour"
        onChange={(e) => setSettings({ ...settings, installHour: e.target.value === '' ? null : Number(e.target.value) })}
      >
        <option value="">{t('updatesAdmin.noInstallHour')}</option>
        {Array.from({ length: 24 }, (_, hour) => (
          <option key={hour} value={hour}>
            {`${String(hour).padStart(2, '0')}:00–${String(hour).padStart(2, '0')}:59`}
          </option>
        ))}
      </AdminSelect>
      <label className="backup-check">
        <input
          type="checkbox"
          checked={settings.autoInstall}
          data-testid="updates-auto-install"
          onChange={(e) => setSettings({ ...settings, autoInstall: e.target.checked })}
        />
        {t('updatesAdmin.autoInstall')}
      </label>
      <FormActions saveLabel={t('updatesAdmin.save')} saveTestId="updates-save-settings" busy={busy} />
    </form>
  );
}
