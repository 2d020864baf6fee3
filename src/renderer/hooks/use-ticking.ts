import { useCallback, useSyncExternalStore } from 'react';

/**
 * Re-reads `read` every `intervalMs` and re-renders only when its answer changes. For values that
 * move with time (the clock, a retry countdown); `read` should return a primitive.
 */
export function useTicking<T>(read: () => T, intervalMs: number): T {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const id = setInterval(onChange, intervalMs);
      return () => clearInterval(id);
    },
    [intervalMs],
  );
  return useSyncExternalStore(subscribe, read);
}
