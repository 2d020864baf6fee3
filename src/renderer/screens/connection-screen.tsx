import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useKeyHandler } from '../hooks/use-key-handler';
import { useTicking } from '../hooks/use-ticking';
import type { Locale } from '../i18n/create-i18n';
import { resolveShortcut, shortcutLabel } from '../shortcuts';

export type ConnectionPhase = 'connecting' | 'unreachable' | 'no-register';

interface ConnectionScreenProps {
  phase: ConnectionPhase;
  /** Monotonic ms of the next automatic retry, or null while one is running. */
  retryAt: number | null;
  onRetry: () => void;
}

const BOTH_LOCALES: readonly Locale[] = ['zh-HK', 'en'];

/**
 * Shown when the register core does not answer. It speaks both languages at once: whoever is at
 * the counter, or IT on the phone, must understand it without finding a language switch.
 */
export function ConnectionScreen({ phase, retryAt, onRetry }: ConnectionScreenProps) {
  const { t } = useTranslation();
  useKeyHandler((press) => {
    if (phase === 'connecting' || resolveShortcut('connection', press) !== 'retry-connection') return false;
    onRetry();
    return true;
  });

  const titleKey =
    phase === 'connecting'
      ? 'connection.connectingTitle'
      : phase === 'unreachable'
        ? 'connection.unreachableTitle'
        : 'connection.noBridgeTitle';
  const bodyKey = phase === 'no-register' ? 'connection.noBridgeBody' : 'connection.unreachableBody';

  return (
    <main className="connection-screen" data-testid="connection-screen" data-phase={phase}>
      <div className="connection-card">
        <p className="connection-brand" aria-hidden="true">
          {t('app.name', { lng: 'zh-HK' })} {t('app.name', { lng: 'en' })}
        </p>
        {BOTH_LOCALES.map((lng) => (
          <section key={lng} lang={lng} className="connection-message">
            <h1 className={phase === 'connecting' ? 'connection-title' : 'connection-title is-warning'}>{t(titleKey, { lng })}</h1>
            {phase !== 'connecting' && <p className="connection-body">{t(bodyKey, { lng })}</p>}
          </section>
        ))}
        {phase !== 'connecting' && <RetryCountdown retryAt={retryAt} onRetry={onRetry} />}
      </div>
    </main>
  );
}

function RetryCountdown({ retryAt, onRetry }: { retryAt: number | null; onRetry: () => void }) {
  const { t } = useTranslation();
  const read = useCallback(() => (retryAt === null ? null : Math.max(0, Math.ceil((retryAt - performance.now()) / 1000))), [retryAt]);
  const seconds = useTicking(read, 250);
  const both = (key: 'connection.retryIn' | 'connection.retrying' | 'connection.retryNow', values = {}) =>
    BOTH_LOCALES.map((lng) => t(key, { ...values, lng })).join(' · ');

  return (
    <div className="connection-retry">
      <p className="connection-countdown money" role="status">
        {seconds === null ? both('connection.retrying') : both('connection.retryIn', { seconds })}
      </p>
      <button
        type="button"
        className="connection-retry-button"
        data-testid="retry-connection"
        onClick={onRetry}
        disabled={seconds === null}
      >
        {both('connection.retryNow')}
        <kbd className="action-key">{shortcutLabel('retry-connection')}</kbd>
      </button>
    </div>
  );
}
