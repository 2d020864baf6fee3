/**
 * Mall turnover export: per store, the mall's tenant code and file template (start from one of the
 * two examples, then pick daily or hourly, the date format and the figures; the whole template is
 * editable as JSON), the daily send time, where it goes (the server's folder, or the store's SFTP
 * destination: mall-sftp.tsx), a preview of any day's file, 立即傳送 to send one now, and the log of
 * every file sent: where to, its bytes to download, its sha256, and why a send failed.
 */
import { useState, type FormEvent } from 'react';
import { MallTemplate, mallFigures, type MallExportRow, type MallFigure, type MallLogRow } from '../../hq/contract';
import { formatIsoDate, parseDayFirstDate } from '../../../src/shared/store-time';
import { useConsole, useMay, useTr } from '../console-store';
import { dateFormatOf, dateFormats, figuresOf, withDateFormat, withFigure, withGranularity } from '../mall-template';
import { SelectField } from '../controls';
import { ErrorLine, InputError, OkLine, PageHeader, ViewOnly, When, useAction, useLoad } from '../parts';
import { MallSftpForm, sftpErrorText } from './mall-sftp';

interface Templates {
  templates: Record<string, MallTemplate>;
  senders: string[];
  yesterday: string;
}

const FIGURE_NAMES: Record<MallFigure, [string, string]> = {
  grossSales: ['總銷售額', 'Gross sales'],
  discounts: ['折扣', 'Discounts'],
  refunds: ['退款', 'Refunds'],
  netSales: ['淨銷售額', 'Net sales'],
  transactions: ['交易宗數', 'Transactions'],
  refundCount: ['退貨宗數', 'Returns'],
};

export function MallExportPage() {
  const tr = useTr();
  const exports = useLoad<{ exports: MallExportRow[] }>('/mall/exports');
  const templates = useLoad<Templates>('/mall/templates');
  const log = useLoad<{ log: MallLogRow[] }>('/mall/log');
  const [storeId, setStoreId] = useState<number | null>(null);
  // Kept here, not in the editor: a save reloads the row, and the editor restarts on its new version.
  const [note, setNote] = useState<{ storeId: number; text: string } | null>(null);
  // The business day to preview or send, kept here too: typed just after a save, it survives the restart.
  const [dayText, setDayText] = useState<string | null>(null);
  const rows = exports.data?.exports ?? [];
  const selected = rows.find((r) => r.storeId === storeId) ?? rows[0] ?? null;

  return (
    <section className="hq-page">
      <PageHeader title={tr('商場營業額報送', 'Mall turnover export')} />
      <ErrorLine error={exports.error ?? templates.error} />
      <div className="hq-row" role="tablist" data-testid="mall-stores">
        {rows.map((r) => (
          <button
            key={r.storeId}
            type="button"
            role="tab"
            aria-selected={r.storeId === selected?.storeId}
            className={r.storeId === selected?.storeId ? 'primary' : undefined}
            onClick={() => setStoreId(r.storeId)}
            data-testid={`mall-store-${r.storeCode}`}
          >
            {r.storeCode} · {tr(r.storeNameZh, r.storeNameEn)}
            {r.config ? '' : tr('（未設定）', ' (not set up)')}
          </button>
        ))}
      </div>
      {selected && templates.data ? (
        <MallExportEditor
          key={`${selected.storeId}-${selected.config?.updatedAt ?? 0}`}
          row={selected}
          templates={templates.data}
          note={note?.storeId === selected.storeId ? note.text : null}
          onNote={(text) => setNote(text === null ? null : { storeId: selected.storeId, text })}
          dayText={dayText ?? formatIsoDate(templates.data.yesterday)}
          onDayText={setDayText}
          onChanged={() => {
            exports.reload();
            log.reload();
          }}
        />
      ) : null}
      <h2>{tr('傳送紀錄', 'What was sent')}</h2>
      <table className="hq-table" data-testid="mall-log">
        <thead>
          <tr>
            <th>{tr('營業日', 'Business day')}</th>
            <th>{tr('分店', 'Store')}</th>
            <th>{tr('檔案', 'File')}</th>
            <th>{tr('結果', 'Result')}</th>
            <th>{tr('由', 'By')}</th>
            <th>{tr('時間', 'When')}</th>
          </tr>
        </thead>
        <tbody>
          {(log.data?.log ?? []).map((l) => (
            <tr key={l.id} data-testid={`mall-log-${l.id}`}>
              <td className="nowrap">{formatIsoDate(l.businessDay)}</td>
              <td>{l.storeCode}</td>
              <td className="wrap">
                {l.bytes > 0 ? (
                  <a href={`/hq/api/mall/log/${l.id}/file`} download data-testid={`mall-log-file-${l.id}`}>
                    {l.fileName}
                  </a>
                ) : (
                  l.fileName || '—'
                )}
                {l.bytes > 0 ? <span className="hq-muted nowrap"> · {tr(`${l.bytes} 位元組`, `${l.bytes} bytes`)}</span> : null}
                {l.destination ? (
                  <>
                    <br />
                    <span className="hq-muted" data-testid={`mall-log-destination-${l.id}`}>
                      {l.destination}
                    </span>
                  </>
                ) : null}
                {l.sha256 ? (
                  <>
                    <br />
                    <span className="hq-muted nowrap" title={l.sha256}>
                      SHA-256 {l.sha256.slice(0, 12)}…
                    </span>
                  </>
                ) : null}
              </td>
              <td className="wrap" data-testid={`mall-log-status-${l.id}`}>
                {l.status === 'sent' ? tr('已傳送', 'Sent') : l.status === 'failed' ? tr('失敗', 'Failed') : tr('傳送中', 'Sending')}
                {l.error ? <span className="hq-muted"> {sftpErrorText(tr, l.error)}</span> : null}
              </td>
              <td className="wrap">{l.trigger === 'schedule' ? tr('定時', 'Schedule') : l.userEmail}</td>
              <td className="nowrap">
                <When ms={l.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function MallExportEditor({
  row,
  templates,
  note,
  onNote: setNote,
  dayText,
  onDayText: setDayText,
  onChanged,
}: {
  row: MallExportRow;
  templates: Templates;
  note: string | null;
  onNote(text: string | null): void;
  dayText: string;
  onDayText(text: string): void;
  onChanged(): void;
}) {
  const { api } = useConsole();
  const tr = useTr();
  const may = useMay();
  const editable = may('mall.manage');
  const first = Object.values(templates.templates)[0]!;
  const [tenantCode, setTenantCode] = useState(row.config?.tenantCode ?? '');
  const [template, setTemplateOnly] = useState<MallTemplate>(row.config?.template ?? first);
  const [json, setJson] = useState(() => JSON.stringify(template, null, 2));
  /** A control's edit: the JSON view follows it. */
  const setTemplate = (next: MallTemplate) => {
    setTemplateOnly(next);
    setJson(JSON.stringify(next, null, 2));
    setJsonError(null);
  };
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [sendAt, setSendAt] = useState(row.config?.sendAt ?? '');
  const [enabled, setEnabled] = useState(row.config?.enabled ?? true);
  const [sender, setSender] = useState<'folder' | 'sftp'>(row.config?.sender ?? 'folder');
  const sftpAvailable = templates.senders.includes('sftp');
  const [preview, setPreview] = useState<{ fileName: string; text: string } | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const save = useAction();
  const run = useAction();

  const readJson = (text: string) => {
    setJson(text);
    try {
      const parsed = MallTemplate.safeParse(JSON.parse(text));
      if (parsed.success) {
        setTemplateOnly(parsed.data);
        setJsonError(null);
      } else setJsonError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    } catch {
      setJsonError(tr('JSON 格式不正確', 'Not valid JSON'));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNote(null);
    setInputError(null);
    if (sendAt !== '' && !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(sendAt)) {
      setInputError(tr('傳送時間格式為 時:分，例如 06:30', 'The send time is HH:MM, e.g. 06:30'));
      return;
    }
    const ok = await save.run(() =>
      api.put(`/mall/exports/${row.storeId}`, { tenantCode, template, sendAt: sendAt === '' ? null : sendAt, sender, enabled }),
    );
    if (ok) {
      setNote(tr('已儲存', 'Saved'));
      onChanged();
    }
  };

  const day = () => {
    const parsed = parseDayFirstDate(dayText);
    if (parsed === null) setInputError(tr('營業日格式為 日/月/年，例如 30/11/2026', 'The business day is day/month/year, e.g. 30/11/2026'));
    else setInputError(null);
    return parsed;
  };

  const showPreview = async () => {
    const d = day();
    if (d === null) return;
    await run.run(async () =>
      setPreview(await api.post<{ fileName: string; text: string }>(`/mall/exports/${row.storeId}/preview`, { day: d })),
    );
  };

  const sendNow = async () => {
    const d = day();
    if (d === null) return;
    setNote(null);
    await run.run(async () => {
      const answer = await api.post<{ log: MallLogRow }>(`/mall/exports/${row.storeId}/run`, { day: d });
      setNote(
        answer.log.status === 'sent'
          ? tr(`已傳送 ${answer.log.fileName}`, `Sent ${answer.log.fileName}`)
          : tr(`傳送失敗：${answer.log.error ?? ''}`, `Sending failed: ${answer.log.error ?? ''}`),
      );
      onChanged();
    });
  };

  const figures = figuresOf(template);
  return (
    <>
      <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="mall-form">
        <fieldset disabled={!editable || save.busy}>
          <div className="hq-row">
            <label>
              {tr('商場租戶編號', 'Mall tenant code')}
              <input value={tenantCode} onChange={(e) => setTenantCode(e.target.value)} required maxLength={32} data-testid="mall-tenant" />
            </label>
            <SelectField
              label={tr('範本', 'Template')}
              value=""
              onChange={(id) => {
                const picked = templates.templates[id];
                if (picked) setTemplate(picked);
              }}
              blank={tr(`目前：${template.name}`, `Current: ${template.name}`)}
              choices={Object.entries(templates.templates).map(([id, t]) => [id, `${tr('範例：', 'Example: ')}${t.name}`] as const)}
              testId="mall-example"
            />
            <label>
              {tr('每日傳送時間（留空即只人手傳送）', 'Send daily at (empty: by hand only)')}
              <input value={sendAt} onChange={(e) => setSendAt(e.target.value)} placeholder="06:30" data-testid="mall-send-at" />
            </label>
          </div>
          <div className="hq-row">
            <SelectField
              label={tr('每日或每小時', 'Daily or hourly')}
              value={template.granularity}
              onChange={(granularity) => setTemplate(withGranularity(template, granularity))}
              choices={[
                ['daily', tr('每日一行', 'One line a day')],
                ['hourly', tr('每小時一行', 'One line an hour')],
              ]}
              testId="mall-granularity"
            />
            <SelectField
              label={tr('日期格式', 'Date format')}
              value={dateFormatOf(template)}
              onChange={(format) => setTemplate(withDateFormat(template, format))}
              choices={dateFormats.map((f) => [f, f] as const)}
              testId="mall-date-format"
            />
            <SelectField
              label={tr('傳送方式', 'Send to')}
              value={sender}
              onChange={(value) => setSender(value === 'sftp' ? 'sftp' : 'folder')}
              choices={[
                ['folder', tr('伺服器資料夾', 'The server’s folder')],
                [
                  'sftp',
                  !sftpAvailable
                    ? tr('SFTP（伺服器未設定密鑰）', 'SFTP (no secret key on the server)')
                    : row.config?.sftp
                      ? tr('SFTP（見下方設定）', 'SFTP (set below)')
                      : tr('SFTP（請先在下方設定）', 'SFTP (set it up below first)'),
                  !sftpAvailable || !row.config?.sftp,
                ],
              ]}
              testId="mall-sender"
            />
          </div>
          <div className="hq-row" role="group" aria-label={tr('報送數字', 'Figures sent')}>
            {mallFigures.map((f) => (
              <label key={f} className="hq-check">
                <input
                  type="checkbox"
                  checked={figures.includes(f)}
                  onChange={(e) => setTemplate(withFigure(template, f, e.target.checked))}
                  data-testid={`mall-figure-${f}`}
                />
                {tr(...FIGURE_NAMES[f])}
              </label>
            ))}
            <label className="hq-check">
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="mall-enabled" />
              {tr('啟用定時傳送', 'Send on schedule')}
            </label>
          </div>
          <label>
            {tr('範本（JSON，進階）', 'Template (JSON, advanced)')}
            <textarea
              className="hq-json"
              value={json}
              onChange={(e) => readJson(e.target.value)}
              spellCheck={false}
              data-testid="mall-json"
            />
          </label>
        </fieldset>
        <InputError text={jsonError} testId="mall-json-error" className="hq-error wrap" />
        {editable ? (
          <button type="submit" className="primary" disabled={save.busy || jsonError !== null} data-testid="mall-save">
            {tr('儲存設定', 'Save settings')}
          </button>
        ) : (
          <ViewOnly />
        )}
        <ErrorLine error={save.error} testId="mall-save-error" />
        {row.config ? (
          <div className="hq-row">
            <label>
              {tr('營業日', 'Business day')}
              <input value={dayText} onChange={(e) => setDayText(e.target.value)} placeholder="30/11/2026" data-testid="mall-day" />
            </label>
            <button type="button" disabled={run.busy} onClick={() => void showPreview()} data-testid="mall-preview">
              {tr('預覽檔案', 'Preview the file')}
            </button>
            {editable ? (
              <button type="button" className="primary" disabled={run.busy} onClick={() => void sendNow()} data-testid="mall-run">
                {tr('立即傳送', 'Send now')}
              </button>
            ) : null}
          </div>
        ) : null}
        <InputError text={inputError} testId="mall-input-error" />
        <ErrorLine error={run.error} testId="mall-run-error" />
        <OkLine text={note} testId="mall-note" />
        {preview ? (
          <>
            <p className="hq-muted">{preview.fileName}</p>
            <pre className="hq-preview" data-scrolls-x data-testid="mall-preview-text">
              {preview.text}
            </pre>
          </>
        ) : null}
      </form>
      {row.config && sftpAvailable ? (
        <MallSftpForm
          storeId={row.storeId}
          config={row.config}
          onSaved={() => {
            setNote(tr('SFTP 設定已儲存', 'SFTP settings saved'));
            onChanged();
          }}
        />
      ) : null}
    </>
  );
}
