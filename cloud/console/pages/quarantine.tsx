/**
 * Documents the cloud could not apply, with the reason it gave: nothing a register sent is ever
 * silently lost. A manager dismisses one with a reason (audited); resolved ones stay listable.
 */
import { useState, type FormEvent } from 'react';
import type { QuarantineRow } from '../../hq/contract';
import { useConsole, useMay, useTr } from '../console-store';
import type { Tr } from '../i18n';
import { ErrorLine, PageHeader, When, useAction, useLoad } from '../parts';

export function reasonName(tr: Tr, code: string): string {
  const names: Record<string, [string, string]> = {
    UNKNOWN_KIND: ['雲端不認識的單據類型', 'Unknown kind'],
    INVALID_PAYLOAD: ['內容格式不正確', 'Invalid content'],
    KIND_MISMATCH: ['單據類型不符', 'Kind mismatch'],
    REF_MISMATCH: ['單號不符', 'Number mismatch'],
    STORE_MISMATCH: ['分店不符', 'Wrong store'],
    UNKNOWN_SKU: ['貨號不在貨品目錄', 'Unknown SKU'],
    DUPLICATE_DOCUMENT: ['重複單據', 'Duplicate document'],
    FOREIGN_RECEIPT_NO: ['單號不屬此收銀機', 'Foreign receipt number'],
    DOES_NOT_ADD_UP: ['金額計算不符', 'Does not add up'],
    REJECTED_BY_DATABASE: ['資料庫拒絕', 'Refused by the database'],
    SEQ_CONFLICT: ['同一序號內容不同', 'Conflicting replay'],
  };
  const found = names[code];
  return found ? tr(found[0], found[1]) : code;
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
          '收銀機送來但雲端未能套用的單據。收銀機的佇列不會因此停下；請修正原因（例如新增貨品）後略過並註明。',
          'Documents a register sent that the cloud could not apply. The register’s queue never stops for them; fix the cause (add the product, say), then dismiss with a note.',
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
  const [reason, setReason] = useState('');
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => api.post(`/quarantine/${item.id}/dismiss`, { reason }))) onDone();
  };
  return (
    <li className="hq-list-item" data-testid={`quarantine-${item.id}`}>
      <div className="hq-row spread">
        <strong>
          {item.ref} <span className="hq-tag">{reasonName(tr, item.reason)}</span>
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
      {item.resolvedAt === null && may('quarantine.resolve') ? (
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
