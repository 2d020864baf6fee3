/** Small pieces every console screen uses: loading with a bounded poll, errors, money and times. */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { formatHKD } from '../../src/shared/money';
import { formatDateTime } from '../../src/shared/store-time';
import { useConsole, useLang, useSession } from './console-store';
import { errorText } from './i18n';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** GETs `path` now, again on reload() and every `pollMs` (the dashboard's refresh); one request at a time. */
export function useLoad<T>(path: string | null, pollMs?: number): Loaded<T> {
  const { api } = useConsole();
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  const inFlight = useRef(false);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    const run = () => {
      if (inFlight.current) return;
      inFlight.current = true;
      setState((s) => ({ ...s, loading: true }));
      api.get<T>(path).then(
        (data) => {
          inFlight.current = false;
          if (live) setState({ data, error: null, loading: false });
        },
        (error: unknown) => {
          inFlight.current = false;
          if (live) setState((s) => ({ ...s, error, loading: false }));
        },
      );
    };
    run();
    const timer = pollMs === undefined ? undefined : window.setInterval(run, pollMs);
    return () => {
      live = false;
      if (timer !== undefined) window.clearInterval(timer);
    };
  }, [api, path, pollMs, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function ErrorLine({ error, testId = 'error' }: { error: unknown; testId?: string }) {
  const lang = useLang();
  if (!error) return null;
  return (
    <p className="hq-error" role="alert" data-testid={testId}>
      {errorText(lang, error)}
    </p>
  );
}

export function Money({ cents }: { cents: number }) {
  const lang = useLang();
  return <span className="money">{formatHKD(cents, lang)}</span>;
}

export function When({ ms }: { ms: number | null }) {
  const { merchant } = useSession();
  return <span className="when">{ms === null ? '—' : formatDateTime(ms, merchant.timeZone)}</span>;
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="hq-page-header">
      <h1>{title}</h1>
      <div className="hq-page-actions">{children}</div>
    </header>
  );
}

/** Runs a write, keeping its error and a busy flag for the button that started it. */
export function useAction(): { busy: boolean; error: unknown; run(action: () => Promise<unknown>): Promise<boolean>; clear(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}
