/**
 * 更 / 交更: open a shift with a float counted by denomination; 存入現金 / 提取現金 / 存入夾萬 with a
 * reason; close with a blind count (the expected amount shows only after the count is in), then
 * the over/short (長款 / 短款) with its reason and, beyond the tolerance, a manager's PIN. The X
 * report of the business day so far is one button away for those who may see it.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseCents } from '../../../shared/money';
import type { CashMovementKind, CountResult } from '../../../shared/shift-schemas';
import { Money } from '../../components/money';
import { useErrorText } from '../../hooks/use-error-text';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { usePosStores, useSession } from '../../stores/stores-context';
import { ErrorLine, SectionHeader } from '../section-parts';
import { staffCan } from '../staff-can';
import { useSectionStore } from '../use-section-store';
import { createShiftStore, type ShiftSectionState } from '../stores/shift-store';
import { DayTotalsView, OverShort } from './day-totals-view';
import { DenominationCountPad, toDenominationCount, type CountDraft } from './denomination-count';
import { useStoreTime } from '../../hooks/use-store-time';

const kinds: CashMovementKind[] = ['pay-in', 'pay-out', 'safe-drop'];

function CashMovementForm({ shift }: { shift: ShiftSectionState }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<CashMovementKind>('pay-in');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const cents = parseCents(amount);
  const submit = async () => {
    if (cents === null) return;
    if (await shift.moveCash({ kind, amount: cents, reason })) {
      setAmount('');
      setReason('');
    }
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
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={kind === k}
            className={kind === k ? 'segment is-on' : 'segment'}
            data-testid={`cash-kind-${k}`}
            onClick={() => setKind(k)}
          >
            {t(`shift.kind.${k}`)}
          </button>
        ))}
      </div>
      <div className="field-row">
        <label className="field is-narrow">
          <span className="field-label">{t('shift.amount')}</span>
          <input
            className="field-input is-number"
            inputMode="decimal"
            data-testid="cash-amount"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            placeholder="0.00"
          />
        </label>
        <label className="field is-wide">
          <span className="field-label">{t('shift.reason')}</span>
          <input
            className="field-input"
            data-testid="cash-reason"
            value={reason}
            maxLength={200}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
      </div>
      <button
        type="submit"
        className="admin-button is-primary"
        data-testid="cash-submit"
        disabled={cents === null || cents === 0 || reason.trim() === ''}
      >
        {t(`shift.kind.${kind}`)}
      </button>
    </form>
  );
}

function ManagerApproval({
  shift,
  value,
  onChange,
}: {
  shift: ShiftSectionState;
  value: { staffId: number | null; pin: string };
  onChange: (v: { staffId: number | null; pin: string }) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { approvers, loadApprovers } = shift;
  useEffect(() => {
    void loadApprovers();
  }, [loadApprovers]);
  return (
    <div className="field-row" data-testid="over-short-approval">
      <label className="field">
        <span className="field-label">{t('shift.approver')}</span>
        <select
          className="field-input"
          data-testid="approver"
          value={value.staffId ?? ''}
          onChange={(e) => onChange({ ...value, staffId: e.target.value ? Number(e.target.value) : null })}
        >
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
        <input
          className="field-input"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          data-testid="approver-pin"
          value={value.pin}
          onChange={(e) => onChange({ ...value, pin: e.target.value.replace(/\D/g, '').slice(0, 8) })}
        />
      </label>
    </div>
  );
}

function CloseAfterCount({ shift, result }: { shift: ShiftSectionState; result: CountResult }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [approval, setApproval] = useState<{ staffId: number | null; pin: string }>({ staffId: null, pin: '' });
  const close = () =>
    shift.close({
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(result.needsApproval && approval.staffId !== null && approval.pin.length >= 4
        ? { approval: { staffId: approval.staffId, pin: approval.pin } }
        : {}),
    });
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
          <input
            className="field-input"
            data-testid="over-short-reason"
            value={reason}
            maxLength={200}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
      )}
      {result.needsApproval && (
        <>
          <p className="section-hint">{t('shift.needsApproval', { tolerance: (result.toleranceCents / 100).toFixed(2) })}</p>
          <ManagerApproval shift={shift} value={approval} onChange={setApproval} />
        </>
      )}
      <button
        type="button"
        className="admin-button is-primary"
        data-testid="close-shift"
        disabled={result.needsReason && reason.trim() === ''}
        onClick={() => void close()}
      >
        {t('shift.close')}
      </button>
    </div>
  );
}

export function ShiftSection() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const { session } = usePosStores();
  const staff = useSession((s) => s.staff);
  const shiftStore = useSectionStore((api) => createShiftStore(api, { currentStaff: () => session.getState().staff }));
  const { state, count, closed, x, error, notice } = shiftStore;
  const [float, setFloat] = useState<CountDraft>({});
  const [counted, setCounted] = useState<CountDraft>({});

  if (!state) return null;
  const shift = state.shift;

  return (
    <div className="shift-section" data-testid="shift-section">
      <SectionHeader title={t('shift.title')} />
      <ErrorLine testId="shift-error">{error && errorText(error)}</ErrorLine>
      {notice && (
        <p className="section-hint" data-testid="shift-notice">
          {notice === 'moved' ? t('shift.moved') : t('dayClose.printed')}
        </p>
      )}

      {closed && (
        <div className="admin-panel" data-testid="shift-closed">
          <h3 className="report-heading">{t('shift.closedTitle', { id: closed.shiftId })}</h3>
          <p>
            {t('shift.expected')} <Money cents={closed.expected} /> · {t('shift.counted')} <Money cents={closed.counted ?? 0} /> ·{' '}
            <OverShort cents={closed.overShort} testId="closed-over-short" />
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
              void shiftStore.openShift(toDenominationCount(float)).then((opened) => {
                if (opened) setFloat({});
              })
            }
          >
            {t('shift.open')}
          </button>
        </div>
      )}

      {shift && (
        <>
          <p className="shift-summary" data-testid="shift-open">
            {t('shift.openSince', {
              id: shift.shiftId,
              name: localName({ nameZh: shift.staffNameZh, nameEn: shift.staffNameEn }, locale),
              at: storeTime.dateTime(shift.openedAt),
            })}{' '}
            · {t('shift.float')} <Money cents={shift.float} testId="shift-float" />
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
              <CashMovementForm shift={shiftStore} />
              <div className="admin-panel" data-testid="blind-count">
                <h3 className="report-heading">{t('shift.closeTitle')}</h3>
                <p className="section-hint">{state.blindCount ? t('shift.blindHint') : t('shift.countHint')}</p>
                <DenominationCountPad draft={counted} onChange={setCounted} testId="count" />
                <button
                  type="button"
                  className="admin-button is-primary"
                  data-testid="count-submit"
                  onClick={() =>
                    void shiftStore.submitCount(toDenominationCount(counted)).then((done) => {
                      if (done) setCounted({});
                    })
                  }
                >
                  {t('shift.countSubmit')}
                </button>
              </div>
            </div>
          )}
          {count && <CloseAfterCount shift={shiftStore} result={count} />}
        </>
      )}

      {staffCan(staff, 'reports.view') && (
        <div className="admin-panel" data-testid="x-report-panel">
          <div className="report-actions">
            <button type="button" className="admin-button" data-testid="x-report" onClick={() => void shiftStore.showX()}>
              {t('dayClose.showX')}
            </button>
            {x && (
              <button type="button" className="admin-button" data-testid="x-print" onClick={() => void shiftStore.printX()}>
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
