/**
 * 更 / 交更: open a shift with a float counted by denomination; 存入現金 / 提取現金 / 存入夾萬 with a
 * reason; close with a blind count (the expected amount shows only after the count is in), then
 * the over/short (長款 / 短款) with its reason and, beyond the tolerance, a manager's PIN. The X
 * report of the business day so far is one button away for those who may see it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosApi } from '../../../shared/channels';
import type { PosErrorBody, Result } from '../../../shared/errors';
import type { StaffSummary } from '../../../shared/schemas';
import type { CashMovementKind, CountResult, DayTotals, ShiftCash, ShiftState } from '../../../shared/shift-schemas';
import { Money } from '../../components/money';
import { useErrorText } from '../../hooks/use-error-text';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { findPosApi } from '../../pos';
import { useSession } from '../../stores/stores-context';
import { ErrorLine, SectionHeader } from '../section-parts';
import { staffCan } from '../staff-can';
import { usePosLoad } from '../use-pos-load';
import { DayTotalsView, OverShort } from './day-totals-view';
import { DenominationCountPad, toDenominationCount, type CountDraft } from './denomination-count';
import { useStoreTime } from '../../hooks/use-store-time';

const kinds: CashMovementKind[] = ['pay-in', 'pay-out', 'safe-drop'];

/** "35.5" → 3550 cents; null when it is not an amount. */
export function parseCents(text: string): number | null {
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

function CashMovementForm({ onDone, onError }: { onDone: () => void; onError: (e: PosErrorBody) => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<CashMovementKind>('pay-in');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const cents = parseCents(amount);
  const submit = async () => {
    const api = findPosApi();
    if (!api || cents === null) return;
    const answer = await api['shift:cash-movement']({ kind, amount: cents, reason });
    if (answer.ok) {
      setAmount('');
      setReason('');
      onDone();
    } else onError(answer.error);
  };
  return (
    <form
      className="admin-panel"
      data-testid="cash-movement"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 className="report-heading">{t('shift.moveCash')}</h3>
      <div className="segmented" role="radiogroup" aria-label={t('shift.moveCash')}>
        {kinds.map((k) => (
          <button key={k} type="button" role="radio" aria-checked={kind === k} className={kind === k ? 'segment is-on' : 'segment'} data-testid={`cash-kind-${k}`} onClick={() => setKind(k)}>
            {t(`shift.kind.${k}`)}
          </button>
        ))}
      </div>
      <div className="field-row">
        <label className="field is-narrow">
          <span className="field-label">{t('shift.amount')}</span>
          <input className="field-input is-number" inputMode="decimal" data-testid="cash-amount" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.00" />
        </label>
        <label className="field is-wide">
          <span className="field-label">{t('shift.reason')}</span>
          <input className="field-input" data-testid="cash-reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
        </label>
      </div>
      <button type="submit" className="admin-button is-primary" data-testid="cash-submit" disabled={cents === null || cents === 0 || reason.trim() === ''}>
        {t(`shift.kind.${kind}`)}
      </button>
    </form>
  );
}

function ManagerApproval({ value, onChange }: { value: { staffId: number | null; pin: string }; onChange: (v: { staffId: number | null; pin: string }) => void }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [approvers, setApprovers] = useState<StaffSummary[]>([]);
  usePosLoad(
    (api) => api['staff:list-for-login']({}),
    (answer) => {
      if (answer.ok) setApprovers(answer.value.filter((s) => s.permissions.includes('day.close')));
    },
  );
  return (
    <div className="field-row" data-testid="over-short-approval">
      <label className="field">
        <span className="field-label">{t('shift.approver')}</span>
        <select className="field-input" data-testid="approver" value={value.staffId ?? ''} onChange={(e) => onChange({ ...value, staffId: e.target.value ? Number(e.target.value) : null })}>
          <option value="">—</option>
          {approvers.map((s) => (
            <option key={s.id} value={s.id}>
              {localName(s, locale)}
            </option>
          ))}
        </select>
      </label>
      <label className="field is-narrow">
        <span className="field-label">{t('shift.approverPin')}</span>
        <input className="field-input" type="password" inputMode="numeric" autoComplete="off" data-testid="approver-pin" value={value.pin} onChange={(e) => onChange({ ...value, pin: e.target.value.replace(/\D/g, '').slice(0, 8) })} />
      </label>
    </div>
  );
}

function CloseAfterCount({ result, onClosed, onError }: { result: CountResult; onClosed: (cash: ShiftCash) => void; onError: (e: PosErrorBody) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [approval, setApproval] = useState<{ staffId: number | null; pin: string }>({ staffId: null, pin: '' });
  const close = async () => {
    const api = findPosApi();
    if (!api) return;
    const answer = await api['shift:close']({
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(result.needsApproval && approval.staffId !== null && approval.pin.length >= 4 ? { approval: { staffId: approval.staffId, pin: approval.pin } } : {}),
    });
    if (answer.ok) onClosed(answer.value);
    else onError(answer.error);
  };
  return (
    <div className="admin-panel" data-testid="count-result">
      <table className="admin-table report-table">
        <tbody>
          <tr>
            <th scope="row">{t('shift.counted')}</th>
            <td className="num">
              <Money cents={result.counted} testId="count-counted" />
            </td>
          </tr>
          <tr>
            <th scope="row">{t('shift.expected')}</th>
            <td className="num">
              <Money cents={result.expected} testId="count-expected" />
            </td>
          </tr>
          <tr className="is-strong">
            <th scope="row">{t('shift.overShort')}</th>
            <td className="num">
              <OverShort cents={result.overShort} testId="count-over-short" />
            </td>
          </tr>
        </tbody>
      </table>
      {result.needsReason && (
        <label className="field is-wide">
          <span className="field-label">{t('shift.overShortReason')}</span>
          <input className="field-input" data-testid="over-short-reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      {result.needsApproval && (
        <>
          <p className="section-hint">{t('shift.needsApproval', { tolerance: (result.toleranceCents / 100).toFixed(2) })}</p>
          <ManagerApproval value={approval} onChange={setApproval} />
        </>
      )}
      <button type="button" className="admin-button is-primary" data-testid="close-shift" disabled={result.needsReason && reason.trim() === ''} onClick={() => void close()}>
        {t('shift.close')}
      </button>
    </div>
  );
}

/** The shift as main has it, and its count when the blind count is already in. */
async function fetchShift(api: PosApi): Promise<Result<{ state: ShiftState; count: CountResult | null }>> {
  const answer = await api['shift:state']({});
  if (!answer.ok) return answer;
  if (!answer.value.shift || answer.value.shift.counted === null) return { ok: true, value: { state: answer.value, count: null } };
  const count = await api['shift:counted']({});
  return count.ok ? { ok: true, value: { state: answer.value, count: count.value } } : count;
}

export function ShiftSection() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const staff = useSession((s) => s.staff);
  const [state, setState] = useState<ShiftState | null>(null);
  const [count, setCount] = useState<CountResult | null>(null);
  const [closed, setClosed] = useState<ShiftCash | null>(null);
  const [x, setX] = useState<DayTotals | null>(null);
  const [float, setFloat] = useState<CountDraft>({});
  const [counted, setCounted] = useState<CountDraft>({});
  const [error, setError] = useState<PosErrorBody | null>(null);
  const [notice, setNotice] = useState('');

  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);

  usePosLoad(
    fetchShift,
    (answer) => {
      if (!answer.ok) return setError(answer.error);
      setState(answer.value.state);
      setCount(answer.value.count);
    },
    version,
  );

  const take = <T,>(answer: Result<T>, then: (value: T) => void) => {
    if (answer.ok) {
      setError(null);
      then(answer.value);
    } else setError(answer.error);
  };

  const api = findPosApi();
  if (!api || !state) return null;
  const shift = state.shift;

  return (
    <div className="shift-section" data-testid="shift-section">
      <SectionHeader title={t('shift.title')} />
      <ErrorLine testId="shift-error">{error && errorText(error)}</ErrorLine>
      {notice && <p className="section-hint" data-testid="shift-notice">{notice}</p>}

      {closed && (
        <div className="admin-panel" data-testid="shift-closed">
          <h3 className="report-heading">{t('shift.closedTitle', { id: closed.shiftId })}</h3>
          <p>
            {t('shift.expected')} <Money cents={closed.expected} /> · {t('shift.counted')} <Money cents={closed.counted ?? 0} /> · <OverShort cents={closed.overShort} testId="closed-over-short" />
          </p>
        </div>
      )}

      {!shift && (
        <div className="admin-panel" data-testid="open-shift">
          <h3 className="report-heading">{t('shift.open')}</h3>
          <p className="section-hint">{t('shift.openHint')}</p>
          <DenominationCountPad draft={float} onChange={setFloat} testId="float" />
          <button
            type="button"
            className="admin-button is-primary"
            data-testid="open-shift-submit"
            onClick={() =>
              void api['shift:open']({ float: toDenominationCount(float) }).then((answer) =>
                take(answer, () => {
                  setFloat({});
                  setClosed(null);
                  reload();
                }),
              )
            }
          >
            {t('shift.open')}
          </button>
        </div>
      )}

      {shift && (
        <>
          <p className="shift-summary" data-testid="shift-open">
            {t('shift.openSince', { id: shift.shiftId, name: localName({ nameZh: shift.staffNameZh, nameEn: shift.staffNameEn }, locale), at: storeTime.dateTime(shift.openedAt) })} · {t('shift.float')}{' '}
            <Money cents={shift.float} testId="shift-float" />
            {state.expected !== null && (
              <>
                {' '}
                · {t('shift.expected')} <Money cents={state.expected} testId="shift-expected" />
              </>
            )}
          </p>
          {shift.movements.length > 0 && (
            <table className="admin-table report-table" data-testid="movements">
              <tbody>
                {shift.movements.map((m) => (
                  <tr key={m.id}>
                    <td>{storeTime.dateTime(m.at)}</td>
                    <td>{t(`shift.kind.${m.kind}`)}</td>
                    <td>{m.reason}</td>
                    <td className="num">
                      <Money cents={m.kind === 'pay-in' ? m.amount : -m.amount} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {!count && (
            <div className="shift-columns">
              <CashMovementForm
                onDone={() => {
                  setError(null);
                  setNotice(t('shift.moved'));
                  reload();
                }}
                onError={setError}
              />
              <div className="admin-panel" data-testid="blind-count">
                <h3 className="report-heading">{t('shift.closeTitle')}</h3>
                <p className="section-hint">{state.blindCount ? t('shift.blindHint') : t('shift.countHint')}</p>
                <DenominationCountPad draft={counted} onChange={setCounted} testId="count" />
                <button
                  type="button"
                  className="admin-button is-primary"
                  data-testid="count-submit"
                  onClick={() =>
                    void api['shift:count']({ counted: toDenominationCount(counted) }).then((answer) =>
                      take(answer, (value) => {
                        setCount(value);
                        setCounted({});
                      }),
                    )
                  }
                >
                  {t('shift.countSubmit')}
                </button>
              </div>
            </div>
          )}
          {count && (
            <CloseAfterCount
              result={count}
              onError={setError}
              onClosed={(cash) => {
                setError(null);
                setClosed(cash);
                setCount(null);
                reload();
              }}
            />
          )}
        </>
      )}

      {staffCan(staff, 'reports.view') && (
        <div className="admin-panel" data-testid="x-report-panel">
          <div className="report-actions">
            <button type="button" className="admin-button" data-testid="x-report" onClick={() => void api['report:x']({}).then((answer) => take(answer, setX))}>
              {t('dayClose.showX')}
            </button>
            {x && (
              <button type="button" className="admin-button" data-testid="x-print" onClick={() => void api['report:print-x']({}).then((answer) => take(answer, () => setNotice(t('dayClose.printed'))))}>
                {t('dayClose.print')}
              </button>
            )}
          </div>
          {x && <DayTotalsView totals={x} testId="x-report-view" />}
        </div>
      )}
    </div>
  );
}
