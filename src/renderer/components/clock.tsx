import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useTicking } from '../hooks/use-ticking';
import { useStoreTime } from '../hooks/use-store-time';
import { usePosStores } from '../stores/stores-context';

/** HH:mm on main's clock; checked every second so the minute turns over on time. */
export function Clock() {
  const { t } = useTranslation();
  const { register } = usePosStores();
  const storeTime = useStoreTime();
  const read = useCallback(() => {
    const now = register.getState().currentTime();
    return now === null ? '--:--' : storeTime.time(now);
  }, [register, storeTime]);
  const text = useTicking(read, 1000);
  return (
    <time className="status-clock" data-testid="clock" aria-label={t('status.clock')}>
      {text}
    </time>
  );
}
