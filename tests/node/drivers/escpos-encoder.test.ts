import { describe, expect, it } from 'vitest';
import { inkCount, packRows, unpackRows } from '../../../drivers/escpos/bitmap';
import { breakRealtimeSequences, rasterImage } from '../../../drivers/escpos/commands';
import { decodeEscPos } from '../../../drivers/escpos/decoder';
import { drawerKickBytes, encodeReceipt, RasteriserRequiredError } from '../../../drivers/escpos/encoder';
import { getProfile } from '../../../drivers/escpos/profile';
import { EscPosContentError } from '../../../drivers/escpos/raster-codes';
import { createBlockRasteriser } from './fixtures/block-rasteriser';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const t88 = getProfile('epson-tm-t88');
const xp58 = getProfile('xprinter-xp58');
const generic = getProfile('generic-no-chinese');

describe('ESC/POS encoder', () => {
  it('starts with ESC @ and puts Chinese inside FS & … FS . encoded in Big5-HKSCS', () => {
    const bytes = encodeReceipt({ blocks: [{ type: 'text', text: 'A嘢峯B' }] }, { profile: t88 });
    // ESC @, 'A', FS &, 嘢 9DCF, 峯 FBDF, FS ., 'B', LF
    expect(hex(bytes)).toBe('1b40' + '41' + '1c26' + '9dcf' + 'fbdf' + '1c2e' + '42' + '0a');
  });

  it('encodes the same text in GB18030 for a GB18030 profile', () => {
    const bytes = encodeReceipt({ blocks: [{ type: 'text', text: '嘢' }] }, { profile: xp58 });
    expect(hex(bytes)).toBe('1b40' + '1c26' + '8753' + '1c2e' + '0a');
  });

  it('kicks the drawer with ESC p and both timing bytes (2 ms units)', () => {
    expect(hex(drawerKickBytes(t88, { realtime: false }))).toBe('1b70' + '00' + '32' + '64'); // pin 2, 100 ms on, 200 ms off
    expect(hex(drawerKickBytes(t88, { realtime: false, pin: 5 }))).toBe('1b70' + '01' + '32' + '64');
    const inStream = encodeReceipt({ blocks: [{ type: 'drawer' }] }, { profile: t88 });
    expect(decodeEscPos(inStream, t88)).toBe('[init]\n[drawer pin2 on=100ms off=200ms]');
  });

  it('uses the real-time DLE DC4 pulse when the profile supports it (works with paper out)', () => {
    expect(hex(drawerKickBytes(t88))).toBe('1014' + '01' + '00' + '01'); // pin 2, 1 × 100 ms
    expect(hex(drawerKickBytes(xp58))).toBe('1b70003264'); // XP-58: no DLE DC4
  });

  it('prints a line the code system cannot represent as a raster image, and the rest natively', () => {
    const r = createBlockRasteriser();
    const bytes = encodeReceipt(
      {
        blocks: [
          { type: 'text', text: '鸡蛋仔' },
          { type: 'text', text: '雞蛋仔' },
        ],
      },
      { profile: t88, rasteriser: r },
    );
    expect(decodeEscPos(bytes, t88)).toBe('[init]\n[raster 512x30]\n雞蛋仔');
    expect(r.drawn).toEqual(['鸡', '蛋', '仔']);
  });

  it('prints every Chinese line as raster on a printer without a Chinese font', () => {
    const r = createBlockRasteriser();
    const bytes = encodeReceipt(
      {
        blocks: [
          { type: 'pair', left: '奶茶', right: 'HK$18.00' },
          { type: 'text', text: 'Milk tea' },
        ],
      },
      { profile: generic, rasteriser: r },
    );
    expect(decodeEscPos(bytes, generic)).toBe('[init]\n[raster 576x30]\nMilk tea');
    expect(bytes.includes(0x1c)).toBe(false); // never FS & on a printer without Chinese mode
  });

  it('lays raster text on the printer column grid (a Chinese character is 24 dots, ASCII 12)', () => {
    const r = createBlockRasteriser();
    const bytes = encodeReceipt({ blocks: [{ type: 'text', text: '鸡A', align: 'right' }] }, { profile: t88, rasteriser: r });
    const start = 2 + 8; // after ESC @ and the GS v 0 header
    const image = unpackRows(bytes.subarray(start, start + 64 * 30), 64, 30);
    const inkInColumns = (x0: number, x1: number): number => {
      let n = 0;
      for (let y = 0; y < 30; y++) for (let x = x0; x < x1; x++) n += image.data[y * 512 + x]!;
      return n;
    };
    // 36 dots of text, right-aligned on 512: 鸡 at 476..499, A at 500..511.
    expect(inkInColumns(0, 476)).toBe(0);
    expect(inkInColumns(476, 500)).toBeGreaterThan(0);
    expect(inkInColumns(500, 512)).toBeGreaterThan(0);
  });

  it('refuses to guess when a raster line is needed and no rasteriser was given', () => {
    expect(() => encodeReceipt({ blocks: [{ type: 'text', text: '鸡' }] }, { profile: t88 })).toThrow(RasteriserRequiredError);
  });

  it('draws barcodes and QR codes natively or as raster per profile', () => {
    const doc = {
      blocks: [
        { type: 'barcode', data: 'S01-R02-000123' },
        { type: 'qr', data: 'S01-R02-000123' },
      ],
    } as const;
    expect(decodeEscPos(encodeReceipt(doc, { profile: t88 }), t88)).toBe(
      '[init]\n[align center]\n[barcode code128 "S01-R02-000123" height=80 module=2 hri=below]\n[qr "S01-R02-000123" module=6 ecc=M]',
    );
    const raster = decodeEscPos(encodeReceipt(doc, { profile: generic }), generic);
    expect(raster).toMatch(/^\[init\]\n\[raster 576x80\]\n\[align center\]\nS01-R02-000123\n\[align left\]\n\[raster 576x\d+\]$/);
  });

  it('escapes { in CODE128 data and rejects data code set B cannot carry', () => {
    expect(decodeEscPos(encodeReceipt({ blocks: [{ type: 'barcode', data: 'A{1' }] }, { profile: t88 }), t88)).toContain('"A{1"');
    expect(() => encodeReceipt({ blocks: [{ type: 'barcode', data: '收據1' }] }, { profile: t88 })).toThrow(EscPosContentError);
  });

  it('keeps double-width lines within half the columns', () => {
    const text = decodeEscPos(
      encodeReceipt({ blocks: [{ type: 'text', text: '總計 TOTAL HK$1,234.50 paid in cash', width: 2 }] }, { profile: t88 }),
      t88,
    );
    const lines = text.split('\n').filter((l) => !l.startsWith('['));
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(21);
  });

  it('never lets image bytes form a real-time command (DLE EOT / ENQ / DC4)', () => {
    const data = Uint8Array.from([0x10, 0x14, 0x01, 0x00, 0x01, 0x10, 0x04, 0x01, 0x10, 0x05, 0x02, 0x10, 0x20]);
    expect(Array.from(breakRealtimeSequences(data))).toEqual([
      0x11, 0x14, 0x01, 0x00, 0x01, 0x11, 0x04, 0x01, 0x11, 0x05, 0x02, 0x10, 0x20,
    ]);
    const cmd = rasterImage(13, 1, data);
    expect(cmd.slice(8)).toEqual(Array.from(breakRealtimeSequences(data)));
  });

  it('packs bitmaps MSB first, rows padded to whole bytes', () => {
    const b = { width: 10, height: 1, data: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1, 1, 0]) };
    const packed = packRows(b);
    expect(packed.bytesPerRow).toBe(2);
    expect(Array.from(packed.data)).toEqual([0x81, 0x80]);
    expect(inkCount(unpackRows(packed.data, 2, 1))).toBe(3);
  });
});
