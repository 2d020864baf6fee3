import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionBar, ActionButton, LanguageButton } from '../components/action-bar';
import { AppShell } from '../components/app-shell';
import { PinPad } from '../components/pin-pad';
import { StaffPicker } from '../components/staff-picker';
import { TimeClockMessage, useTimeClock } from '../components/time-clock';
import { useKeyHandler } from '../hooks/use-key-handler';
import { useLocale } from '../hooks/use-locale';
import { pinKeyAction, type KeyPress } from '../keys';
import { resolveShortcut } from '../shortcuts';
import { usePosStores } from '../stores/stores-context';

/** 登入: choose a name, type the PIN on the pad or the keyboard; or clock in / out with the same PIN. */
export function LoginScreen() {
  const { t } = useTranslation();
  const { session } = usePosStores();
  const { toggleLocale } = useLocale();
  const timeClock = useTimeClock();

  useEffect(() => {
    void session.getState().loadStaffList();
  }, [session]);

  useKeyHandler((press: KeyPress, event) => {
    const actions = session.getState();
    // Enter on a focused button presses it (a name reached with Tab selects that person).
    if (press.key === 'Enter' && event.target instanceof HTMLButtonElement) return false;
    const shortcut = resolveShortcut('login', press);
    if (shortcut === 'clear-pin') actions.clearPin();
    else if (shortcut === 'toggle-language') toggleLocale();
    else if (shortcut === 'clock-in' || shortcut === 'clock-out') void timeClock.punch(shortcut === 'clock-in' ? 'in' : 'out');
    if (shortcut) return true;
    const pinAction = pinKeyAction(press);
    if (!pinAction) return false;
    if (pinAction.type === 'digit') actions.pressDigit(pinAction.digit);
    else if (pinAction.type === 'delete') actions.deleteDigit();
    else void actions.submitPin();
    return true;
  });

  return (
    <AppShell
      actions={
        <ActionBar>
          <ActionButton shortcut="clear-pin" testId="clear-pin" onPress={() => session.getState().clearPin()}>
            {t('action.clearPin')}
          </ActionButton>
          <ActionButton shortcut="clock-in" testId="clock-in" onPress={() => void timeClock.punch('in')}>
            {t('timeClock.clockIn')}
          </ActionButton>
          <ActionButton shortcut="clock-out" testId="clock-out" onPress={() => void timeClock.punch('out')}>
            {t('timeClock.clockOut')}
          </ActionButton>
          <TimeClockMessage message={timeClock.message} />
          <span className="action-spacer" />
          <LanguageButton />
        </ActionBar>
      }
    >
      <div className="login-screen">
        <StaffPicker />
        <PinPad />
      </div>
    </AppShell>
  );
}
