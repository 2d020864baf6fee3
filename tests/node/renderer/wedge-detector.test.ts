import { describe, expect, it } from 'vitest';
import {
  createWedgeDetector,
  isScannableCharacter,
  type WedgeClock,
  type WedgeKey,
  type WedgeSettings,
} from '../../../src/renderer/scanner/wedge-detector';

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
  const retracts: string[] = [];
  const ime: boolean[] = [];
  /** What reached the page, in order: replayed text as `text:…`, taken back as `untext:…`, passed keys as `key:…`. */
  const page: string[] = [];
  /** The focused field: replays go in at the end, a retract must take back exactly its tail. */
  const field = { value: '' };
  const detector = createWedgeDetector({
    settings: { ...settings, ...overrides },
    clock,
    onScan: (code) => scans.push(code),
    onReplay: (text) => {
      replays.push(text);
      page.push(`text:${text}`);
      field.value += text;
    },
    onRetract: (text) => {
      retracts.push(text);
      page.push(`untext:${text}`);
      expect(field.value.endsWith(text)).toBe(true);
      field.value = field.value.slice(0, field.value.length - text.length);
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
  return { clock, detector, scans, replays, retracts, field, ime, page, press, type, scan };
}

describe('wedge scanner detection', () => {
  it('a fast burst ending in Enter is a scan, and neither its characters nor the Enter reach the page', () => {
    const { scan, scans, page } = setup();
    expect(scan('4890000000011')).toBe('hold');
    expect(scans).toEqual(['4890000000011']);
    expect(page).toEqual([]);
  });

  it('a scanner pressing Shift for capitals and ":" (a member card, MBR:M90000001) is still one scan', () => {
    const { press, clock, scans, page } = setup();
    for (const ch of 'MBR:M90000001') {
      if (/[A-Z:]/.test(ch)) press('Shift');
      clock.advance(2);
      press(ch);
      clock.advance(2);
    }
    expect(press('Enter')).toBe('hold');
    expect(scans).toEqual(['MBR:M90000001']);
    // only the Shift presses themselves passed; no character reached the page
    expect(page.every((p) => p === 'key:Shift')).toBe(true);
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
    const detector = createWedgeDetector({
      settings,
      clock: stuck,
      onScan: () => {},
      onReplay: (t) => replays.push(t),
      onRetract: () => {},
    });
    detector.handleKey({ key: 'a' });
    clock.advance(500);
    detector.handleKey({ key: 'b' });
    expect(replays).toEqual(['a']);
    expect(detector.held()).toBe('b');
  });

  describe("decided by the keys' own timestamps, however late they arrive (issue 10)", () => {
    const code = '4891234000050';

    it('keys queued behind a busy main thread keep their burst: what a late timer showed is taken back', () => {
      const { press, clock, scans, field, page } = setup();
      // The scanner types 13 digits 2 ms apart from t0; the page reads the first five, then is blocked for 300 ms.
      const t0 = clock.now();
      [...code.slice(0, 5)].forEach((key, i) => press({ key, timeStamp: t0 + i * 2 }));
      clock.stall(300); // the timer runs late and shows "48912" as typing, while the rest is still queued
      expect(field.value).toBe('48912');
      [...code.slice(5)].forEach((key, i) => press({ key, timeStamp: t0 + (i + 5) * 2 }));
      expect(press({ key: 'Enter', timeStamp: t0 + 28 })).toBe('hold');
      expect(scans).toEqual([code]);
      expect(field.value).toBe('');
      expect(page).toEqual(['text:48912', 'untext:48912']);
    });

    it('a burst delivered 500 ms late in three pieces is one scan, and nothing shown stays', () => {
      const { press, clock, scans, field, page } = setup();
      const t0 = clock.now();
      const keys = [...code, 'Enter'].map((key, i) => ({ key, timeStamp: t0 + i * 3 }));
      keys.slice(0, 4).forEach(press);
      clock.advance(500); // the timer fires on time: "4891" is shown
      keys.slice(4, 9).forEach(press);
      clock.advance(600); // and again: "23400"
      keys.slice(9).forEach(press);
      expect(scans).toEqual([code]);
      expect(field.value).toBe('');
      expect(page).toEqual(['text:4891', 'text:23400', 'untext:489123400']);
    });

    it('the suffix alone arriving late still ends the scan it belongs to', () => {
      const { press, clock, scans, field } = setup();
      const t0 = clock.now();
      [...code].forEach((key, i) => press({ key, timeStamp: t0 + i * 5 }));
      clock.advance(700);
      expect(field.value).toBe(code);
      press({ key: 'Enter', timeStamp: t0 + 13 * 5 });
      expect(scans).toEqual([code]);
      expect(field.value).toBe('');
    });

    it("typing delivered all at once is still typing: its timestamps are a person's", () => {
      const { press, clock, scans, field, page } = setup();
      const t0 = clock.now();
      // A person typed a code 120 ms a key; a busy page reads every key together, 2 s later.
      clock.advance(2000);
      [...code].forEach((key, i) => press({ key, timeStamp: t0 + i * 120 }));
      expect(press({ key: 'Enter', timeStamp: t0 + 13 * 120 })).toBe('pass');
      expect(scans).toEqual([]);
      expect(field.value).toBe(code);
      expect(page.at(-1)).toBe('key:Enter');
      expect(page.some((entry) => entry.startsWith('untext:'))).toBe(false);
    });

    it('what was shown of a burst that then turns out slow stays typed', () => {
      const { press, clock, field, retracts, scans } = setup();
      const t0 = clock.now();
      ['m', 'i'].forEach((key, i) => press({ key, timeStamp: t0 + i * 20 }));
      clock.advance(300);
      press({ key: 'l', timeStamp: t0 + 300 });
      clock.advance(300);
      press({ key: 'Enter', timeStamp: t0 + 600 });
      expect(field.value).toBe('mil');
      expect(retracts).toEqual([]);
      expect(scans).toEqual([]);
    });

    it('200 scans under random delivery delays and stalls: every code once, no character left anywhere', () => {
      const { press, clock, scans, field } = setup();
      let seed = 20261202;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const codes: string[] = [];
      for (let n = 0; n < 200; n++) {
        const scanned = `48912340${String(10000 + n).slice(1)}`;
        codes.push(scanned);
        // Stamped 5–30 ms apart, as the scanner was.
        let stamp = clock.now();
        [...scanned, 'Enter'].forEach((key) => {
          stamp += 5 + Math.floor(random() * 26);
          press({ key, timeStamp: stamp });
          const roll = random();
          if (roll < 0.1)
            clock.advance(500 + Math.floor(random() * 200)); // delivered late
          else if (roll < 0.15) clock.stall(300); // main thread blocked
        });
        clock.advance(1000); // the next customer's item
      }
      expect(scans).toEqual(codes);
      expect(field.value).toBe('');
    });
  });

  it('a late timer with no keys behind it shows typing as soon as it runs', () => {
    const { press, clock, replays } = setup();
    press('7');
    clock.stall(120);
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
