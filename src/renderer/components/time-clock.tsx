/**
 * 上班打卡 / 下班打卡 on the login screen: the staff member picks their name, types their PIN and
 * clocks in or out without logging in. The PIN is cleared on every answer, as on login.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClockDirection } from '../../shared/staff-schemas';
import { useErrorText } from '../hooks/use-error-text';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { findPosApi } from '../pos';
import { useStoreTime } from '../hooks/use-store-time';
import { PIN_MIN_DIGITS } from '../stores/session-store';
import { usePosStores } from '../stores/stores-context';

type Message = { text: string; bad: boolean } | null;

export function useTimeClock(): { punch: (direction: ClockDirection) => Promise<void>; message: Message } {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const { session } = usePosStores();
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);

  const punch = async (direction: ClockDirection) => {
    const api = findPosApi();
    const { selectedStaffId, pin } = session.getState();
    if (!api || busy) return;
    if (selectedStaffId === null || pin.length < PIN_MIN_DIGITS) {
      setMessage({ text: t('timeClock.needPin'), bad: true });
      return;
    }
    setBusy(true);
    const result = await api['staff:clock']({ staffId: selectedStaffId, pin, direction });
    setBusy(false);
    session.getState().clearPin();
    if (!result.ok) {
      setMessage({ text: errorText(result.error), bad: true });
      return;
    }
    const { value } = result;
    const name = localName(value, locale);
    const time = storeTime.time(value.at);
    const minutes = Math.floor((value.workedMs ?? 0) / 60_000);
    setMessage({
      text:
        direction === 'in'
          ? t('timeClock.clockedIn', { name, time })
          : t('timeClock.clockedOut', { name, time, hours: Math.floor(minutes / 60), minutes: minutes % 60 }),
      bad: false,
    });
  };

  return { punch, message };
}

export function TimeClockMessage({ message }: { message: Message }) {
  if (!message) return null;
  return (
    <span className={message.bad ? 'time-clock-message tone-bad' : 'time-clock-message'} role="status" data-testid="time-clock-message">
      {message.text}
    </span>
  );
}
