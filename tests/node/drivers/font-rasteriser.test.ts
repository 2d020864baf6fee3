import { describe, expect, it } from 'vitest';
import { inkCount } from '../../../drivers/escpos/bitmap';
import { decodeEscPos } from '../../../drivers/escpos/decoder';
import { encodeReceipt } from '../../../drivers/escpos/encoder';
import { createFontRasteriser, findCjkFont, FontUnavailableError } from '../../../drivers/escpos/font-rasteriser';
import { getProfile } from '../../../drivers/escpos/profile';

// The CI setup installs fonts-noto-cjk (scripts/setup-and-test.sh); without it this is a real failure.
const rasteriser = createFontRasteriser();

describe('font rasteriser (Noto Sans CJK through bwip-js stb_truetype)', () => {
  it('picks the monospaced Hong Kong face of the installed collection', () => {
    expect(findCjkFont()).not.toBeNull();
    expect(rasteriser.faceName).toBe('Noto Sans Mono CJK HK');
  });

  it('draws real, distinct glyphs for HKSCS 嘢 and 峯 inside their 24 × 24 cell', () => {
    const ye = rasteriser.renderCluster('嘢', { width: 24, height: 24, columns: 2 })!;
    const fung = rasteriser.renderCluster('峯', { width: 24, height: 24, columns: 2 })!;
    expect(ye.width).toBe(24);
    expect(inkCount(ye)).toBeGreaterThan(80);
    expect(inkCount(fung)).toBeGreaterThan(60);
    expect(Buffer.from(ye.data).equals(Buffer.from(fung.data))).toBe(false);
    // Ink stays inside the cell with a margin: nothing on the outer edge rows.
    for (let x = 0; x < 24; x++) expect(ye.data[x]).toBe(0);
  });

  it('scales with the character size and returns null for a character the font lacks', () => {
    const big = rasteriser.renderCluster('嘢', { width: 48, height: 48, columns: 2 })!;
    const normal = rasteriser.renderCluster('嘢', { width: 24, height: 24, columns: 2 })!;
    expect(inkCount(big)).toBeGreaterThan(3 * inkCount(normal));
    expect(rasteriser.renderCluster('\u{10FFFD}', { width: 24, height: 24, columns: 2 })).toBeNull();
  });

  it('prints a Chinese line on a printer without a Chinese font', () => {
    const profile = getProfile('generic-no-chinese');
    const bytes = encodeReceipt({ blocks: [{ type: 'text', text: '是日嘢食 峯' }] }, { profile, rasteriser });
    expect(decodeEscPos(bytes, profile)).toBe('[init]\n[raster 576x30]');
  });

  it('fails with a typed error when the font file is missing', () => {
    expect(() => createFontRasteriser({ fontPath: '/nonexistent/font.ttc' })).toThrow(FontUnavailableError);
  });
});
