import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { PIN_MAX_DIGITS } from '../stores/session-store';
import { usePosStores, useSession } from '../stores/stores-context';
import { keepFocus } from './keep-focus';

const DIGIT_ROWS = [
  ['1', '2', '3'],
  ['4', '5', '6'],
  ['7', '8', '9'],
] as const;

/** The PIN pad: the PIN shows only as dots; its error sits right above the keys, never in a popup. */
export function PinPad() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { session } = usePosStores();
  const pin = useSession((s) => s.pin);
  const loginError = useSession((s) => s.loginError);
  const loggingIn = useSession((s) => s.loggingIn);
  const selected = useSession((s) => s.staffList.find((staff) => staff.id === s.selectedStaffId) ?? null);
  const actions = session.getState();

  return (
    <section className="pin-pad" aria-labelledby="pin-pad-title">
      <h2 id="pin-pad-title" className="panel-title">
        {selected ? t('login.pinFor', { name: localName(selected, locale) }) : t('login.enterPin')}
      </h2>
      <div className="pin-display" data-testid="pin-display" role="status" aria-label={t('login.pinEntered', { count: pin.length })}>
        {Array.from({ length: PIN_MAX_DIGITS }, (_, i) => (
          <span key={i} className={i < pin.length ? 'pin-dot is-filled' : 'pin-dot'} aria-hidden="true" />
        ))}
      </div>
      {/* The line is reserved so an error does not push the keys down under the cashier's finger. */}
      <div className="pin-message" role="alert">
        {loginError && (
          <p className="pin-error" data-testid="pin-error">
            {t(`login.error.${loginError}`)}
          </p>
        )}
      </div>
      <div className="pin-keys">
        {DIGIT_ROWS.flat().map((digit) => (
          <PinKey key={digit} testId={`pin-key-${digit}`} onPress={() => actions.pressDigit(digit)} disabled={loggingIn}>
            {digit}
          </PinKey>
        ))}
        <PinKey testId="pin-clear" onPress={actions.clearPin} disabled={loggingIn} className="pin-key-secondary">
          {t('login.keyClear')}
        </PinKey>
        <PinKey testId="pin-key-0" onPress={() => actions.pressDigit('0')} disabled={loggingIn}>
          0
        </PinKey>
        <PinKey
          testId="pin-delete"
          onPress={actions.deleteDigit}
          disabled={loggingIn}
          className="pin-key-secondary"
          label={t('login.keyDelete')}
        >
          ⌫
        </PinKey>
        <PinKey
          testId="pin-enter"
          onPress={() => void actions.submitPin()}
          disabled={loggingIn || selected === null}
          className="pin-key-enter"
        >
          {t('login.keyEnter')}
          <kbd className="pin-key-hint">Enter</kbd>
        </PinKey>
      </div>
    </section>
  );
}

interface PinKeyProps {
  testId: string;
  onPress: () => void;
  disabled: boolean;
  className?: string;
  label?: string;
  children: ReactNode;
}

function PinKey({ testId, onPress, disabled, className, label, children }: PinKeyProps) {
  return (
    <button
      type="button"
      className={className ? `pin-key ${className}` : 'pin-key'}
      data-testid={testId}
      aria-label={label}
      onClick={onPress}
      onMouseDown={keepFocus}
      disabled={disabled}
    >
      {children}
    </button>
  );
}
