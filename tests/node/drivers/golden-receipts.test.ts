import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../drivers/escpos/decoder';
import { encodeReceipt } from '../../../drivers/escpos/encoder';
import { getProfile } from '../../../drivers/escpos/profile';
import { createTestPage } from '../../../drivers/escpos/test-page';
import { createBlockRasteriser } from './fixtures/block-rasteriser';
import { sampleReceipt } from './fixtures/sample-receipt';
import { expectGolden } from '../helpers/golden-file';

// Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run tests/node/drivers/golden-receipts.test.ts
// (never in CI: there a missing golden file fails).
const check = (name: string, actual: Buffer | string): void =>
  expectGolden(fileURLToPath(new URL(`./golden/${name}`, import.meta.url)), actual);

describe('golden receipts', () => {
  for (const name of ['epson-tm-t88', 'epson-tm-t20', 'xprinter-xp58', 'generic-no-chinese']) {
    it(`${name}: the café receipt encodes to the golden bytes and transcript`, () => {
      const profile = getProfile(name);
      const bytes = Buffer.from(encodeReceipt(sampleReceipt, { profile, rasteriser: createBlockRasteriser() }));
      check(`${name}.bin`, bytes);
      check(`${name}.txt`, decodeEscPos(bytes, profile) + '\n');
    });
  }

  it('80 mm Big5-HKSCS: Chinese prints natively, 鸡 (not in Big5-HKSCS) falls back to raster', () => {
    const profile = getProfile('epson-tm-t88');
    const text = decodeEscPos(encodeReceipt(sampleReceipt, { profile, rasteriser: createBlockRasteriser() }), profile);
    expect(text).toContain('港式奶茶 HK Milk Tea ×2          HK$36.00');
    expect(text).toContain('  第二杯半價 2nd cup half price   -HK$9.00');
    expect(text).toContain('是日嘢食 Snack of the day         HK$28.00');
    expect(text).toContain('九龍旺角峯景街8號地舖');
    expect(text).not.toContain('鸡蛋仔');
    expect(text).toContain('[raster 512x30]');
    expect(text).toContain('[barcode code128 "S01-R02-000123" height=80 module=2 hri=below]');
    expect(text).toContain('[qr "https://suanpan.hk/r/S01-R02-000123" module=5 ecc=M]');
    expect(text).toMatch(/\[feed 4\]\n\[cut partial\]$/);
  });

  it('58 mm GB18030: the same receipt wraps to 32 columns and prints 鸡蛋仔 natively', () => {
    const profile = getProfile('xprinter-xp58');
    const text = decodeEscPos(encodeReceipt(sampleReceipt, { profile, rasteriser: createBlockRasteriser() }), profile);
    const lines = text.split('\n').filter((l) => !l.startsWith('['));
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(32);
    expect(text).toContain('鸡蛋仔 Egg waffle       HK$22.00');
    expect(text).toContain('找續 Change              HK$9.30');
  });
});

describe('test page', () => {
  it('shows HKSCS natively on a Big5-HKSCS printer and what it cannot print as raster', () => {
    const profile = getProfile('epson-tm-t20');
    const text = decodeEscPos(
      encodeReceipt(createTestPage(profile, '2025-03-14 12:34'), { profile, rasteriser: createBlockRasteriser() }),
      profile,
    );
    expect(text).toContain('香港字 HKSCS：嘢 峯');
    expect(text).toContain('繁體中文：港式奶茶、菠蘿油、雞蛋仔');
    expect(text).toContain('型號 Profile                        epson-tm-t20');
    expect(text).toContain('[raster 576x30]'); // 鸡 is not in Big5-HKSCS
    expect(text).toContain('[barcode code128 "TEST-0001"');
    expect(text).toContain('[qr "https://suanpan.hk/test?p=epson-tm-t20" module=5 ecc=M]');
  });
});
