import { useEffect, useRef } from 'react';
import type { KeyPress } from '../keys';

/**
 * Listens for keys on the whole window while the component is shown: a cashier's keys must work
 * whatever has focus. The handler returns true when it used the key, which stops the browser's own
 * action too (Enter would otherwise also "click" a focused button, F7/F10 have browser meanings).
 */
export function useKeyHandler(handler: (press: KeyPress, event: KeyboardEvent) => boolean): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing) return; // an input method is composing Chinese; the key is its own
      if (latest.current(event, event)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
