/**
 * Counting cash by denomination (HK$1000 … 10¢): a row per note or coin with − / + for touch and a
 * number field for the keyboard, and the running total. Used for the float and the blind count.
 */
import { useTranslation } from 'react-i18next';
import { denominations, countTotal, type DenominationCount } from '../../../shared/shift-schemas';
import { Money } from '../../components/money';

export type CountDraft = Record<number, number>;

export function toDenominationCount(draft: CountDraft): DenominationCount {
  return denominations.filter((value) => (draft[value] ?? 0) > 0).map((value) => ({ value, count: draft[value] ?? 0 }));
}

function label(value: number): string {
  return value >= 100 ? `HK$${value / 100}` : `${value}¢`;
}

export function DenominationCountPad({
  draft,
  onChange,
  testId,
}: {
  draft: CountDraft;
  onChange: (draft: CountDraft) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const set = (value: number, count: number) => onChange({ ...draft, [value]: Math.max(0, Math.min(100_000, Math.trunc(count) || 0)) });
  return (
    <div className="denomination-count" data-testid={testId}>
      <div className="denomination-grid">
        {denominations.map((value) => {
          const count = draft[value] ?? 0;
          return (
            <div key={value} className="denomination-row">
              <span className="denomination-label">{label(value)}</span>
              <button
                type="button"
                className="denomination-step"
                aria-label={t('shift.less', { what: label(value) })}
                onClick={() => set(value, count - 1)}
              >
                −
              </button>
              <input
                className="field-input is-number denomination-input"
                inputMode="numeric"
                aria-label={label(value)}
                data-testid={`${testId}-${value}`}
                value={count === 0 ? '' : String(count)}
                placeholder="0"
                onChange={(e) => set(value, Number(e.target.value.replace(/\D/g, '')))}
              />
              <button
                type="button"
                className="denomination-step"
                aria-label={t('shift.more', { what: label(value) })}
                onClick={() => set(value, count + 1)}
              >
                +
              </button>
              <Money cents={value * count} className="denomination-subtotal" />
            </div>
          );
        })}
      </div>
      <p className="denomination-total">
        {t('shift.countTotal')} <Money cents={countTotal(toDenominationCount(draft))} testId={`${testId}-total`} />
      </p>
    </div>
  );
}
