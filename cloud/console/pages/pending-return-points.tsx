/**
 * 會員 › 未能入帳 › 退貨積分待扣: returns by receipt whose original sale has not reached the cloud
 * (sold on a register that has not pushed), oldest first with how long each has waited; their
 * points come off the original's member when it arrives, none before. One whose original will
 * never come (the register was lost, the receipt number was mistyped) an owner, HQ manager or the
 * store's manager closes with a reason, after a confirm step: it then takes no points, ever. The closed ones are listed
 * under 已處理 with who, when and why, and whether their original arrived after all.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PendingReturnPointsRow } from '../../hq/contract';
import { useConsole, useMay, useTr } from '../console-store';
import type { Tr } from '../i18n';
import { ErrorLine, InputError, When, useAction } from '../parts';

/** A week: a register silent that long is most likely lost, so its returns are the ones to look into. */
const LONG_WAIT_MS = 7 * 24 * 60 * 60_000;

function waitedFor(tr: Tr, ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return tr('少於 1 分鐘', 'under a minute');
  if (minutes < 60) return tr(`${minutes} 分鐘`, `${minutes} min`);
  if (minutes < 48 * 60) return tr(`${Math.floor(minutes / 60)} 小時`, `${Math.floor(minutes / 60)} h`);
  return tr(`${Math.floor(minutes / 1440)} 日`, `${Math.floor(minutes / 1440)} days`);
}

/** How long it has waited (bold and in the warning colour past a week), and since when. */
function Waited({ row }: { row: PendingReturnPointsRow }) {
  const tr = useTr();
  const long = row.waitedMs >= LONG_WAIT_MS;
  return (
    <span className="sync-ago" data-testid="pending-return-waited">
      <span className={long ? 'waited-long' : undefined}>
        {row.waitedMs < 60_000 ? tr('剛剛', 'just now') : waitedFor(tr, row.waitedMs)}
        {long ? <span className="hq-tag warn">{tr('逾一星期', 'over a week')}</span> : null}
      </span>
      <small className="hq-muted">
        {tr('自', 'since')} <When ms={row.createdAt} />
      </small>
    </span>
  );
}

/** The waiting ones; `onClosed` is told the return receipt number of one just closed. */
export function WaitingReturnPoints({ rows, onClosed }: { rows: PendingReturnPointsRow[]; onClosed(returnReceiptNo: string): void }) {
  const tr = useTr();
  const manage = useMay()('members.returns-close');
  const [closing, setClosing] = useState<PendingReturnPointsRow | null>(null);
  return (
    <>
      <h2>{tr('退貨積分待扣', 'Return points waiting for their sale')}</h2>
      <p className="hq-muted">
        {tr(
          '退貨所憑的原單仍未上傳雲端（例如在另一部未同步的收銀機售出）。原單到達時，會從原單會員扣回積分（不多於原單所得），在此之前不扣任何人。原單不會再到達（收銀機已遺失、單號輸入錯誤）的，可以結束：結束後永不扣積分。',
          'Returns whose original receipt has not reached the cloud yet (sold on a register that has not synced, say). When it arrives, the points come off the original sale’s member (never more than it earned); until then nobody loses any. One whose original will never come (the register was lost, the receipt number was mistyped) can be closed: it then never takes any points.',
        )}
      </p>
      {rows.length > 0 ? (
        <div className="hq-scroll-x" data-scrolls-x>
          <table className="hq-table" data-testid="pending-return-points">
            <thead>
              <tr>
                <th>{tr('退貨單號 · 分店', 'Return · store')}</th>
                <th>{tr('原單號', 'Original receipt')}</th>
                <th>{tr('已等', 'Waited')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id} className={p.id === closing?.id ? 'current' : undefined} data-testid={`pending-return-${p.returnReceiptNo}`}>
                  <td>
                    <span className="nowrap">{p.returnReceiptNo}</span>
                    <br />
                    <span className="small">{p.storeCode ?? '—'}</span>
                  </td>
                  <td className="nowrap">{p.originalReceiptNo}</td>
                  <td>
                    <Waited row={p} />
                  </td>
                  <td className="actions">
                    {manage ? (
                      <button type="button" onClick={() => setClosing(p)} data-testid={`pending-return-close-${p.returnReceiptNo}`}>
                        {tr('結束…', 'Close…')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="hq-muted">{tr('沒有待扣的退貨積分', 'No return points waiting')}</p>
      )}
      {closing ? (
        <CloseForm
          key={closing.id}
          row={closing}
          onDone={(closed) => {
            setClosing(null);
            if (closed) onClosed(closed);
          }}
        />
      ) : null}
    </>
  );
}

/**
 * The reason (required, kept with who and when), then a confirm step that says what closing means;
 * the cloud refuses it (RETURN_POINTS_SETTLED) if the original arrived first and took the points.
 */
function CloseForm({ row, onDone }: { row: PendingReturnPointsRow; onDone(closed: string | null): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [inputError, setInputError] = useState<string | null>(null);
  const save = useAction();
  // the confirm step opens below the list: on a 768-pixel-high screen its buttons would sit out of sight
  const confirmButtons = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirming) confirmButtons.current?.scrollIntoView({ block: 'nearest' });
  }, [confirming]);
  const next = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') return setInputError(tr('請寫下結束原因', 'Write why it is closed'));
    setInputError(null);
    setConfirming(true);
  };
  const close = async () => {
    const ok = await save.run(() => api.post(`/pending-return-points/${row.id}/close`, { reason: reason.trim() }));
    if (ok) onDone(row.returnReceiptNo);
  };
  return (
    <form className="hq-form" onSubmit={next} data-testid="pending-return-close-form">
      <h2>{tr(`結束 ${row.returnReceiptNo}`, `Close ${row.returnReceiptNo}`)}</h2>
      {confirming ? (
        <>
          <p data-testid="pending-return-close-warning">
            {tr(
              `結束後，即使原單 ${row.originalReceiptNo} 日後到達，亦永不從任何會員扣回這張退貨單的積分。原因：「${reason.trim()}」`,
              `Once closed, this return takes no points from anyone, ever, even if the original ${row.originalReceiptNo} arrives later. Reason: “${reason.trim()}”`,
            )}
          </p>
          <div className="hq-row" ref={confirmButtons}>
            <button
              type="button"
              className="primary"
              disabled={save.busy}
              onClick={() => void close()}
              data-testid="pending-return-close-confirm"
            >
              {tr('確認結束', 'Close it')}
            </button>
            <button type="button" disabled={save.busy} onClick={() => setConfirming(false)}>
              {tr('返回修改', 'Back')}
            </button>
            <button type="button" disabled={save.busy} onClick={() => onDone(null)}>
              {tr('取消', 'Cancel')}
            </button>
          </div>
        </>
      ) : (
        <div className="hq-row">
          <label className="grow">
            {tr('結束原因（必填，會記錄）', 'Why close it (required, recorded)')}
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              autoFocus
              data-testid="pending-return-close-reason"
            />
          </label>
          <button type="submit" className="primary" data-testid="pending-return-close-next">
            {tr('下一步', 'Next')}
          </button>
          <button type="button" onClick={() => onDone(null)}>
            {tr('取消', 'Cancel')}
          </button>
        </div>
      )}
      <InputError text={inputError} testId="pending-return-close-input-error" />
      <ErrorLine error={save.error} testId="pending-return-close-error" />
    </form>
  );
}

/** The closed ones, latest first: who closed each, when and why, and what happened to it since. */
export function ClosedReturnPoints({ rows }: { rows: PendingReturnPointsRow[] }) {
  const tr = useTr();
  return (
    <>
      <h2>{tr('已結束的退貨積分待扣', 'Closed return points')}</h2>
      {rows.length > 0 ? (
        <div className="hq-scroll-x hq-wrap-cells" data-scrolls-x>
          <table className="hq-table" data-testid="closed-return-points">
            <thead>
              <tr>
                <th>{tr('退貨單號 · 分店', 'Return · store')}</th>
                <th>{tr('原單號', 'Original receipt')}</th>
                <th>{tr('結束', 'Closed')}</th>
                <th>{tr('紀錄', 'History')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id} data-testid={`closed-return-${p.returnReceiptNo}`}>
                  <td>
                    <span className="nowrap">{p.returnReceiptNo}</span>
                    <br />
                    <span className="small">{p.storeCode ?? '—'}</span>
                  </td>
                  <td className="nowrap">{p.originalReceiptNo}</td>
                  <td className="wrap small">
                    <span className="nowrap">{p.closedBy ?? 'cloud:admin'}</span> · <When ms={p.closedAt} />
                    <br />
                    {p.closeReason}
                  </td>
                  <td className="wrap small" data-testid="closed-return-history">
                    {tr(`等了 ${waitedFor(tr, p.waitedMs)}後結束`, `Closed after waiting ${waitedFor(tr, p.waitedMs)}`)}
                    <br />
                    {p.originalArrivedAt === null ? (
                      tr('原單未有到達', 'The original has not arrived')
                    ) : (
                      <>
                        {tr('原單於', 'The original arrived')} <When ms={p.originalArrivedAt} />{' '}
                        {tr('到達：已結束，沒有扣積分', 'after it was closed: no points taken')}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="hq-muted">{tr('未有已結束的項目', 'None closed yet')}</p>
      )}
    </>
  );
}
