/**
 * Loading a back-office section's data from main: on mount, and again whenever `key` changes (a
 * filter, a reload counter). An answer that comes back after the section has gone, or after a
 * newer load started, is dropped.
 */
import { useEffect, useEffectEvent } from 'react';
import type { PosApi } from '../../shared/channels';
import { findPosApi } from '../pos';

export function usePosLoad<T>(load: (api: PosApi) => Promise<T>, take: (answer: T) => void, key: unknown = null): void {
  const start = useEffectEvent(load);
  const finish = useEffectEvent(take);
  useEffect(() => {
    const api = findPosApi();
    if (!api) return;
    let live = true;
    void start(api).then((answer) => {
      if (live) finish(answer);
    });
    return () => {
      live = false;
    };
  }, [key]);
}
