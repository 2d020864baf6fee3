import type { MouseEvent } from 'react';

/**
 * Pressing an on-screen key must not take focus from the scan field: a scan right after a tap
 * would otherwise go nowhere. Stopping mousedown's default keeps focus where it was.
 */
export function keepFocus(event: MouseEvent): void {
  event.preventDefault();
}
