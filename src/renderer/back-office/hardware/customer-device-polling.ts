/**
 * Live state for the display and scanner panels: asks main once a second while the panel is open.
 * A second is what IT needs to see a display come back after replugging it; the channels are a
 * cheap read of state main already holds.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PosErrorBody, Result } from '../../../shared/errors';

const POLL_MS = 1000;

export function usePolledStatus<T>(read: () => Promise<Result<T>>): {
  value: T | null;
  error: PosErrorBody | null;
  replace(value: T): void;
} {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<PosErrorBody | null>(null);
  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      const result = await read();
      if (stopped) return;
      if (result.ok) {
        setValue(result.value);
        setError(null);
      } else setError(result.error);
    };
    void tick();
    const timer = setInterval(() => void tick(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [read]);
  const replace = useCallback((next: T) => setValue(next), []);
  return { value, error, replace };
}

/** IT reads the core's own message for a bad URI: it names what is wrong and what is supported. */
export function describeFailure(error: PosErrorBody, translated: string): string {
  return error.code === 'BAD_REQUEST' || error.code === 'DEVICE_URI_INVALID' ? `${translated}: ${error.message}` : translated;
}
