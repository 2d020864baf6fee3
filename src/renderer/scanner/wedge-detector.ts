/**
 * Tells a keyboard-wedge scanner from a person typing, from key timing alone (issue 3, issue 10,
 * DESIGN.md §6). Pure: no DOM, the clock and the timer are injected, so every case is a unit test.
 *
 * A wedge scanner "types" its code as keystrokes a few milliseconds apart and ends with a suffix
 * key (Enter or Tab, per `settings:checkout`.scanner). A person types tens to hundreds of
 * milliseconds apart. Only timing tells them apart, and only after several keys, but by then the
 * first characters would already be in whatever field has focus (a quantity, a tender amount).
 *
 * The decision is made from the keys' own timestamps (KeyboardEvent.timeStamp: when the key was
 * pressed, not when a busy page got round to it), never from a wall-clock timer: on a loaded PC a
 * scanner's keys reach the page hundreds of milliseconds late, or in a flood after a long render,
 * and no timer can know that more of the burst is still on its way.
 *
 * 1. A burst is the run of keys whose timestamps are at most `maxInterKeyMs` apart. Every printable
 *    key is *held*: the caller stops its default action, so nothing is typed yet.
 * 2. The suffix key within `maxInterKeyMs` of the last character, with at least `minLength`
 *    characters in the burst, makes it a scan: the code goes to `onScan` (never to the focused
 *    field) and the suffix is swallowed too, so it does not submit a form.
 * 3. A key stamped more than `maxInterKeyMs` after the last one, a non-printable key (Backspace,
 *    arrows, a short burst's Enter), a modified key (Ctrl+C) or a held-down auto-repeating key ends
 *    the burst as typing: whatever is still held is *replayed* (`onReplay`) into the focused field,
 *    in order, before the key that ended it takes effect.
 * 4. So that typing shows at once, a timer *shows* the held characters (`onReplay`) once no key
 *    has arrived for `maxInterKeyMs`. That is only a guess: the burst stays open, and when later
 *    keys, stamped close to it, turn it into a scan after all, the characters shown are *taken
 *    back* (`onRetract`) before the code goes to `onScan`. A burst that looks like a scanner's
 *    therefore never ends up as typing, however late its keys arrive.
 *
 * The cost for a person is a delay of `maxInterKeyMs` (35 ms by default) before a character
 * appears, below what anyone notices.
 *
 * The same code scanned again within `repeatWindowMs` is a second unit when `repeatAddsUnit`,
 * otherwise a double read and dropped. A Chinese input method eats the scanner's keystrokes (the
 * browser reports `key === 'Process'` or `isComposing`), so the detector reports it, for a
 * "switch to English input" warning, and lets those keys through untouched.
 */

export interface WedgeSettings {
  /** A burst whose keys all came at most this far apart is a scanner. */
  maxInterKeyMs: number;
  minLength: number;
  suffix: 'Enter' | 'Tab';
  repeatAddsUnit: boolean;
  repeatWindowMs: number;
}

export interface WedgeClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The parts of a KeyboardEvent the detector reads. */
export interface WedgeKey {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  repeat?: boolean;
  isComposing?: boolean;
  /** When the key was pressed (KeyboardEvent.timeStamp, on the clock's timeline); else the clock's now. */
  timeStamp?: number;
}

/** `hold`: stop the key's default action and its other listeners. `pass`: let it through. */
export type WedgeVerdict = 'hold' | 'pass';

export interface WedgeHandlers {
  /** A scanned code, suffix stripped. */
  onScan(code: string): void;
  /** Characters that may be typing: put them where they would have gone. */
  onReplay(text: string): void;
  /**
   * The last characters replayed (`text`, the concatenation of the latest `onReplay` calls) were a
   * scanner's after all: take them back out of wherever they went.
   */
  onRetract(text: string): void;
  /** An input method started (true) or stopped (false) eating keystrokes. */
  onImeChange?(composing: boolean): void;
}

export interface WedgeDetector {
  handleKey(key: WedgeKey): WedgeVerdict;
  setSettings(settings: WedgeSettings): void;
  /** Characters held right now (for tests and debugging). */
  held(): string;
  /** Characters of the open burst already shown as typing, which a scan would take back. */
  shown(): string;
  /** Settles anything held as typing now (focus is about to move, a dialog is closing). */
  flush(): void;
  /** Drops anything held and the repeat memory, and stops the timer. */
  dispose(): void;
}

export const DEFAULT_WEDGE_SETTINGS: WedgeSettings = {
  maxInterKeyMs: 35,
  minLength: 6,
  suffix: 'Enter',
  repeatAddsUnit: true,
  repeatWindowMs: 800,
};

/** One printable character as a scanner sends it: a single code point, not a space or a control. */
export function isScannableCharacter(key: string): boolean {
  const chars = [...key];
  if (chars.length !== 1) return false;
  const code = key.codePointAt(0) ?? 0;
  return code > 0x20 && code !== 0x7f;
}

export function createWedgeDetector(options: { settings?: WedgeSettings; clock: WedgeClock } & WedgeHandlers): WedgeDetector {
  const { clock, onScan, onReplay, onRetract } = options;
  const onImeChange = options.onImeChange ?? (() => {});
  let settings = options.settings ?? DEFAULT_WEDGE_SETTINGS;
  /** The open burst: characters held back, and characters already shown as (maybe) typing. */
  let held = '';
  let shown = '';
  /** The timestamp of the burst's last character. */
  let lastKeyAt = 0;
  let timer: unknown = null;
  let lastScan: { code: string; at: number } | null = null;
  let composing = false;

  const stopTimer = () => {
    if (timer !== null) clock.clearTimer(timer);
    timer = null;
  };

  /** Shows what is held as typing, without closing the burst: later keys may still take it back. */
  const showHeld = () => {
    if (held === '') return;
    const text = held;
    held = '';
    shown += text;
    onReplay(text);
  };

  /** The burst was typing: what is held goes where it was typed, and what was shown stays. */
  const endAsTyping = () => {
    stopTimer();
    showHeld();
    shown = '';
  };

  const setComposing = (value: boolean) => {
    if (composing === value) return;
    composing = value;
    onImeChange(value);
  };

  const deliverScan = (code: string, at: number) => {
    const isRepeat = lastScan !== null && lastScan.code === code && at - lastScan.at <= settings.repeatWindowMs;
    // A dropped double read does not extend the window: the next deliberate scan still counts.
    if (isRepeat && !settings.repeatAddsUnit) return;
    lastScan = { code, at };
    onScan(code);
  };

  return {
    handleKey(key) {
      if (key.isComposing || key.key === 'Process') {
        endAsTyping();
        setComposing(true);
        return 'pass';
      }
      // A scanner presses Shift for capitals and ':' (a member card's `MBR:`): the modifier's own
      // press is neither typing nor the end of a burst.
      if (key.key === 'Shift') return 'pass';
      // The press's own time, not when a busy main thread got round to it.
      const at = key.timeStamp ?? clock.now();
      const inBurst = held !== '' || shown !== '';
      if (inBurst && at - lastKeyAt > settings.maxInterKeyMs) endAsTyping();

      const modified = key.ctrlKey === true || key.altKey === true || key.metaKey === true;
      if (!modified && key.repeat !== true && isScannableCharacter(key.key)) {
        setComposing(false);
        held += key.key;
        lastKeyAt = at;
        stopTimer();
        // One past the limit: a key exactly maxInterKeyMs later still belongs to the burst.
        timer = clock.setTimer(() => {
          timer = null;
          showHeld();
        }, settings.maxInterKeyMs + 1);
        return 'hold';
      }

      const code = shown + held;
      if (!modified && key.key === settings.suffix && code.length >= settings.minLength && at - lastKeyAt <= settings.maxInterKeyMs) {
        stopTimer();
        if (shown !== '') onRetract(shown);
        held = '';
        shown = '';
        deliverScan(code, at);
        return 'hold';
      }

      endAsTyping();
      return 'pass';
    },

    setSettings(next) {
      endAsTyping();
      settings = next;
    },

    held: () => held,

    shown: () => shown,

    flush: endAsTyping,

    dispose() {
      stopTimer();
      held = '';
      shown = '';
      lastScan = null;
    },
  };
}
