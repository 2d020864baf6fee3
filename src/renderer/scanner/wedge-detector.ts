/**
 * Tells a keyboard-wedge scanner from a person typing, from key timing alone (issue 3, DESIGN.md §6).
 * Pure: no DOM, the clock and the timer are injected, so every case is a unit test.
 *
 * A wedge scanner "types" its code as keystrokes a few milliseconds apart and ends with a suffix
 * key (Enter or Tab, per `settings:checkout`.scanner). A person types tens to hundreds of
 * milliseconds apart. Only timing tells them apart, and only after several keys, but by then the
 * first characters would already be in whatever field has focus (a quantity, a tender amount).
 * So the detector holds characters back:
 *
 * 1. Every printable key is *held*: the caller stops its default action, so nothing is typed yet.
 * 2. While keys keep arriving within `maxInterKeyMs` of each other, they join the held burst.
 * 3. The suffix key within `maxInterKeyMs` of the last character, with at least `minLength` held,
 *    makes it a scan: the code goes to `onScan` (never to the focused field) and the suffix is
 *    swallowed too, so it does not submit a form.
 * 4. Anything else settles it as typing and the held characters are *replayed* (`onReplay`) into
 *    the focused field, in order, before the key that ended it takes effect: a gap longer than
 *    `maxInterKeyMs` (a timer), a non-printable key (Backspace, arrows, a short burst's Enter),
 *    a modified key (Ctrl+C) or a held-down auto-repeating key.
 *
 * Gaps are measured between the keys' own timestamps (KeyboardEvent.timeStamp), not when the page
 * got round to them, so keys queued behind a long render are still seen as the burst they were.
 *
 * The cost for a person is a delay of `maxInterKeyMs` (35 ms by default) before a character
 * appears, below what anyone notices. A person who types two keys within that time simply has
 * them replayed together.
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
  /** Characters that turned out to be typing: put them where they would have gone. */
  onReplay(text: string): void;
  /** An input method started (true) or stopped (false) eating keystrokes. */
  onImeChange?(composing: boolean): void;
}

export interface WedgeDetector {
  handleKey(key: WedgeKey): WedgeVerdict;
  setSettings(settings: WedgeSettings): void;
  /** Characters held right now (for tests and debugging). */
  held(): string;
  /** Settles anything held as typing now (focus is about to move, a dialog is closing). */
  flush(): void;
  /** Drops anything held and the repeat memory, and stops the timer. */
  dispose(): void;
}

export const DEFAULT_WEDGE_SETTINGS: WedgeSettings = { maxInterKeyMs: 35, minLength: 6, suffix: 'Enter', repeatAddsUnit: true, repeatWindowMs: 800 };

/** One printable character as a scanner sends it: a single code point, not a space or a control. */
export function isScannableCharacter(key: string): boolean {
  const chars = [...key];
  if (chars.length !== 1) return false;
  const code = key.codePointAt(0) ?? 0;
  return code > 0x20 && code !== 0x7f;
}

export function createWedgeDetector(options: { settings?: WedgeSettings; clock: WedgeClock } & WedgeHandlers): WedgeDetector {
  const { clock, onScan, onReplay } = options;
  const onImeChange = options.onImeChange ?? (() => {});
  let settings = options.settings ?? DEFAULT_WEDGE_SETTINGS;
  let buffer = '';
  let lastKeyAt = 0;
  let timer: unknown = null;
  let lastScan: { code: string; at: number } | null = null;
  let composing = false;

  const stopTimer = () => {
    if (timer !== null) clock.clearTimer(timer);
    timer = null;
  };

  const settleAsTyping = () => {
    stopTimer();
    if (buffer === '') return;
    const text = buffer;
    buffer = '';
    onReplay(text);
  };

  /**
   * Settles the held keys as typing once no key has followed. One past the limit: a key exactly
   * maxInterKeyMs later still belongs to the burst. A timer that fires late means the main thread
   * was busy (a big render), and the rest of a burst may be queued behind it with its own, close
   * timestamps: wait once more so those keys are read before deciding.
   */
  const armSettleTimer = (ms: number, mayDefer: boolean) => {
    const armedAt = clock.now();
    timer = clock.setTimer(() => {
      timer = null;
      if (mayDefer && clock.now() - armedAt > ms + settings.maxInterKeyMs) {
        armSettleTimer(settings.maxInterKeyMs, false);
        return;
      }
      settleAsTyping();
    }, ms);
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
        settleAsTyping();
        setComposing(true);
        return 'pass';
      }
      // The press's own time, not when a busy main thread got round to it: queued keys are not a burst.
      const now = key.timeStamp ?? clock.now();
      // A late timer (a busy main thread) must not glue a slow key onto a burst.
      if (buffer !== '' && now - lastKeyAt > settings.maxInterKeyMs) settleAsTyping();

      const modified = key.ctrlKey === true || key.altKey === true || key.metaKey === true;
      if (!modified && key.repeat !== true && isScannableCharacter(key.key)) {
        setComposing(false);
        buffer += key.key;
        lastKeyAt = now;
        stopTimer();
        armSettleTimer(settings.maxInterKeyMs + 1, true);
        return 'hold';
      }

      if (!modified && key.key === settings.suffix && buffer.length >= settings.minLength && now - lastKeyAt <= settings.maxInterKeyMs) {
        const code = buffer;
        buffer = '';
        stopTimer();
        deliverScan(code, now);
        return 'hold';
      }

      settleAsTyping();
      return 'pass';
    },

    setSettings(next) {
      settleAsTyping();
      settings = next;
    },

    held: () => buffer,

    flush: settleAsTyping,

    dispose() {
      stopTimer();
      buffer = '';
      lastScan = null;
    },
  };
}
