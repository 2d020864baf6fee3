/**
 * Documents the cloud could not apply, with the reason it gave: nothing a register sent is ever
 * silently lost. A manager dismisses one with a reason (audited); resolved ones stay listable.
 */
import { useState, type FormEvent } from 'react';
import type { QuarantineRow } from '../../hq/contract';
import { useConsole, useMay, useTr } from '../console-store';
import { ErrorLine, PageHeader, When, useAction, useLoad } from '../parts';
import { quarantineReasonName } from '../../../src/shared/quarantine-reasons';

/** The SKUs an UNKNOWN_SKU entry names ("Not in the catalogue: A, B and 3 more"), to map each to a product. */
function unknownSkus(item: QuarantineRow): string[] {
  if (item.reason !== 'UNKNOWN_SKU') return [];
  const list = item.message.replace(/^[^:]*:\s*/, '').replace(/ and \d+ more$/, '');
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function QuarantinePage() {
  const tr = useTr();
  const [all, setAll] = useState(false);
  const { data, error, reload } = useLoad<{ items: QuarantineRow[] }>(`/quarantine?all=${all ? 1 : 0}`);
  return (
    <section className="hq-page">
      <PageHeader title={tr('待處理單據', 'Quarantine')}>
        <label className="hq-check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="quarantine-all" />
          {tr('包括已處理', 'Include resolved')}
        </label>
      </PageHeader>
      <p className="hq-muted">
        {tr(
          '收銀機送來但雲端未能套用的單據。收銀機的佇列不會因此停下；請修正原因（例如把舊貨號改為現有貨品）後重新套用，或略過並註明。',
          'Documents a register sent that the cloud could not apply. The register’s queue never stops for them; correct the cause (map an old SKU to a product, say) and apply, or dismiss with a note.',
        )}
      </p>
      <ErrorLine error={error} />
      {data && data.items.length === 0 ? <p data-testid="quarantine-empty">{tr('沒有待處理單據', 'Nothing in quarantine')}</p> : null}
      <ul className="hq-list" data-testid="quarantine-list">
        {(data?.items ?? []).map((item) => (
          <QuarantineItem key={item.id} item={item} onDone={reload} />
        ))}
      </ul>
    </section>
  );
}

function QuarantineItem({ item, onDone }: { item: QuarantineRow; onDone(): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const may = useMay();
  const [open, setOpen] = useState(false);
  const [applying, setApplying] = useState(false);
  const [reason, setReason] = useState('');
  const unknown = unknownSkus(item);
  const [mapped, setMapped] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => api.post(`/quarantine/${item.id}/dismiss`, { reason }))) onDone();
  };
  const apply = async (event: FormEvent) => {
    event.preventDefault();
    const skuMap = Object.fromEntries(
      Object.entries(mapped)
        .filter(([, to]) => to.trim() !== '')
        .map(([from, to]) => [from, to.trim()]),
    );
    if (await action.run(() => api.post(`/quarantine/${item.id}/apply`, { skuMap, note }))) onDone();
  };
  return (
    <li className="hq-list-item" data-testid={`quarantine-${item.id}`}>
      <div className="hq-row spread">
        <strong>
          {item.ref} <span className="hq-tag">{quarantineReasonName(tr, item.reason)}</span>
        </strong>
        <span className="hq-muted">
          {item.storeCode !== null ? `${item.storeCode}-${item.registerCode ?? ''} · seq ${item.seq ?? ''} · ` : ''}
          <When ms={item.createdAt} />
        </span>
      </div>
      <p className="wrap">{item.message}</p>
      {item.resolvedAt !== null ? (
        <p className="hq-muted">
          {tr('已處理：', 'Resolved: ')}
          {item.resolution ?? ''} · <When ms={item.resolvedAt} />
        </p>
      ) : null}
      <details>
        <summary>{tr('單據內容', 'Content')}</summary>
        <pre className="hq-pre">{item.payload}</pre>
      </details>
      {item.resolvedAt === null && may('quarantine.resolve') && item.reason !== 'SEQ_CONFLICT' && item.registerId !== null ? (
        applying ? (
          <form className="hq-form" onSubmit={(e) => void apply(e)} data-testid="apply-form">
            <p className="hq-muted">
              {tr(
                '修正原因後重新套用：單據經與收銀機上傳相同的檢查入帳；仍有問題時不會寫入任何資料。',
                'Correct it, then apply: it goes through the same checks as a register’s push; if it still fails nothing is written.',
              )}
            </p>
            {unknown.map((sku) => (
              <label key={sku}>
                {tr(`貨號 ${sku} 改為`, `SKU ${sku} is really`)}
                <input
                  value={mapped[sku] ?? ''}
                  onChange={(e) => setMapped((m) => ({ ...m, [sku]: e.target.value }))}
                  maxLength={64}
                  data-testid={`apply-sku-${sku}`}
                />
              </label>
            ))}
            <label>
              {tr('備註', 'Note')}
              <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid="apply-note" />
            </label>
            <div className="hq-row">
              <button type="submit" className="primary" disabled={action.busy} data-testid="apply-confirm">
                {tr('套用', 'Apply')}
              </button>
              <button type="button" onClick={() => setApplying(false)}>
                {tr('取消', 'Cancel')}
              </button>
            </div>
          </form>
        ) : open ? null : (
          <button type="button" onClick={() => setApplying(true)} data-testid={`apply-${item.id}`}>
            {tr('修正後套用…', 'Correct and apply…')}
          </button>
        )
      ) : null}
      {item.resolvedAt === null && may('quarantine.resolve') && !applying ? (
        open ? (
          <form className="hq-row" onSubmit={(e) => void submit(e)}>
            <label className="grow">
              {tr('略過原因', 'Why dismiss')}
              <input
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
                maxLength={500}
                autoFocus
                data-testid="dismiss-reason"
              />
            </label>
            <button type="submit" className="primary" disabled={action.busy} data-testid="dismiss-confirm">
              {tr('略過', 'Dismiss')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {tr('取消', 'Cancel')}
            </button>
          </form>
        ) : (
          <button type="button" onClick={() => setOpen(true)} data-testid={`dismiss-${item.id}`}>
            {tr('略過…', 'Dismiss…')}
          </button>
        )
      ) : null}
      <ErrorLine error={action.error} />
    </li>
  );
}
