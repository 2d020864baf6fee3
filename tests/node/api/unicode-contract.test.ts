/**
 * Every string in the contract is well-formed Unicode (issue 11, item 4): a property over the whole
 * channel and event table (every string schema in every request and response refuses any text
 * holding a lone surrogate), then through a register: BAD_REQUEST, nothing stored, and names
 * normalised (NFC, trimmed, no control characters).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { channels, events } from '../../../src/shared/channels';
import type { PaymentMethodSetting } from '../../../src/shared/payment-method-schemas';
import type { StaffRecord } from '../../../src/shared/staff-schemas';
import { snapshotDatabase } from '../helpers/db-snapshot';
import { useDemoRegisters } from '../helpers/register-session';
import { CASHIER, MANAGER, WATER } from '../staff/staff-helpers';

const openTill = useDemoRegisters();

type Node = ZodType & { _zod: { def: Record<string, unknown> & { type: string } } };
const isSchema = (value: unknown): value is Node => typeof value === 'object' && value !== null && '_zod' in value;

/** Every string schema reachable from `root`, through objects, arrays, unions, optionals, pipes, records … */
function stringSchemas(root: unknown, found = new Set<Node>(), seen = new Set<unknown>()): Set<Node> {
  const visit = (value: unknown): void => {
    if (seen.has(value)) return;
    seen.add(value);
    if (isSchema(value)) {
      if (value._zod.def.type === 'string') found.add(value);
      for (const part of Object.values(value._zod.def)) visit(part);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      Object.values(value).forEach(visit);
    } else if (typeof value === 'function' && value.length === 0 && /^(get|shape)/.test(value.name)) {
      visit((value as () => unknown)());
    }
  };
  visit(root);
  return found;
}

const contractStrings = (() => {
  const all = new Set<Node>();
  for (const spec of Object.values(channels)) {
    stringSchemas(spec.req, all);
    stringSchemas(spec.res, all);
  }
  for (const schema of Object.values(events)) stringSchemas(schema, all);
  return [...all];
})();

const loneSurrogate = fc
  .oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff }))
  .map((unit) => String.fromCharCode(unit));
/** Any text, with a lone surrogate somewhere in it (a high one not followed by a low one, or a low one alone). */
const textWithLoneSurrogate = fc
  .tuple(fc.string({ maxLength: 20 }), loneSurrogate, fc.string({ maxLength: 20 }), fc.constantFrom('', 'a', '中'))
  .map(([before, lone, after, tail]) => {
    const next = after + tail;
    const safeNext = /^[\uDC00-\uDFFF]/.test(next) ? `x${next}` : next;
    const safeBefore = /[\uD800-\uDBFF]$/.test(before) ? `${before}x` : before;
    return safeBefore + lone + safeNext;
  });

describe('well-formed Unicode across the contract', () => {
  it('finds the string schemas of the channel table', () => {
    // Names, reasons, codes, labels …: well over a hundred in requests and responses.
    expect(contractStrings.length).toBeGreaterThan(100);
  });

  it('every string schema in every channel and event refuses text holding a lone surrogate', () => {
    fc.assert(
      fc.property(fc.constantFrom(...contractStrings), textWithLoneSurrogate, (schema, text) => {
        expect(schema.safeParse(text).success).toBe(false);
      }),
      { numRuns: 2000 },
    );
    // A surrogate pair is a character like any other: where a schema takes free text it is fine.
    expect(channels['cart:void'].req.safeParse({ reason: '客人改變主意 😀' }).success).toBe(true);
  });

  it('refuses a lone surrogate with BAD_REQUEST through the register, storing nothing', async () => {
    const till = await openTill({ staff: CASHIER });
    await till.call('cart:scan', { code: WATER });
    expect(await till.reg.dispatch('cart:void', { reason: 'scanned twice \uD83D' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', issues: [{ path: 'reason' }] },
    });
    await till.as(MANAGER);
    const save = await till.reg.dispatch('payment:save-method', {
      code: 'mall-voucher',
      nameZh: '商場禮券\uDE00',
      nameEn: 'Mall voucher',
      kind: 'reference',
      active: true,
    });
    expect(save).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await till.call<{ lines: unknown[] }>('cart:get')).toMatchObject({ lines: [expect.anything()] });
    expect(snapshotDatabase(till.reg.dbFile)).not.toContain('商場禮券');
  });

  it('stores names NFC, trimmed, and refuses control characters in them', async () => {
    const till = await openTill({ staff: MANAGER });
    const decomposed = ' Ame\u0301lie  ';
    const methods = await till.call<PaymentMethodSetting[]>('payment:save-method', {
      code: 'mall-voucher',
      nameZh: ' 商場禮券 ',
      nameEn: decomposed,
      kind: 'reference',
      active: true,
    });
    expect(methods.find((m) => m.code === 'mall-voucher')).toMatchObject({ nameZh: '商場禮券', nameEn: 'Amélie' });
    expect('Amélie'.normalize('NFC')).toBe('Amélie');
    const staff = await till.call<StaffRecord>('staff:save', {
      code: 'C077',
      nameZh: '陳\u200b小明',
      nameEn: 'Chan  ',
      role: 'cashier',
      active: true,
      pin: '4321',
    });
    expect(staff).toMatchObject({ nameZh: '陳\u200b小明', nameEn: 'Chan' });
    expect(
      await till.reg.dispatch('staff:save', {
        code: 'C078',
        nameZh: '陳\u0007大文',
        nameEn: 'Chan',
        role: 'cashier',
        active: true,
        pin: '4321',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', issues: [{ path: 'nameZh', message: expect.stringContaining('control characters') }] },
    });
  });
});
