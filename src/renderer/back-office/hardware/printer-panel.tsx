/**
 * 收據打印機: pick or type the printer's URI, pick its profile (built in, or a JSON file path),
 * save; print the bilingual test page; read DLE EOT status; see the live state main reports and
 * the recent print jobs.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HardwareConfig, PrinterStatusReport, PrintJobView } from '../../../shared/hardware-schemas';
import { useRegister } from '../../stores/stores-context';
import { createPrinterStore } from '../stores/hardware-stores';
import { ForIt } from '../section-parts';
import { useSectionStore } from '../use-section-store';
import { outcomeMessage } from './hardware-message';
import { PanelMessageLine } from './panel-message-line';

const CUSTOM = '(custom)';
const DEFAULT_PROFILE = 'epson-tm-t88';

/** The form as the saved setting fills it: the printer's URI (or the demo's), its profile by name or as a file path. */
function formOf(config: HardwareConfig | null): { uri: string; profile: string; customProfile: string } {
  const name = config?.printer?.profile ?? DEFAULT_PROFILE;
  const builtIn = config === null || config.profiles.includes(name);
  return {
    uri: config?.printer?.uri ?? config?.demoPrinter ?? '',
    profile: builtIn ? name : CUSTOM,
    customProfile: builtIn ? '' : name,
  };
}

export function PrinterPanel() {
  const { t } = useTranslation();
  const printer = useRegister((s) => s.status?.printer ?? null);
  const store = useSectionStore(createPrinterStore);
  const { config, jobs, report, busy, refreshJobs } = store;
  // What IT is typing; until then the form shows what is saved.
  const [draft, setDraft] = useState<ReturnType<typeof formOf> | null>(null);
  const { uri, profile, customProfile } = draft ?? formOf(config);
  const edit = (change: Partial<ReturnType<typeof formOf>>) => setDraft({ uri, profile, customProfile, ...change });
  const setUri = (next: string) => edit({ uri: next });
  const setProfile = (next: string) => edit({ profile: next });
  const setCustomProfile = (next: string) => edit({ customProfile: next });
  const message = outcomeMessage(store.outcome, t);

  useEffect(() => {
    void refreshJobs();
  }, [refreshJobs, printer?.queued, printer?.needsAttention, printer?.state]);

  const chosenProfile = profile === CUSTOM ? customProfile.trim() : profile;
  const target = () => ({ ...(uri.trim() ? { uri: uri.trim() } : {}), ...(chosenProfile ? { profile: chosenProfile } : {}) });

  const save = (event: FormEvent) => {
    event.preventDefault();
    void store.save({ uri, profile: chosenProfile }).then((saved) => saved && setDraft(null));
  };
  const clear = () => void store.save(null).then((saved) => saved && setDraft(null));
  const testPrint = () => void store.testPrint(target());
  const readStatus = () => void store.readStatus(target());

  return (
    <form className="device-panel" data-testid="printer-panel" onSubmit={save}>
      <h2 className="device-panel-title">
        {t('hardware.printer.title')}
        {printer && (
          <span className={`device-state printer-state is-${printer.state}`} data-testid="printer-panel-state" data-state={printer.state}>
            {t(`status.printer.${printer.state}`)}
          </span>
        )}
      </h2>
      {config?.demoPrinter && <p className="device-hint">{t('hardware.printer.demo', { uri: config.demoPrinter })}</p>}
      {config?.problem && (
        <p className="field-error" data-testid="printer-problem">
          {t('hardware.printer.problem')}
          <ForIt text={config.problem} />
        </p>
      )}
      {printer?.message && printer.state !== 'ready' && (
        <p className="device-hint" data-testid="printer-panel-detail">
          <ForIt text={printer.message} />
        </p>
      )}
      <label className="field is-wide">
        <span>{t('hardware.printer.uri')}</span>
        <input
          className="field-input"
          data-testid="printer-uri"
          value={uri}
          placeholder="tcp://10.0.0.20:9100"
          autoComplete="off"
          onChange={(e) => setUri(e.target.value)}
        />
        <small className="device-hint">{t('hardware.printer.uriHint')}</small>
      </label>
      <div className="device-row">
        <label className="field">
          <span>{t('hardware.printer.profile')}</span>
          <select className="field-input" data-testid="printer-profile" value={profile} onChange={(e) => setProfile(e.target.value)}>
            {(config?.profiles ?? [DEFAULT_PROFILE]).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
            <option value={CUSTOM}>{t('hardware.printer.customProfile')}</option>
          </select>
        </label>
        {profile === CUSTOM && (
          <label className="field is-wide">
            <span>{t('hardware.printer.customProfile')}</span>
            <input
              className="field-input"
              data-testid="printer-profile-file"
              value={customProfile}
              placeholder="/etc/suanpan/printer.json"
              onChange={(e) => setCustomProfile(e.target.value)}
            />
          </label>
        )}
      </div>
      <div className="dialog-buttons">
        <button type="submit" className="dialog-button is-primary" data-testid="printer-save" disabled={busy}>
          {t('hardware.printer.save')}
        </button>
        <button type="button" className="dialog-button" data-testid="printer-test" disabled={busy} onClick={testPrint}>
          {t('hardware.printer.testPrint')}
        </button>
        <button type="button" className="dialog-button" data-testid="printer-read-status" disabled={busy} onClick={readStatus}>
          {t('hardware.printer.readStatus')}
        </button>
        {config?.printer && (
          <button type="button" className="dialog-button" data-testid="printer-clear" disabled={busy} onClick={clear}>
            {t('hardware.printer.clear')}
          </button>
        )}
      </div>
      <PanelMessageLine message={message} testId="printer-message" />
      {report && <StatusFlags report={report} />}
      <h3 className="device-subtitle">{t('hardware.printer.queue')}</h3>
      <JobList jobs={jobs} />
    </form>
  );
}

type FlagKey = 'online' | 'offline' | 'coverOpen' | 'paperOut' | 'paperNearEnd' | 'error';

function StatusFlags({ report }: { report: PrinterStatusReport }) {
  const { t } = useTranslation();
  if (!report.supported) return <p className="device-hint">{t('hardware.printer.statusUnsupported')}</p>;
  const flags: [FlagKey, boolean][] = [
    [report.online ? 'online' : 'offline', report.online],
    ['coverOpen', !report.coverOpen],
    ['paperOut', !report.paperOut],
    ['paperNearEnd', !report.paperNearEnd],
    ['error', !report.error],
  ];
  const shown = flags.filter(([key, good]) => key === 'online' || key === 'offline' || !good);
  return (
    <ul className="printer-flags" data-testid="printer-status-flags">
      {shown.map(([key, good]) => (
        <li key={key} className={good ? 'printer-flag is-good' : 'printer-flag is-bad'}>
          {t(`hardware.printer.flags.${key}`)}
        </li>
      ))}
      {report.drawerOpen !== null && (
        <li className="printer-flag">
          {t(report.drawerOpen ? 'hardware.printer.flags.drawerOpen' : 'hardware.printer.flags.drawerClosed')}
        </li>
      )}
      <li className="printer-flag is-raw">{report.raw.map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ')}</li>
    </ul>
  );
}

function JobList({ jobs }: { jobs: PrintJobView[] }) {
  const { t } = useTranslation();
  if (jobs.length === 0) return <p className="device-hint">{t('hardware.printer.noJobs')}</p>;
  return (
    <table className="print-jobs" data-testid="print-jobs">
      <tbody>
        {jobs.slice(0, 10).map((job) => (
          <tr key={job.id} className={`print-job is-${job.state}`}>
            <td>#{job.id}</td>
            <td>{t(`hardware.printer.jobKind.${job.kind}`)}</td>
            <td className="print-job-ref">{job.ref}</td>
            <td>{t(`hardware.printer.jobState.${job.state}`)}</td>
            <td className="print-job-error">
              <ForIt text={job.state === 'printed' || job.state === 'dismissed' ? null : job.error} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
