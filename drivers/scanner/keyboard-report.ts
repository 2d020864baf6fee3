import type { Scan } from './hid-pos-report';

/**
 * Scanners in keyboard mode send USB HID boot keyboard reports (HID 1.11 appendix B.1):
 * byte 0 modifier bits (0x02 left shift, 0x20 right shift), byte 1 reserved, bytes 2..7 the
 * usage ids of the keys down (HID Usage Tables, page 0x07). A character is typed when its key
 * appears in a report; the scanner releases (an all-zero report) between characters, so "00"
 * is press, release, press. We decode with the US layout, as scanners default to it, and end
 * a scan at Enter (or Tab, when the scanner is set to send Tab).
 */
const UNSHIFTED: Record<number, string> = {};
const SHIFTED: Record<number, string> = {};
for (let k = 0; k < 26; k++) {
  UNSHIFTED[0x04 + k] = String.fromCharCode(0x61 + k);
  SHIFTED[0x04 + k] = String.fromCharCode(0x41 + k);
}
'1234567890'.split('').forEach((c, k) => (UNSHIFTED[0x1e + k] = c));
'!@#$%^&*()'.split('').forEach((c, k) => (SHIFTED[0x1e + k] = c));
const PUNCT: Array<[number, string, string]> = [
  [0x2c, ' ', ' '],
  [0x2d, '-', '_'],
  [0x2e, '=', '+'],
  [0x2f, '[', '{'],
  [0x30, ']', '}'],
  [0x31, '\\', '|'],
  [0x33, ';', ':'],
  [0x34, "'", '"'],
  [0x35, '`', '~'],
  [0x36, ',', '<'],
  [0x37, '.', '>'],
  [0x38, '/', '?'],
  // keypad
  [0x54, '/', '/'],
  [0x55, '*', '*'],
  [0x56, '-', '-'],
  [0x57, '+', '+'],
  [0x59, '1', '1'],
  [0x5a, '2', '2'],
  [0x5b, '3', '3'],
  [0x5c, '4', '4'],
  [0x5d, '5', '5'],
  [0x5e, '6', '6'],
  [0x5f, '7', '7'],
  [0x60, '8', '8'],
  [0x61, '9', '9'],
  [0x62, '0', '0'],
  [0x63, '.', '.'],
];
for (const [usage, plain, shifted] of PUNCT) {
  UNSHIFTED[usage] = plain;
  SHIFTED[usage] = shifted;
}
const ENTER = new Set([0x28, 0x58]);
const TAB = 0x2b;
const ROLLOVER_ERROR = 0x01;

export interface KeyboardDecoderOptions {
  readonly terminator?: 'enter' | 'tab';
  /** When the keyboard interface numbers its reports, the id to strip; default none. */
  readonly reportId?: number | null;
}

export function createKeyboardReportDecoder(options: KeyboardDecoderOptions = {}) {
  const terminator = options.terminator ?? 'enter';
  const reportId = options.reportId ?? null;
  let down = new Set<number>();
  let text = '';
  return {
    /** Returns a scan when this report completed one (its terminator key went down). */
    push(report: Uint8Array): Scan | null {
      let r = report;
      if (reportId !== null) {
        if (r[0] !== reportId) return null;
        r = r.subarray(1);
      }
      if (r.length < 8) return null;
      const keys = Array.from(r.subarray(2, 8)).filter((k) => k !== 0);
      if (keys.includes(ROLLOVER_ERROR)) return null; // phantom state: keys unknown, keep the old set
      const shift = (r[0]! & 0x22) !== 0;
      let done: Scan | null = null;
      for (const k of keys) {
        if (down.has(k)) continue;
        if (ENTER.has(k) || (k === TAB && terminator === 'tab')) {
          if (text !== '') done = { text, bytes: new TextEncoder().encode(text), aim: null, symbology: null, source: 'keyboard' };
          text = '';
          continue;
        }
        const ch = (shift ? SHIFTED : UNSHIFTED)[k];
        if (ch !== undefined) text += ch;
      }
      down = new Set(keys);
      return done;
    },
    reset(): void {
      down = new Set();
      text = '';
    },
  };
}
