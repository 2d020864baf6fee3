/**
 * Importing the catalogue from a CSV file (the export's seven columns, UTF-8, as Excel saves
 * "CSV UTF-8"): pick the file, 檢查 uploads it in chunks and runs the dry run (a progress bar for
 * both), every bad row is listed with its row number, column and reason; only a file with no bad
 * row can be applied, all of it at once. Registers receive the changes at their next sync.
 */
import { useRef, useState, type FormEvent } from 'react';
import { chunkText, type ImportError, type ImportRecord, type ImportTask } from '../../hq/contract';
import { useConsole, useLang, useTr } from '../console-store';
import { ErrorLine, InputError, PageHeader, useAction } from '../parts';

type Stage = { kind: 'idle' } | { kind: 'uploading'; done: number; total: number } | { kind: 'working'; task: ImportTask };

const POLL_MS = 300;
/** The longest a check or apply is waited for in this page (a 200,000-row apply takes seconds to a minute). */
const WAIT_BOUND_MS = 15 * 60_000;

export function CatalogueImportPage() {
  const { api } = useConsole();
  const tr = useTr();
  const lang = useLang();
  const fileInput = useRef<HTMLInputElement>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [record, setRecord] = useState<ImportRecord | null>(null);
  const [errors, setErrors] = useState<ImportError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const action = useAction();

  async function waitForTask(id: number): Promise<{ import: ImportRecord; task: ImportTask | null }> {
    const deadline = Date.now() + WAIT_BOUND_MS;
    for (;;) {
      const state = await api.get<{ import: ImportRecord; task: ImportTask | null }>(`/imports/${id}`);
      if (state.task) setStage({ kind: 'working', task: state.task });
      if (!state.task || state.task.finished || Date.now() > deadline) return state;
      await new Promise((resolve) => window.setTimeout(resolve, POLL_MS));
    }
  }

  function taskFailed(task: ImportTask | null): boolean {
    if (!task?.error) return false;
    setFailure(
      task.phase === 'applying'
        ? tr(`套用失敗，目錄沒有任何改動（${task.error.message}）`, `The apply failed and nothing was changed (${task.error.message})`)
        : tr(`檢查失敗（${task.error.message}）`, `The check failed (${task.error.message})`),
    );
    return true;
  }

  const check = async (event: FormEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setFailure(tr('請先揀選 CSV 檔案', 'Pick a CSV file first'));
      return;
    }
    setFailure(null);
    setRecord(null);
    setErrors([]);
    await action.run(async () => {
      try {
        const chunks = chunkText(await file.text());
        setStage({ kind: 'uploading', done: 0, total: chunks.length });
        const created = await api.post<{ import: ImportRecord }>('/imports', { fileName: file.name.slice(0, 200) });
        const id = created.import.id;
        for (const [seq, text] of chunks.entries()) {
          await api.post(`/imports/${id}/chunks`, { seq, text });
          setStage({ kind: 'uploading', done: seq + 1, total: chunks.length });
        }
        await api.post(`/imports/${id}/check`);
        const state = await waitForTask(id);
        if (taskFailed(state.task)) return;
        setRecord(state.import);
        if ((state.import.errorCount ?? 0) > 0)
          setErrors((await api.get<{ errors: ImportError[] }>(`/imports/${id}/errors?limit=500`)).errors);
      } finally {
        setStage({ kind: 'idle' });
      }
    });
  };

  const apply = async () => {
    if (!record) return;
    setFailure(null);
    await action.run(async () => {
      try {
        await api.post(`/imports/${record.id}/apply`);
        const state = await waitForTask(record.id);
        if (!taskFailed(state.task)) setRecord(state.import);
      } finally {
        setStage({ kind: 'idle' });
      }
    });
  };

  const summary = record?.summary ?? null;
  const bad = record?.errorCount ?? 0;
  return (
    <section className="hq-page">
      <PageHeader title={tr('匯入貨品 CSV', 'Import products (CSV)')}>
        <a className="hq-button" href="/hq/api/products.csv" download data-testid="import-template">
          {tr('下載現有目錄（範本）', 'Download the catalogue (template)')}
        </a>
      </PageHeader>
      <p className="hq-muted wrap">
        {tr(
          '欄位與匯出檔相同：sku、name_zh、name_en、category、active（1 發售／0 停售）、barcodes（以空格分隔）、price_hkd（留空即不改售價）、parent_sku（款式的母貨號；留空即非款式）、option_zh、option_en（款式名稱，例如 尺碼 M）；沒有最後三欄的舊檔案不會改動款式。以 Excel「CSV UTF-8」格式儲存。',
          'The export’s columns: sku, name_zh, name_en, category, active (1 on sale, 0 off), barcodes (space-separated), price_hkd (empty keeps the price), parent_sku (a variant’s parent; empty: not a variant), option_zh, option_en (the variant’s option, e.g. Size M); an older file without the last three leaves variants as they are. Save from Excel as "CSV UTF-8".',
        )}
      </p>
      <form className="hq-row" onSubmit={(e) => void check(e)} data-testid="import-form">
        <label className="grow">
          {tr('CSV 檔案', 'CSV file')}
          <input ref={fileInput} type="file" accept=".csv,text/csv" disabled={action.busy} data-testid="import-file" />
        </label>
        <button type="submit" className="primary" disabled={action.busy} data-testid="import-check">
          {tr('上載並檢查（不會更改）', 'Upload and check (changes nothing)')}
        </button>
      </form>
      {stage.kind !== 'idle' ? <ImportProgress stage={stage} /> : null}
      <ErrorLine error={action.error} testId="import-error" />
      <InputError text={failure} testId="import-failure" />
      {record && summary ? (
        <div className="hq-form" data-testid="import-result">
          <h2>
            {record.fileName} · {tr(`${record.rowCount ?? 0} 行`, `${record.rowCount ?? 0} rows`)}
          </h2>
          {record.status === 'applied' ? (
            <p className="hq-ok" role="status" data-testid="import-applied">
              {tr(
                `已套用：新增 ${summary.added}、修改 ${summary.changed}、改價 ${summary.prices}。收銀機下次同步時更新。`,
                `Applied: ${summary.added} added, ${summary.changed} changed, ${summary.prices} new prices. Registers update at their next sync.`,
              )}
            </p>
          ) : bad > 0 ? (
            <>
              <p className="hq-error" role="alert" data-testid="import-bad-count">
                {tr(
                  `${bad} 個錯誤：請改正檔案後再上載，整個檔案不會套用。`,
                  `${bad} problems: correct the file and upload it again; none of it is applied.`,
                )}
              </p>
              <a className="hq-button" href={`/hq/api/imports/${record.id}/errors.csv`} download data-testid="import-errors-csv">
                {tr('下載全部錯誤 (CSV)', 'Download every problem (CSV)')}
              </a>
              <table className="hq-table" data-testid="import-errors">
                <thead>
                  <tr>
                    <th className="num">{tr('行', 'Row')}</th>
                    <th>{tr('欄位', 'Column')}</th>
                    <th>{tr('原因', 'Reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {errors.map((e, i) => (
                    <tr key={`${e.row}-${e.column}-${i}`} data-testid={`import-error-row-${e.row}`}>
                      <td className="num">{e.row}</td>
                      <td className="nowrap">{e.column || '—'}</td>
                      <td className="wrap">{lang === 'en' ? e.en : e.zh}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {errors.length < bad ? (
                <p className="hq-muted">{tr(`只顯示首 ${errors.length} 個`, `The first ${errors.length} are shown`)}</p>
              ) : null}
            </>
          ) : (
            <>
              <p role="status" data-testid="import-summary">
                {tr(
                  `沒有錯誤。套用後：新增 ${summary.added} 件、修改 ${summary.changed} 件、不變 ${summary.unchanged} 件、改價 ${summary.prices} 件。`,
                  `No problems. Applying adds ${summary.added}, changes ${summary.changed}, leaves ${summary.unchanged} as they are, and sets ${summary.prices} new prices.`,
                )}
                {summary.barcodeLosers > 0
                  ? tr(
                      ` 另有 ${summary.barcodeLosers} 件檔案以外的貨品會失去條碼。`,
                      ` ${summary.barcodeLosers} products outside the file lose a barcode.`,
                    )
                  : ''}
              </p>
              <button type="button" className="primary" disabled={action.busy} onClick={() => void apply()} data-testid="import-apply">
                {tr('套用全部', 'Apply all of it')}
              </button>
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}

function ImportProgress({ stage }: { stage: Exclude<Stage, { kind: 'idle' }> }) {
  const tr = useTr();
  const [label, done, total] =
    stage.kind === 'uploading'
      ? [tr('上載中', 'Uploading'), stage.done, stage.total]
      : [stage.task.phase === 'checking' ? tr('檢查中', 'Checking') : tr('套用中', 'Applying'), stage.task.done, stage.task.total];
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="hq-progress" data-testid="import-progress" data-phase={stage.kind === 'uploading' ? 'uploading' : stage.task.phase}>
      <span>
        {label} {percent}%
      </span>
      <progress max={100} value={percent} aria-label={label} />
    </div>
  );
}
