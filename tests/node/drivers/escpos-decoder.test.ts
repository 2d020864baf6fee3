import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../drivers/escpos/decoder';

const big5 = { codeSystem: 'big5hkscs', chineseMode: 'fs-ampersand' } as const;
const decode = (hex: string): string => decodeEscPos(Buffer.from(hex.replace(/ /g, ''), 'hex'), big5);

describe('ESC/POS decoder', () => {
  it('shows commands as markers and text as lines', () => {
    expect(decode('1b40 1b6101 1b4501 1d2111 41 0a 1b6402 1d5601')).toBe(
      '[init]\n[align center]\n[bold on]\n[size 2x2]\nA\n[feed 2]\n[cut partial]',
    );
  });

  it('decodes Chinese only inside FS & … FS . and flags stray high bytes', () => {
    expect(decode('1c26 9dcf 1c2e 0a')).toBe('嘢');
    expect(decode('9dcf 0a')).toBe('[?9D][?CF]');
  });

  it('writes a marker inline when it arrives mid-line', () => {
    expect(decode('41 1b4501 42 0a')).toBe('A[bold on]B');
  });

  it('reports status requests, real-time drawer pulses and truncated commands', () => {
    expect(decode('100401 1014010102 1b70')).toBe('[status-request 1]\n[drawer-realtime pin5 on=200ms off=200ms]\n[truncated ESC p]');
  });

  it('reassembles a QR code from its GS ( k functions', () => {
    const store = Buffer.concat([Buffer.from([0x1d, 0x28, 0x6b, 5, 0, 49, 80, 48]), Buffer.from('AB')]);
    const bytes = Buffer.concat([
      Buffer.from('1d286b0300314306', 'hex'),
      Buffer.from('1d286b0300314531', 'hex'),
      store,
      Buffer.from('1d286b0300315130', 'hex'),
    ]);
    expect(decodeEscPos(bytes, big5)).toBe('[qr "AB" module=6 ecc=M]');
  });
});
