import type { DisplayCommandSet } from '../display/command-sets';

const COLS = 20;

/**
 * The screen of a 2×20 pole display, driven by the bytes the display would receive: the half of
 * the display emulator that decodes commands. It follows each command set's documented cursor
 * rules, so a test sees what a customer would see (including the effect of a frame that was cut
 * off mid-way). Bytes may arrive split anywhere; an incomplete command waits for the rest.
 */
export interface DisplayScreen {
  feed(bytes: Uint8Array): void;
  lines(): [string, string];
}

export function createDisplayScreen(commandSet: DisplayCommandSet): DisplayScreen {
  const rows = [Array<string>(COLS).fill(' '), Array<string>(COLS).fill(' ')];
  let row = 0;
  let col = 0;
  let pending: number[] = [];
  /** logic-controls: vertical scroll mode (its power-on default) vs normal mode. */
  let scrollMode = commandSet === 'logic-controls';

  const clear = (): void => {
    for (const r of rows) r.fill(' ');
    row = 0;
    col = 0;
  };
  const put = (b: number): void => {
    if (col >= COLS) {
      // Overwrite/normal mode: the cursor runs on to the start of the other line.
      col = 0;
      row = row === 0 ? 1 : 0;
    }
    rows[row]![col] = String.fromCharCode(b);
    col++;
  };
  const setLine = (r: number, text: number[]): void => {
    rows[r]!.fill(' ');
    text.slice(0, COLS).forEach((b, k) => (rows[r]![k] = String.fromCharCode(b)));
    row = r;
    col = Math.min(text.length, COLS);
  };
  const lineFeed = (): void => {
    if (row === 0) row = 1;
    else if (scrollMode) {
      rows[0] = rows[1]!;
      rows[1] = Array<string>(COLS).fill(' ');
    }
  };

  /** Consumes one command or character from `buf` at `i`; returns the bytes used, or 0 when incomplete. */
  const step = (buf: number[], i: number): number => {
    const b = buf[i]!;
    const need = (n: number): boolean => i + n <= buf.length;
    if (b >= 0x20 && b < 0x7f) {
      put(b);
      return 1;
    }
    if (b === 0x0d) {
      col = 0;
      return 1;
    }
    if (b === 0x0a) {
      lineFeed();
      return 1;
    }
    if (b === 0x08) {
      col = Math.max(0, col - 1);
      rows[row]![col] = commandSet === 'logic-controls' ? ' ' : rows[row]![col]!;
      return 1;
    }
    if (b === 0x09) {
      col = Math.min(COLS, col + 1);
      return 1;
    }
    if (commandSet === 'logic-controls') {
      switch (b) {
        case 0x1f:
          clear();
          scrollMode = true;
          return 1;
        case 0x11:
          scrollMode = false;
          return 1;
        case 0x12:
          scrollMode = true;
          return 1;
        case 0x13:
        case 0x14:
          return 1;
        case 0x04:
          return need(2) ? 2 : 0;
        case 0x10: {
          if (!need(2)) return 0;
          const pos = Math.min(buf[i + 1]!, 2 * COLS - 1);
          row = pos >= COLS ? 1 : 0;
          col = pos % COLS;
          return 2;
        }
        default:
          return 1;
      }
    }
    // epson and cd5220 share the ESC/POS display basics.
    if (b === 0x0c) {
      clear();
      return 1;
    }
    if (b === 0x0b) {
      row = 0;
      col = 0;
      return 1;
    }
    if (b === 0x18) {
      rows[row]!.fill(' ');
      col = 0;
      return 1;
    }
    if (b === 0x1b) {
      if (!need(2)) return 0;
      const c = buf[i + 1]!;
      if (c === 0x40) {
        clear();
        return 2;
      }
      if (c === 0x3d) return need(3) ? 3 : 0;
      if (commandSet === 'cd5220' && c === 0x51) {
        if (!need(3)) return 0;
        const end = buf.indexOf(0x0d, i + 3);
        if (end < 0) return 0;
        const which = buf[i + 2]!;
        if (which === 0x41 || which === 0x44) setLine(0, buf.slice(i + 3, end));
        else if (which === 0x42) setLine(1, buf.slice(i + 3, end));
        return end - i + 1;
      }
      if (commandSet === 'cd5220' && c === 0x6c) {
        if (!need(4)) return 0;
        col = Math.max(0, Math.min(COLS, buf[i + 2]! - 1));
        row = buf[i + 3] === 2 ? 1 : 0;
        return 4;
      }
      return 2;
    }
    if (b === 0x1f && commandSet === 'epson') {
      if (!need(2)) return 0;
      const c = buf[i + 1]!;
      if (c === 0x24) {
        if (!need(4)) return 0;
        col = Math.max(0, Math.min(COLS, buf[i + 2]! - 1));
        row = buf[i + 3] === 2 ? 1 : 0;
        return 4;
      }
      if (c === 0x43 || c === 0x45 || c === 0x58 || c === 0x72) return need(3) ? 3 : 0;
      if (c === 0x42) {
        row = 1;
        col = 0;
        return 2;
      }
      return 2;
    }
    return 1;
  };

  return {
    feed(bytes) {
      pending = pending.concat(Array.from(bytes));
      let i = 0;
      while (i < pending.length) {
        const used = step(pending, i);
        if (used === 0) break;
        i += used;
      }
      pending = pending.slice(i);
    },
    lines: () => [rows[0]!.join(''), rows[1]!.join('')],
  };
}
