import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useTicking } from '../hooks/use-ticking';
import { formatClock } from '../server-clock';
import { usePosStores } from '../stores/stores-context';

/** HH:mm on main's clock; checked every second so the minute turns over on time. */
export function Clock() {
  const { t } = useTranslation();
  const { register } = usePosStores();
  const read = useCallback(() => {
    const now = register.getState().currentTime();
    return now === null ? '--:--' : formatClock(now);
  }, [register]);
  const text = useTicking(read, 1000);
  return (
    <time className="status-clock" data-testid="clock" aria-label={t('status.clock')}>
      {text}
    </time>
  );
}
