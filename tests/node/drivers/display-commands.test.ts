import { describe, expect, it } from 'vitest';
import { getDisplayProtocol, UnknownDisplayCommandSetError } from '../../../drivers/display/command-sets';
import { fitDisplayLine, formatDisplayLine, formatHkd, toDisplayAscii } from '../../../drivers/display/display-text';
import { createDisplayScreen } from '../../../drivers/emulators/display-screen';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('pole display command sets', () => {
  const a = fitDisplayLine('Milk Tea');
  const b = fitDisplayLine('HK$18.00');

  it('epson: US $ x y positions each 20-character line', () => {
    const p = getDisplayProtocol('epson');
    expect(hex(p.init())).toBe('1b40' + '1f01' + '1f4300');
    expect(hex(p.frame(a, b))).toBe('1f240101' + Buffer.from(a).toString('hex') + '1f240102' + Buffer.from(b).toString('hex'));
  });

  it('cd5220: ESC Q A and ESC Q B lines ended by CR', () => {
    expect(hex(getDisplayProtocol('cd5220').frame(a, b))).toBe(
      '1b5141' + Buffer.from(a).toString('hex') + '0d' + '1b5142' + Buffer.from(b).toString('hex') + '0d',
    );
  });

  it('logic-controls: reset, normal mode, cursor off; digit select 0x00 and 0x14', () => {
    const p = getDisplayProtocol('logic-controls');
    expect(hex(p.init())).toBe('1f1114');
    expect(hex(p.frame(a, b))).toBe('1000' + Buffer.from(a).toString('hex') + '1014' + Buffer.from(b).toString('hex'));
  });

  it('rejects an unknown command set by name', () => {
    expect(() => getDisplayProtocol('aedex')).toThrow(UnknownDisplayCommandSetError);
  });

  for (const name of ['epson', 'cd5220', 'logic-controls'] as const) {
    it(`${name}: the emulated screen shows the frame even when bytes arrive one at a time`, () => {
      const p = getDisplayProtocol(name);
      const screen = createDisplayScreen(name);
      const bytes = Buffer.concat([p.init(), p.frame(fitDisplayLine('old old old old'), fitDisplayLine('old')), p.frame(a, b)]);
      for (const byte of bytes) screen.feed(Uint8Array.of(byte));
      expect(screen.lines()).toEqual([a, b]);
    });
  }

  it('epson: a frame cut off mid-way leaves what a customer would really see', () => {
    const p = getDisplayProtocol('epson');
    const screen = createDisplayScreen('epson');
    screen.feed(p.frame(fitDisplayLine('AAAAAAAAAAAAAAAAAAAA'), fitDisplayLine('BBBBBBBBBBBBBBBBBBBB')));
    screen.feed(p.frame(fitDisplayLine('CCCCCCCCCCCCCCCCCCCC'), fitDisplayLine('DDDD')).subarray(0, 14));
    expect(screen.lines()).toEqual(['CCCCCCCCCCAAAAAAAAAA', 'BBBBBBBBBBBBBBBBBBBB']);
  });
});

describe('display text', () => {
  it('folds to ASCII: drops Chinese, strips accents, maps typographic marks', () => {
    expect(toDisplayAscii('港式奶茶 Café ×2 – “hot”')).toBe(' Cafe x2 - "hot"');
    expect(toDisplayAscii('ＨＫ＄１２')).toBe('HK$12');
  });

  it('formats HKD from integer cents without floating point', () => {
    expect(formatHkd(3600)).toBe('HK$36.00');
    expect(formatHkd(-900)).toBe('-HK$9.00');
    expect(formatHkd(123456789)).toBe('HK$1,234,567.89');
    expect(formatHkd(5)).toBe('HK$0.05');
    expect(() => formatHkd(1.5)).toThrow(RangeError);
  });

  it('puts the price flush right and cuts the name to fit', () => {
    expect(formatDisplayLine('Pineapple bun with butter', 'HK$18.50')).toBe('Pineapple b HK$18.50');
    expect(formatDisplayLine('CHANGE', formatHkd(930))).toBe('CHANGE       HK$9.30');
    expect(formatDisplayLine('Thank you')).toBe('Thank you'.padEnd(20));
  });
});
