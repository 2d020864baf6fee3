import { useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { formatIsoDate, parseDayFirstDate } from '../../shared/store-time';

type DateFieldProps = { value: string; onChange: (isoDate: string) => void; testId?: string } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange' | 'type'
>;

/**
 * A day typed and shown as Hong Kong writes it, `02/12/2026`, whatever the browser's locale (the
 * browser's own date input follows it and showed 11/26/2026 beside 02/12/2026 in the same table).
 * `value` and `onChange` carry `2026-12-02`; what is typed counts once it is a real date, and a
 * half-typed or impossible one is marked invalid and put back on leaving the field.
 */
export function DateField({ value, onChange, testId, ...input }: DateFieldProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => formatIsoDate(value));
  const [shownValue, setShownValue] = useState(value);
  if (value !== shownValue) {
    setShownValue(value);
    setText(formatIsoDate(value));
  }
  const valid = parseDayFirstDate(text) !== null;
  return (
    <input
      {...input}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={t('dateField.placeholder')}
      data-testid={testId}
      value={text}
      aria-invalid={!valid}
      onChange={(e) => {
        setText(e.target.value);
        const isoDate = parseDayFirstDate(e.target.value);
        if (isoDate !== null && isoDate !== value) {
          setShownValue(isoDate);
          onChange(isoDate);
        }
      }}
      onBlur={() => {
        if (!valid) setText(formatIsoDate(value));
      }}
    />
  );
}
