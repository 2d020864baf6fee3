/**
 * Scans from an HID POS scanner arrive from main as `scanner:scan` events (the scanner is read by
 * node-hid there, src/main/devices/scanner-feed.ts). They go to the same scan router as a wedge
 * scan, so focus, dialogs and the payment screen treat both kinds of scanner alike.
 */
import { useEffect, useRef } from 'react';
import { findPosApi } from '../pos';

export function useHidScans(onScan: (code: string) => void): void {
  const latest = useRef(onScan);
  useEffect(() => {
    latest.current = onScan;
  });
  useEffect(() => {
    const api = findPosApi();
    if (!api) return;
    return api.onEvent((event) => {
      if (event.event === 'scanner:scan') latest.current(event.payload.code);
    });
  }, []);
}
