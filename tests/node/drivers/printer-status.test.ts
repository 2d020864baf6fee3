import { describe, expect, it } from 'vitest';
import { statusBytesFor } from '../../../drivers/emulators/printer-emulator';
import { parseStatusReplies } from '../../../drivers/status/printer-status';

const healthy = { online: true, coverOpen: false, paperNearEnd: false, paperOut: false, drawerPin3High: false, error: false };

describe('DLE EOT status replies', () => {
  it('reads a healthy printer (0x12 to every request)', () => {
    expect(parseStatusReplies([0x12, 0x12, 0x12, 0x12])).toMatchObject({
      kind: 'status',
      status: { online: true, coverOpen: false, paperNearEnd: false, paperOut: false, drawerOpen: false, error: false },
    });
  });

  it('reads cover open, paper near end, paper out, drawer and errors from their bits', () => {
    expect(parseStatusReplies([0x1a, 0x16, 0x12, 0x12])).toMatchObject({ status: { online: false, coverOpen: true } });
    expect(parseStatusReplies([0x12, 0x12, 0x12, 0x1e])).toMatchObject({ status: { online: true, paperNearEnd: true, paperOut: false } });
    expect(parseStatusReplies([0x1a, 0x32, 0x12, 0x7e])).toMatchObject({ status: { online: false, paperOut: true, paperNearEnd: true } });
    expect(parseStatusReplies([0x16, 0x12, 0x12, 0x12])).toMatchObject({ status: { drawerOpen: true, detail: { drawerPin3High: true } } });
    expect(parseStatusReplies([0x16, 0x12, 0x12, 0x12], 'open-when-low')).toMatchObject({ status: { drawerOpen: false } });
    expect(parseStatusReplies([0x16, 0x12, 0x12, 0x12], 'none')).toMatchObject({ status: { drawerOpen: null } });
    expect(parseStatusReplies([0x1a, 0x52, 0x1a, 0x12])).toMatchObject({ status: { error: true, detail: { cutterError: true } } });
  });

  it('agrees with the emulator on every state it can be put in', () => {
    const flags = ['coverOpen', 'paperNearEnd', 'paperOut', 'drawerPin3High', 'error'] as const;
    for (let mask = 0; mask < 1 << flags.length; mask++) {
      const state = { ...healthy, ...Object.fromEntries(flags.map((f, k) => [f, (mask & (1 << k)) !== 0])) };
      const parsed = parseStatusReplies(statusBytesFor(state));
      expect(parsed.kind).toBe('status');
      if (parsed.kind !== 'status') continue;
      expect(parsed.status.coverOpen).toBe(state.coverOpen);
      expect(parsed.status.paperOut).toBe(state.paperOut);
      expect(parsed.status.error).toBe(state.error);
      expect(parsed.status.online).toBe(!(state.coverOpen || state.paperOut || state.error));
    }
  });

  it.each([
    ['a byte with the fixed bits wrong', [0xff, 0x12, 0x12, 0x12], /DLE EOT 1 was 0xff/],
    ['text from a printer in another emulation', [0x4f, 0x4b, 0x0d, 0x0a], /not an ESC\/POS status byte/],
    ['too few replies', [0x12], /expected 4 status bytes/],
    ['a value that is not a byte', [0x12, 300, 0x12, 0x12], /DLE EOT 2/],
  ])('turns %s into a typed garbled result instead of throwing', (_what, bytes, message) => {
    const result = parseStatusReplies(bytes);
    expect(result).toMatchObject({ kind: 'garbled', code: 'PRINTER_STATUS_GARBLED', bytes });
    expect(result.kind === 'garbled' && result.message).toMatch(message);
  });
});
