import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createBitmap,
  decodeEscPos,
  encodePbm,
  encodeReceipt,
  fitToWidth,
  getProfile,
  inkCount,
  parsePbm,
  PbmError,
} from '../../../drivers/escpos';
import { appPaths } from '../../../src/main/app-paths';

const text = (s: string) => new TextEncoder().encode(s);

describe('PBM logos', () => {
  it('reads P1 and P4 alike, comments included, and writes P4 back', () => {
    const p1 = parsePbm(text('P1\n# a 3×2 test\n3 2\n1 0 1\n0 1 0\n'));
    expect([...p1.data]).toEqual([1, 0, 1, 0, 1, 0]);
    const p4 = parsePbm(encodePbm(p1));
    expect(p4).toEqual(p1);
    // 10 dots wide: two bytes a row, the last 6 bits padding
    const wide = createBitmap(10, 1);
    wide.data[0] = 1;
    wide.data[9] = 1;
    expect([...encodePbm(wide).slice(-2)]).toEqual([0x80, 0x40]);
    expect(parsePbm(encodePbm(wide))).toEqual(wide);
  });

  it('refuses what is not a whole PBM with a clear, typed error', () => {
    for (const [bytes, message] of [
      [text('GIF89a'), /Not a PBM/],
      [text('P4\n3'), /ends inside its header/],
      [text('P4\n0 5\n'), /positive whole number/],
      [text('P4\n2000 10\n'), /at most 1024/],
      [text('P4\n16 4\n\u0000\u0000'), /cut short/],
      [text('P1\n2 2\n1 0 x 1'), /Unexpected "x"/],
    ] as const) {
      expect(() => parsePbm(bytes)).toThrow(PbmError);
      expect(() => parsePbm(bytes)).toThrow(message);
    }
  });

  it('shrinks a logo to the paper, keeping its shape and its thin lines', () => {
    const logo = createBitmap(576, 100);
    for (let x = 0; x < 576; x++) logo.data[50 * 576 + x] = 1; // a one-dot rule across
    const fitted = fitToWidth(logo, 384);
    expect([fitted.width, fitted.height]).toEqual([384, 67]);
    expect(inkCount(fitted)).toBeGreaterThanOrEqual(384);
    expect(fitToWidth(logo, 600)).toBe(logo);
  });

  it('the demo logo parses and prints as one raster image on 58 mm and 80 mm paper', () => {
    const logo = parsePbm(readFileSync(join(appPaths().assetsDir, 'demo', 'logo.pbm')));
    expect([logo.width, logo.height]).toEqual([360, 120]);
    for (const name of ['xprinter-xp58', 'epson-tm-t88'] as const) {
      const profile = getProfile(name);
      const bytes = encodeReceipt(
        { blocks: [{ type: 'image', bitmap: fitToWidth(logo, profile.paper.dots), align: 'center' }] },
        { profile },
      );
      expect(decodeEscPos(bytes, { codeSystem: profile.codeSystem, chineseMode: profile.chineseMode })).toContain(
        `[raster ${profile.paper.dots}x120]`,
      );
    }
  });
});
