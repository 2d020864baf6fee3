/**
 * Connects the wedge detector (scanner/wedge-detector.ts) to the window: it sees every key first
 * (capture phase), holds what may be a scan, and puts typing back where it was going.
 *
 * Replay: into the focused text field at its caret, as the browser would have typed it (an
 * `input` event, so React's onChange sees it); with no text field focused, into `fallbackTarget`
 * (the scan field when nothing else is open); otherwise as synthetic key presses to the focused
 * element, so a PIN pad's key handler gets its digits. Those synthetic presses are untrusted, and
 * the detector lets untrusted keys through.
 *
 * Retract: a replay is remembered (the field, where the text went in, the text) until the detector
 * takes it back because later keys proved the burst a scan; then the text comes out of the field
 * again (an `input` event, so React sees it), or, for synthetic presses, one Backspace each.
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

/** Where one replay went: into a field (at `start`, the text as it went in, which may be cut by maxLength), or as key presses. */
type Replayed = { field: TextField; start: number; text: string; replaced: string } | { target: EventTarget; text: string };

function insertText(field: TextField, text: string): Replayed {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  const room = field.maxLength > 0 ? Math.max(0, field.maxLength - (field.value.length - (end - start))) : text.length;
  const typed = text.slice(0, room);
  const replaced = field.value.slice(start, end);
  if (typed !== '') {
    field.setRangeText(typed, start, end, 'end');
    field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: typed }));
  }
  return { field, start, text: typed, replaced };
}

/**
 * `typedInto`: the field that had focus when the first of these characters was typed. They go
 * back there even if focus has moved since without a key or a click (a form focusing its next
 * field, a test's fill): replayed into whatever is focused now, a quantity typed into one field
 * ended up at the end of a barcode in another.
 */
function replay(text: string, typedInto: Element | null, fallbackTarget: () => HTMLInputElement | null): Replayed {
  if (typedInto?.isConnected && isTextField(typedInto)) return insertText(typedInto, text);
  const active = document.activeElement;
  if (isTextField(active)) return insertText(active, text);
  const fallback = fallbackTarget();
  if (fallback) {
    fallback.focus();
    return insertText(fallback, text);
  }
  const target = active ?? document.body;
  for (const key of text) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  return { target, text };
}

/** Takes one replay back out, if it is still where it was put (the cashier may have edited since). */
function retract(done: Replayed): void {
  if ('target' in done) {
    for (let i = 0; i < [...done.text].length; i++)
      done.target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Backspace', bubbles: true, cancelable: true }));
    return;
  }
  const { field, start, text, replaced } = done;
  if (text === '' || field.value.slice(start, start + text.length) !== text) return;
  field.setRangeText(replaced, start, start + text.length, 'end');
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
}

/**
 * The latest replays, newest last. The detector takes back the text of its open burst's replays,
 * which are always the latest ones: popping until that many characters are covered undoes exactly them.
 */
function replayLog() {
  let entries: { asked: number; done: Replayed }[] = [];
  return {
    add(text: string, done: Replayed) {
      entries.push({ asked: [...text].length, done });
      if (entries.length > 64) entries = entries.slice(-64);
    },
    takeBack(text: string) {
      let left = [...text].length;
      while (left > 0 && entries.length > 0) {
        const entry = entries.pop()!;
        left -= entry.asked;
        retract(entry.done);
      }
    },
  };
}

export function useWedgeScanner(options: WedgeScannerOptions): void {
  const latest = useRef(options);
  const detector = useRef<WedgeDetector | null>(null);
  useEffect(() => {
    latest.current = options;
  });

  useEffect(() => {
    const log = replayLog();
    let typedInto: Element | null = null; // where the characters held now were typed
    const instance = createWedgeDetector({
      settings: latest.current.settings,
      clock: {
        now: () => performance.now(),
        setTimer: (callback, ms) => window.setTimeout(callback, ms),
        clearTimer: (handle) => window.clearTimeout(handle as number),
      },
      onScan: (code) => {
        typedInto = null;
        latest.current.onScan(code);
      },
      onReplay: (text) => {
        const target = typedInto;
        typedInto = null;
        log.add(
          text,
          replay(text, target, () => latest.current.fallbackTarget()),
        );
      },
      onRetract: (text) => log.takeBack(text),
      onImeChange: (composing) => latest.current.onImeChange(composing),
    });
    detector.current = instance;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.isTrusted) return; // our own replayed keys, or a test's synthetic ones
      if (instance.held() === '') typedInto = null; // nothing is held, so nothing was typed anywhere yet
      const verdict = instance.handleKey(event);
      if (typedInto === null && instance.held() !== '') typedInto = document.activeElement;
      if (verdict === 'hold') {
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
