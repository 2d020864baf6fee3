import { DriverError } from '../driver-error';

/**
 * The three command sets 2×20 customer pole displays speak (most displays have a DIP switch or
 * menu to pick one). We draw each frame with absolute cursor moves and full 20-character lines,
 * so a frame never depends on what was on the display before, and a display that was power
 * cycled or replugged shows the right thing after one frame.
 *
 * - epson: Epson ESC/POS customer display commands (DM-D series):
 *   ESC @ init, US MD1 (1F 01) overwrite mode, US C 0 (1F 43 00) cursor off,
 *   US $ x y (1F 24 x y, 1-based) cursor position, CLR (0C) clear.
 *   https://download4.epson.biz/sec_pubs/pos/reference_en/escpos/ ("Customer display" commands)
 * - cd5220: Partner Tech CD5220 command set: ESC @ init, ESC Q A text CR upper line,
 *   ESC Q B text CR lower line, CLR (0C).
 * - logic-controls: Logic Controls PD3000/LD9000 command set: 1F reset, 11 normal display mode,
 *   14 cursor off, 10 n cursor to digit n (00..27 hex; row 2 starts at 14 hex).
 */
export type DisplayCommandSet = 'epson' | 'cd5220' | 'logic-controls';

export const DISPLAY_COMMAND_SETS: readonly DisplayCommandSet[] = ['epson', 'cd5220', 'logic-controls'];
export const DISPLAY_COLUMNS = 20;

export interface DisplayProtocol {
  readonly name: DisplayCommandSet;
  /** Sent after every (re)connect, before the first frame. */
  init(): Uint8Array;
  /** Both lines, each exactly 20 printable ASCII characters. */
  frame(line1: string, line2: string): Uint8Array;
}

export class UnknownDisplayCommandSetError extends DriverError {
  readonly code = 'DISPLAY_COMMAND_SET_UNKNOWN';

  constructor(readonly commandSet: string) {
    super(`unknown pole display command set "${commandSet}"; supported: ${DISPLAY_COMMAND_SETS.join(', ')}`);
  }
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

const PROTOCOLS: Record<DisplayCommandSet, DisplayProtocol> = {
  epson: {
    name: 'epson',
    init: () => Uint8Array.from([0x1b, 0x40, 0x1f, 0x01, 0x1f, 0x43, 0x00]),
    frame: (a, b) => Uint8Array.from([0x1f, 0x24, 1, 1, ...ascii(a), 0x1f, 0x24, 1, 2, ...ascii(b)]),
  },
  cd5220: {
    name: 'cd5220',
    init: () => Uint8Array.from([0x1b, 0x40]),
    frame: (a, b) => Uint8Array.from([0x1b, 0x51, 0x41, ...ascii(a), 0x0d, 0x1b, 0x51, 0x42, ...ascii(b), 0x0d]),
  },
  'logic-controls': {
    name: 'logic-controls',
    init: () => Uint8Array.from([0x1f, 0x11, 0x14]),
    frame: (a, b) => Uint8Array.from([0x10, 0x00, ...ascii(a), 0x10, DISPLAY_COLUMNS, ...ascii(b)]),
  },
};

export function getDisplayProtocol(name: string): DisplayProtocol {
  if (!(DISPLAY_COMMAND_SETS as readonly string[]).includes(name)) throw new UnknownDisplayCommandSetError(name);
  return PROTOCOLS[name as DisplayCommandSet];
}
