/**
 * Connects the wedge detector (scanner/wedge-detector.ts) to the window: it sees every key first
 * (capture phase), holds what may be a scan, and puts typing back where it was going.
 *
 * Replay: into the focused text field at its caret, as the browser would have typed it (an
 * `input` event, so React's onChange sees it); with no text field focused, into `fallbackTarget`
 * (the scan field when nothing else is open); otherwise as synthetic key presses to the focused
 * element, so a PIN pad's key handler gets its digits. Those synthetic presses are untrusted, and
 * the detector lets untrusted keys through.
 */
import { useEffect, useRef } from 'react';
import { createWedgeDetector, type WedgeDetector, type WedgeSettings } from '../scanner/wedge-detector';

export interface WedgeScannerOptions {
  settings: WedgeSettings;
  onScan(code: string): void;
  onImeChange(composing: boolean): void;
  fallbackTarget(): HTMLInputElement | null;
}

type TextField = HTMLInputElement | HTMLTextAreaElement;

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'tel', 'url', 'email', 'password']);

function isTextField(element: Element | null): element is TextField {
  if (element instanceof HTMLTextAreaElement) return !element.readOnly && !element.disabled;
  return element instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(element.type) && !element.readOnly && !element.disabled;
}

function insertText(field: TextField, text: string): void {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  const room = field.maxLength > 0 ? Math.max(0, field.maxLength - (field.value.length - (end - start))) : text.length;
  const typed = text.slice(0, room);
  if (typed === '') return;
  field.setRangeText(typed, start, end, 'end');
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: typed }));
}

function replay(text: string, fallbackTarget: () => HTMLInputElement | null): void {
  const active = document.activeElement;
  if (isTextField(active)) {
    insertText(active, text);
    return;
  }
  const fallback = fallbackTarget();
  if (fallback) {
    fallback.focus();
    insertText(fallback, text);
    return;
  }
  const target = active ?? document.body;
  for (const key of text) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
}

export function useWedgeScanner(options: WedgeScannerOptions): void {
  const latest = useRef(options);
  const detector = useRef<WedgeDetector | null>(null);
  useEffect(() => {
    latest.current = options;
  });

  useEffect(() => {
    const instance = createWedgeDetector({
      settings: latest.current.settings,
      clock: {
        now: () => performance.now(),
        setTimer: (callback, ms) => window.setTimeout(callback, ms),
        clearTimer: (handle) => window.clearTimeout(handle as number),
      },
      onScan: (code) => latest.current.onScan(code),
      onReplay: (text) => replay(text, () => latest.current.fallbackTarget()),
      onImeChange: (composing) => latest.current.onImeChange(composing),
    });
    detector.current = instance;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.isTrusted) return; // our own replayed keys, or a test's synthetic ones
      if (instance.handleKey(event) === 'hold') {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    };
    // A click moves focus: what was typed before it belongs where it was typed.
    const onPointerDown = () => instance.flush();
    window.addEventListener('keydown', onKeyDown, { capture: true });
    window.addEventListener('pointerdown', onPointerDown, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.removeEventListener('pointerdown', onPointerDown, { capture: true });
      instance.dispose();
      detector.current = null;
    };
  }, []);

  const { settings } = options;
  useEffect(() => {
    detector.current?.setSettings(settings);
  }, [settings]);
}
