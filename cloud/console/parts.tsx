/** Small pieces every console screen uses: loading with a bounded poll, errors, money and times. */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { formatHKD } from '../../src/shared/money';
import { formatDateTime } from '../../src/shared/store-time';
import { useConsole, useLang, useSession, useTr } from './console-store';
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
  useEffect(() => {
    if (path === null) return;
    // Each path or reload starts its own fetch at once, even while an older one is still out (the
    // older answer is dropped: `live` is false by then). Only this effect's poll ticks wait for its
    // own fetch, so a slow server is not asked twice for the same list.
    let live = true;
    let inFlight = false;
    const run = () => {
      if (inFlight) return;
      inFlight = true;
      setState((s) => ({ ...s, loading: true }));
      api.get<T>(path).then(
        (data) => {
          inFlight = false;
          if (live) setState({ data, error: null, loading: false });
        },
        (error: unknown) => {
          inFlight = false;
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

/** A form's own check that failed (the page's words), shown where ErrorLine shows the cloud's. */
export function InputError({ text, testId, className = 'hq-error' }: { text: string | null; testId?: string; className?: string }) {
  if (!text) return null;
  return (
    <p className={className} role="alert" data-testid={testId}>
      {text}
    </p>
  );
}

/** What a write did (已儲存, PO-1 已建立 …). */
export function OkLine({ text, testId }: { text: string | null; testId?: string }) {
  if (!text) return null;
  return (
    <p className="hq-ok" role="status" data-testid={testId}>
      {text}
    </p>
  );
}

/** In place of a form's save button, for a role that may only look. */
export function ViewOnly() {
  const tr = useTr();
  return <p className="hq-muted">{tr('你的職位只可檢視', 'Your role may only view')}</p>;
}

/** Thousandths as people write quantities: 12, 2.5, 1,200. */
export function quantityText(milli: number): string {
  return (milli / 1000).toLocaleString('en', { maximumFractionDigits: 3 });
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

/**
 * A QR code (an enrolment code, an authenticator key) drawn as SVG in the page: no network, no
 * inline script (the CSP allows data: images). bwip-js is large, so it loads only when one is shown.
 */
export function Qr({ text, label, size = 160, testId }: { text: string; label: string; size?: number; testId?: string }) {
  const [drawn, setDrawn] = useState<{ text: string; src: string | null } | null>(null);
  useEffect(() => {
    let current = true;
    void import('bwip-js/browser').then(({ toSVG }) => {
      let src: string | null = null;
      try {
        src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(toSVG({ bcid: 'qrcode', text, scale: 4, paddingwidth: 2, paddingheight: 2 }))}`;
      } catch {
        // text bwip-js cannot encode shows no QR rather than a broken screen
      }
      if (current) setDrawn({ text, src });
    });
    return () => {
      current = false;
    };
  }, [text]);
  const src = drawn?.text === text ? drawn.src : null;
  return src === null ? null : <img className="hq-qr" src={src} alt={label} width={size} height={size} data-testid={testId} />;
}
