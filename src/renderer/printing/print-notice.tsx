/**
 * The till's notice for print jobs main flagged: the link to the printer broke after some of the
 * job was sent, so the paper may be cut short. Never reprinted silently: the cashier chooses 重印
 * (a copy marked 副本 COPY) or 略過. Shown whenever the status says jobs need attention.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrintJobView } from '../../shared/hardware-schemas';
import { keepFocus } from '../components/keep-focus';
import { useErrorText } from '../hooks/use-error-text';
import { findPosApi } from '../pos';
import type { PosErrorBody } from '../../shared/errors';
import { useRegister } from '../stores/stores-context';

const flagged = (jobs: PrintJobView[]) => jobs.filter((j) => j.state === 'uncertain' || j.state === 'failed');

export function PrintNotice() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const attention = useRegister((s) => s.status?.printer.needsAttention ?? 0);
  const [jobs, setJobs] = useState<PrintJobView[]>([]);
  const [error, setError] = useState<PosErrorBody | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const api = findPosApi();
    if (!api || attention === 0) return;
    let stale = false;
    void api['print:jobs']({}).then((result) => {
      if (stale) return;
      if (result.ok) setJobs(flagged(result.value));
      else setError(result.error);
    });
    return () => {
      stale = true;
    };
  }, [attention]);

  const resolve = async (jobId: number, action: 'reprint' | 'dismiss') => {
    const api = findPosApi();
    if (!api) return;
    setBusy(true);
    const result = await api['print:resolve']({ jobId, action });
    setBusy(false);
    if (result.ok) {
      setJobs(flagged(result.value));
      setError(null);
    } else setError(result.error);
  };

  if (attention === 0 || jobs.length === 0) return null;
  return (
    <aside className="print-notice" role="alert" data-testid="print-notice">
      <h2 className="print-notice-title">{t('hardware.notice.title')}</h2>
      {jobs.map((job) => (
        <div className="print-notice-job" key={job.id} data-testid={`print-notice-job-${job.id}`}>
          <p className="print-notice-body">
            {t('hardware.notice.body', { kind: t(`hardware.printer.jobKind.${job.kind}`), ref: job.ref })}
          </p>
          <button
            type="button"
            className="dialog-button is-primary"
            data-testid="print-reprint"
            disabled={busy}
            onMouseDown={keepFocus}
            onClick={() => void resolve(job.id, 'reprint')}
          >
            {t('hardware.notice.reprint')}
          </button>
          <button
            type="button"
            className="dialog-button"
            data-testid="print-dismiss"
            disabled={busy}
            onMouseDown={keepFocus}
            onClick={() => void resolve(job.id, 'dismiss')}
          >
            {t('hardware.notice.dismiss')}
          </button>
        </div>
      ))}
      {error && <p className="field-error">{errorText(error)}</p>}
    </aside>
  );
}
