/**
 * 收據打印機: pick or type the printer's URI, pick its profile (built in, or a JSON file path),
 * save; print the bilingual test page; read DLE EOT status; see the live state main reports and
 * the recent print jobs.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HardwareConfig, PrinterStatusReport, PrintJobView } from '../../../shared/hardware-schemas';
import type { Result } from '../../../shared/errors';
import { findPosApi } from '../../pos';
import { useRegister } from '../../stores/stores-context';
import { failureText, type PanelMessage } from './hardware-message';

const CUSTOM = '(custom)';

export function PrinterPanel() {
  const { t } = useTranslation();
  const printer = useRegister((s) => s.status?.printer ?? null);
  const [config, setConfig] = useState<HardwareConfig | null>(null);
  const [uri, setUri] = useState('');
  const [profile, setProfile] = useState('epson-tm-t88');
  const [customProfile, setCustomProfile] = useState('');
  const [report, setReport] = useState<PrinterStatusReport | null>(null);
  const [jobs, setJobs] = useState<PrintJobView[]>([]);
  const [message, setMessage] = useState<PanelMessage | null>(null);
  const [busy, setBusy] = useState(false);

  const adopt = (next: HardwareConfig) => {
    setConfig(next);
    const current = next.printer?.uri ?? next.demoPrinter ?? '';
    setUri(current);
    const name = next.printer?.profile ?? 'epson-tm-t88';
    if (next.profiles.includes(name)) setProfile(name);
    else {
      setProfile(CUSTOM);
      setCustomProfile(name);
    }
  };

  useEffect(() => {
    const api = findPosApi();
    if (!api) return;
    void api['hardware:config']({}).then((result) => result.ok && adopt(result.value));
  }, []);

  useEffect(() => {
    const api = findPosApi();
    if (!api) return;
    void api['print:jobs']({}).then((result) => result.ok && setJobs(result.value));
  }, [printer?.queued, printer?.needsAttention, printer?.state]);

  const chosenProfile = profile === CUSTOM ? customProfile.trim() : profile;
  const target = () => ({ ...(uri.trim() ? { uri: uri.trim() } : {}), ...(chosenProfile ? { profile: chosenProfile } : {}) });

  async function run<T>(call: () => Promise<Result<T>>, done: (value: T) => PanelMessage | null): Promise<void> {
    setBusy(true);
    setMessage(null);
    const result = await call();
    setBusy(false);
    if (result.ok) setMessage(done(result.value));
    else setMessage({ text: failureText(result.error, t(`errors.${result.error.code}`)), bad: true });
  }

  const api = findPosApi();
  if (!api) return null;

  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(
      () => api['hardware:set-printer']({ printer: { uri, profile: chosenProfile } }),
      (next) => {
        adopt(next);
        return { text: t('hardware.printer.saved'), bad: false };
      },
    );
  };
  const clear = () =>
    void run(
      () => api['hardware:set-printer']({ printer: null }),
      (next) => {
        adopt(next);
        return { text: t('hardware.printer.saved'), bad: false };
      },
    );
  const testPrint = () =>
    void run(
      () => api['hardware:test-print'](target()),
      (done) => ({ text: t('hardware.printer.testPrinted', { uri: done.uri }), bad: false }),
    );
  const readStatus = () =>
    void run(
      () => api['hardware:status'](target()),
      (next) => {
        setReport(next);
        return null;
      },
    );

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
      {config?.problem && <p className="field-error">{t('hardware.printer.problem', { message: config.problem })}</p>}
      {printer?.message && printer.state !== 'ready' && (
        <p className="device-hint" data-testid="printer-panel-detail">
          {printer.message}
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
            {(config?.profiles ?? ['epson-tm-t88']).map((name) => (
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
      {message && (
        <p className={message.bad ? 'field-error' : 'device-ok'} data-testid="printer-message">
          {message.text}
        </p>
      )}
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
            <td className="print-job-error">{job.state === 'printed' || job.state === 'dismissed' ? '' : (job.error ?? '')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
