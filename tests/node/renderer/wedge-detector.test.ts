import { describe, expect, it } from 'vitest';
import { createWedgeDetector, isScannableCharacter, type WedgeClock, type WedgeKey, type WedgeSettings } from '../../../src/renderer/scanner/wedge-detector';

/** A clock that moves only when the test says so, firing timers that come due on the way. */
function fakeClock(): WedgeClock & { advance(ms: number): void; stall(ms: number): void; pendingTimers(): number } {
  let now = 1000;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimer(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimer(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
    },
    /** The main thread was busy for `ms`: timers that came due meanwhile run only now, late. */
    stall(ms) {
      now += ms;
      const due = [...timers.entries()].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at);
      for (const [id, t] of due) {
        timers.delete(id);
        t.callback();
      }
    },
    pendingTimers: () => timers.size,
  };
}

const settings: WedgeSettings = { maxInterKeyMs: 35, minLength: 6, suffix: 'Enter', repeatAddsUnit: true, repeatWindowMs: 800 };

function setup(overrides: Partial<WedgeSettings> = {}) {
  const clock = fakeClock();
  const scans: string[] = [];
  const replays: string[] = [];
  const ime: boolean[] = [];
  /** What reached the page, in order: replayed text as `text:…`, passed keys as `key:…`. */
  const page: string[] = [];
  const detector = createWedgeDetector({
    settings: { ...settings, ...overrides },
    clock,
    onScan: (code) => scans.push(code),
    onReplay: (text) => {
      replays.push(text);
      page.push(`text:${text}`);
    },
    onImeChange: (composing) => ime.push(composing),
  });
  const press = (key: string | WedgeKey) => {
    const event = typeof key === 'string' ? { key } : key;
    const verdict = detector.handleKey(event);
    if (verdict === 'pass') page.push(`key:${event.key}`);
    return verdict;
  };
  /** Types `text` with `gapMs` between keys (the first key now), then optionally a suffix after `suffixGapMs`. */
  const type = (text: string, gapMs: number) => {
    const verdicts: string[] = [];
    [...text].forEach((ch, i) => {
      if (i > 0) clock.advance(gapMs);
      verdicts.push(press(ch));
    });
    return verdicts;
  };
  const scan = (code: string, gapMs = 5, suffix: string = settings.suffix) => {
    type(code, gapMs);
    clock.advance(gapMs);
    return press(suffix);
  };
  return { clock, detector, scans, replays, ime, page, press, type, scan };
}

describe('wedge scanner detection', () => {
  it('a fast burst ending in Enter is a scan, and neither its characters nor the Enter reach the page', () => {
    const { scan, scans, page } = setup();
    expect(scan('4890000000011')).toBe('hold');
    expect(scans).toEqual(['4890000000011']);
    expect(page).toEqual([]);
  });

  it('holds every character of a burst while it may still be a scan', () => {
    const { type, detector } = setup();
    expect(type('489000', 4)).toEqual(['hold', 'hold', 'hold', 'hold', 'hold', 'hold']);
    expect(detector.held()).toBe('489000');
  });

  it('keys exactly maxInterKeyMs apart are still a scanner', () => {
    const { scan, scans, replays } = setup();
    scan('12345678', 35);
    expect(scans).toEqual(['12345678']);
    expect(replays).toEqual([]);
  });

  it('slow typing is replayed into the focused field one character at a time', () => {
    const { type, clock, replays, scans, page } = setup();
    type('12', 150);
    clock.advance(150);
    expect(replays).toEqual(['1', '2']);
    expect(scans).toEqual([]);
    expect(page).toEqual(['text:1', 'text:2']);
  });

  it('a replay comes as soon as the gap passes maxInterKeyMs, not at the next key', () => {
    const { press, clock, replays } = setup();
    press('7');
    clock.advance(35);
    expect(replays).toEqual([]);
    clock.advance(1);
    expect(replays).toEqual(['7']);
  });

  it('slow typing followed by Enter types the text and then lets Enter submit', () => {
    const { type, clock, press, page, scans } = setup();
    type('4890000000011', 120);
    clock.advance(120);
    expect(press('Enter')).toBe('pass');
    expect(scans).toEqual([]);
    expect(page.at(-1)).toBe('key:Enter');
    expect(page.slice(0, -1).join('').replaceAll('text:', '')).toBe('4890000000011');
  });

  it('a fast but short burst (a quick "12" then Enter in a quantity field) is typing: replayed before the Enter', () => {
    const { type, clock, press, page, scans } = setup();
    type('12', 10);
    clock.advance(10);
    expect(press('Enter')).toBe('pass');
    expect(scans).toEqual([]);
    expect(page).toEqual(['text:12', 'key:Enter']);
  });

  it('a burst whose suffix comes too late is typing', () => {
    const { type, clock, press, scans, page } = setup();
    type('4890000000011', 5);
    clock.advance(200);
    expect(press('Enter')).toBe('pass');
    expect(scans).toEqual([]);
    expect(page).toEqual(['text:4890000000011', 'key:Enter']);
  });

  it('a burst with one slow key in the middle splits: the first part is typing, the rest can still scan', () => {
    const { type, clock, press, scans, replays } = setup();
    type('123', 5);
    clock.advance(100);
    type('4567890', 5);
    clock.advance(5);
    press('Enter');
    expect(replays).toEqual(['123']);
    expect(scans).toEqual(['4567890']);
  });

  it('a late timer does not glue a slow key onto the burst', () => {
    const clock = fakeClock();
    const replays: string[] = [];
    // Timers that never fire: the main thread was busy.
    const stuck: WedgeClock = { now: clock.now, setTimer: () => 0, clearTimer: () => {} };
    const detector = createWedgeDetector({ settings, clock: stuck, onScan: () => {}, onReplay: (t) => replays.push(t) });
    detector.handleKey({ key: 'a' });
    clock.advance(500);
    detector.handleKey({ key: 'b' });
    expect(replays).toEqual(['a']);
    expect(detector.held()).toBe('b');
  });

  it('keys queued behind a busy main thread keep their burst: a late timer waits for them once', () => {
    const clock = fakeClock();
    const scans: string[] = [];
    const replays: string[] = [];
    const detector = createWedgeDetector({ settings, clock, onScan: (c) => scans.push(c), onReplay: (t) => replays.push(t) });
    // The scanner types 13 digits 2 ms apart from t0; the page reads the first five, then renders for 120 ms.
    const t0 = clock.now();
    const code = '4891234000050';
    [...code.slice(0, 5)].forEach((key, i) => detector.handleKey({ key, timeStamp: t0 + i * 2 }));
    clock.stall(120); // the settle timer runs late, while the rest of the burst is still queued
    expect(replays).toEqual([]);
    [...code.slice(5)].forEach((key, i) => detector.handleKey({ key, timeStamp: t0 + (i + 5) * 2 }));
    detector.handleKey({ key: 'Enter', timeStamp: t0 + 28 });
    expect(scans).toEqual([code]);
    expect(replays).toEqual([]);
  });

  it('a late timer with no keys behind it still settles typing, just after', () => {
    const { press, clock, replays } = setup();
    press('7');
    clock.stall(120);
    expect(replays).toEqual([]);
    clock.advance(36);
    expect(replays).toEqual(['7']);
  });

  it('Backspace, arrows and other named keys settle what is held as typing, in order', () => {
    const { press, page } = setup();
    press('5');
    press('Backspace');
    press('6');
    press('ArrowLeft');
    expect(page).toEqual(['text:5', 'key:Backspace', 'text:6', 'key:ArrowLeft']);
  });

  it('Ctrl, Alt and Meta shortcuts pass and settle what is held', () => {
    const { press, page } = setup();
    press('1');
    expect(press({ key: 'v', ctrlKey: true })).toBe('pass');
    expect(press({ key: 'x', altKey: true })).toBe('pass');
    expect(press({ key: 'c', metaKey: true })).toBe('pass');
    expect(page).toEqual(['text:1', 'key:v', 'key:x', 'key:c']);
  });

  it('a held-down key auto-repeating is a person, not a scanner', () => {
    const { press, clock, page, scans } = setup();
    press('0');
    for (let i = 0; i < 8; i++) {
      clock.advance(30);
      press({ key: '0', repeat: true });
    }
    clock.advance(30);
    press('Enter');
    expect(scans).toEqual([]);
    expect(page[0]).toBe('text:0');
  });

  it('spaces are never part of a code: a space settles the burst and passes', () => {
    const { type, press, page } = setup();
    type('milk', 5);
    expect(press(' ')).toBe('pass');
    expect(page).toEqual(['text:milk', 'key: ']);
  });

  it('shifted capitals in a Code 128 scan stay in the code', () => {
    const { scan, scans } = setup();
    scan('MK01-01-000123');
    expect(scans).toEqual(['MK01-01-000123']);
  });

  describe('suffix', () => {
    it('Tab ends a scan when the scanner is set to Tab, and is swallowed so focus stays', () => {
      const { scan, scans, page } = setup({ suffix: 'Tab' });
      expect(scan('4890000000011', 5, 'Tab')).toBe('hold');
      expect(scans).toEqual(['4890000000011']);
      expect(page).toEqual([]);
    });

    it('with a Tab suffix, Enter after a burst is not a scan', () => {
      const { scan, scans, page } = setup({ suffix: 'Tab' });
      expect(scan('4890000000011', 5, 'Enter')).toBe('pass');
      expect(scans).toEqual([]);
      expect(page).toEqual(['text:4890000000011', 'key:Enter']);
    });

    it('a burst with no suffix at all is replayed as typing', () => {
      const { type, clock, scans, replays } = setup();
      type('4890000000011', 5);
      clock.advance(100);
      expect(scans).toEqual([]);
      expect(replays).toEqual(['4890000000011']);
    });

    it('the suffix alone, with nothing held, passes (Enter still submits a form)', () => {
      const { press, page } = setup();
      expect(press('Enter')).toBe('pass');
      expect(page).toEqual(['key:Enter']);
    });
  });

  describe('minimum length', () => {
    it('one character short of minLength is typing', () => {
      const { scan, scans, page } = setup({ minLength: 6 });
      expect(scan('12345')).toBe('pass');
      expect(scans).toEqual([]);
      expect(page).toEqual(['text:12345', 'key:Enter']);
    });

    it('exactly minLength is a scan', () => {
      const { scan, scans } = setup({ minLength: 6 });
      scan('123456');
      expect(scans).toEqual(['123456']);
    });

    it('follows new settings from main', () => {
      const { detector, scan, scans } = setup({ minLength: 6 });
      detector.setSettings({ ...settings, minLength: 4 });
      scan('1234');
      expect(scans).toEqual(['1234']);
    });
  });

  describe('the same code twice', () => {
    it('within the window adds a second unit when repeatAddsUnit', () => {
      const { scan, clock, scans } = setup({ repeatAddsUnit: true, repeatWindowMs: 800 });
      scan('4890000000011');
      clock.advance(300);
      scan('4890000000011');
      expect(scans).toEqual(['4890000000011', '4890000000011']);
    });

    it('within the window is a double read, ignored, when not repeatAddsUnit', () => {
      const { scan, clock, scans, page } = setup({ repeatAddsUnit: false, repeatWindowMs: 800 });
      scan('4890000000011');
      clock.advance(300);
      expect(scan('4890000000011')).toBe('hold');
      expect(scans).toEqual(['4890000000011']);
      expect(page).toEqual([]);
    });

    it('after the window counts again, even when not repeatAddsUnit', () => {
      const { scan, clock, scans } = setup({ repeatAddsUnit: false, repeatWindowMs: 800 });
      scan('4890000000011');
      clock.advance(900);
      scan('4890000000011');
      expect(scans).toHaveLength(2);
    });

    it('an ignored double read does not stretch the window for the next scan', () => {
      const { scan, clock, scans } = setup({ repeatAddsUnit: false, repeatWindowMs: 800 });
      scan('4890000000011'); // t ≈ 0
      clock.advance(500);
      scan('4890000000011'); // ignored
      clock.advance(400); // > 800 ms since the accepted one
      scan('4890000000011');
      expect(scans).toHaveLength(2);
    });

    it('a different code inside the window always counts', () => {
      const { scan, clock, scans } = setup({ repeatAddsUnit: false });
      scan('4890000000011');
      clock.advance(100);
      scan('4890000000028');
      expect(scans).toEqual(['4890000000011', '4890000000028']);
    });
  });

  describe('input method', () => {
    it('a composing IME is reported once and its keys pass untouched', () => {
      const { press, ime, scans, page } = setup();
      expect(press({ key: 'Process' })).toBe('pass');
      expect(press({ key: 'Process' })).toBe('pass');
      expect(press({ key: '4', isComposing: true })).toBe('pass');
      expect(ime).toEqual([true]);
      expect(scans).toEqual([]);
      expect(page).toEqual(['key:Process', 'key:Process', 'key:4']);
    });

    it('the warning clears at the next plain key, and scanning works again', () => {
      const { press, scan, ime, scans } = setup();
      press({ key: 'Process' });
      scan('4890000000011');
      expect(ime).toEqual([true, false]);
      expect(scans).toEqual(['4890000000011']);
    });

    it('an IME starting mid-burst settles what was held as typing', () => {
      const { press, page } = setup();
      press('a');
      press({ key: 'Process' });
      expect(page).toEqual(['text:a', 'key:Process']);
    });
  });

  it('mixed: typing, a scan, typing again, each goes to the right place', () => {
    const { type, scan, clock, press, scans, page } = setup();
    type('2', 0);
    clock.advance(200);
    scan('4890000000028');
    clock.advance(300);
    type('3', 0);
    clock.advance(200);
    press('Enter');
    expect(scans).toEqual(['4890000000028']);
    expect(page).toEqual(['text:2', 'text:3', 'key:Enter']);
  });

  it('flush settles what is held now; dispose drops it and stops the timer', () => {
    const { press, detector, clock, replays } = setup();
    press('9');
    detector.flush();
    expect(replays).toEqual(['9']);
    press('8');
    detector.dispose();
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(100);
    expect(replays).toEqual(['9']);
  });

  it('knows a scanner character from a named key', () => {
    expect(isScannableCharacter('4')).toBe(true);
    expect(isScannableCharacter('-')).toBe(true);
    expect(isScannableCharacter(' ')).toBe(false);
    expect(isScannableCharacter('Enter')).toBe(false);
    expect(isScannableCharacter('F2')).toBe(false);
    expect(isScannableCharacter('Dead')).toBe(false);
  });
});
