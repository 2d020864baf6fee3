import { useTranslation } from 'react-i18next';
import { applyPadKey } from '../checkout/number-input';
import { keepFocus } from './keep-focus';

const ROWS = ['7', '8', '9', '4', '5', '6', '1', '2', '3'] as const;

/**
 * The on-screen number pad for touch: it edits the same text as the keyboard does, and never
 * takes focus from the field, so a finger and the keys can be mixed.
 */
export function NumericPad({
  value,
  onChange,
  decimals,
  replace = false,
}: {
  value: string;
  onChange: (value: string) => void;
  decimals: number;
  replace?: boolean;
}) {
  const { t } = useTranslation();
  // `replace`: the field shows a suggested value, selected; the first key starts over, as typing would.
  const press = (key: string) => onChange(applyPadKey(replace ? '' : value, key, decimals));
  return (
    <div className="numeric-pad">
      {ROWS.map((digit) => (
        <button
          key={digit}
          type="button"
          className="pad-key"
          data-testid={`pad-key-${digit}`}
          onMouseDown={keepFocus}
          onClick={() => press(digit)}
        >
          {digit}
        </button>
      ))}
      <button
        type="button"
        className="pad-key"
        data-testid="pad-key-dot"
        disabled={decimals === 0}
        onMouseDown={keepFocus}
        onClick={() => press('.')}
      >
        .
      </button>
      <button type="button" className="pad-key" data-testid="pad-key-0" onMouseDown={keepFocus} onClick={() => press('0')}>
        0
      </button>
      <button
        type="button"
        className="pad-key pad-key-secondary"
        data-testid="pad-backspace"
        aria-label={t('dialog.padDelete')}
        onMouseDown={keepFocus}
        onClick={() => press('backspace')}
      >
        ⌫
      </button>
    </div>
  );
}
