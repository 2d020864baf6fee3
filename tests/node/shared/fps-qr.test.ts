/**
 * The FPS QR generator and decoder against payloads published by other implementations of the
 * HKMA FPS QR specification (each checked here for its CRC first, so a vector that is itself wrong
 * cannot pass or fail the generator by accident).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildFpsQr, crc16Ccitt, decodeFpsQr, fpsAmount, FpsPayee, normaliseMobile, splitDataObjects } from '../../../src/shared/fps-qr';

/** Published examples: where each comes from, and the payee and bill that should rebuild it. */
const vectors = [
  {
    source: 'FPS ID 6000509, HK$10.50, reference in tag 62/05 (a payment app test)',
    payload:
      '00020101021226320012hk.com.hkicl0207600050906011520400005303344540510.505802HK5902NA6002HK62270523HKTEST202103190606259626304BCD1',
  },
  {
    source: "mobile +852-67891234, HK$100, bill INV/TEST/0001 in tag 62/05 (Odoo's l10n_hk test)",
    payload:
      '00020101021226330012hk.com.hkicl0313+852-6789123452040000530334454031005802HK5914company_1_data6002HK62170513INV/TEST/00016304A154',
  },
  {
    source: 'bank 004 + mobile, HK$1.23, static initiation (an Ionic HKQR scanner sample)',
    payload: '00020101021126400012hk.com.hkicl01030040313+852-8765432152040000530334454041.235802HK5902NA6002HK6304C246',
  },
] as const;

describe('FPS QR against published payloads', () => {
  for (const vector of vectors) {
    it(`reads ${vector.source}`, () => {
      const body = vector.payload.slice(0, -4);
      expect(crc16Ccitt(body)).toBe(vector.payload.slice(-4));
      const decoded = decodeFpsQr(vector.payload);
      expect(decoded.ok).toBe(true);
    });
  }

  it('rebuilds the FPS ID 9999999 / HK$123 sample byte for byte', () => {
    // A Python FPS library's template: its structure as published; the check digits are D1A3 as
    // Python's binascii.crc_hqx(payload, 0xFFFF) computes them (the library prints 84E1 beside the
    // template, which no CRC-16/CCITT-FALSE gives; its own code computes the CRC at run time).
    const sample = '00020101021226270012hk.com.hkicl0207999999952040000530334454031235802HK5902NA6002HK6304D1A3';
    expect(buildFpsQr(FpsPayee.parse({ proxyType: 'fps-id', proxy: '9999999' }), { amount: 12300, billNumber: null })).toBe(sample);
  });

  it('decodes the FPS ID 6000509 sample: amount and reference label', () => {
    const decoded = decodeFpsQr(vectors[0].payload);
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(decoded.value).toMatchObject({ dynamic: true, fpsId: '6000509', amount: 1050, referenceLabel: 'HKTEST20210319060625962' });
  });

  it("decodes Odoo's mobile sample: proxy, amount and reference", () => {
    const decoded = decodeFpsQr(vectors[1].payload);
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(decoded.value).toMatchObject({
      dynamic: true,
      mobile: '+852-67891234',
      fpsId: null,
      currency: '344',
      amount: 10000,
      merchantName: 'company_1_data',
      referenceLabel: 'INV/TEST/0001',
      billNumber: null,
    });
  });

  it('rebuilds the mobile sample with a bank code, amount 1.23, except the initiation method', () => {
    const built = buildFpsQr(FpsPayee.parse({ proxyType: 'mobile', proxy: '87654321', bankCode: '004' }), {
      amount: 123,
      billNumber: null,
    });
    const decoded = decodeFpsQr(built);
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(decoded.value).toMatchObject({ dynamic: true, bankCode: '004', mobile: '+852-87654321', amount: 123 });
    // The published sample is a static code ("11") carrying an amount; ours is dynamic ("12"): same objects otherwise.
    const theirs = splitDataObjects(vectors[2].payload.slice(0, -8));
    const ours = splitDataObjects(built.slice(0, -8));
    expect(ours && Object.fromEntries([...ours].filter(([id]) => id !== '01'))).toEqual(
      theirs && Object.fromEntries([...theirs].filter(([id]) => id !== '01')),
    );
  });

  it('a receipt number rides in tag 62 as the bill number, and the amount comes back to the cent', () => {
    const payee = FpsPayee.parse({ proxyType: 'email', proxy: 'shop@example.com', merchantName: 'Suanpan Bakery' });
    const payload = buildFpsQr(payee, { amount: 2650, billNumber: 'MK01-01-000042' });
    expect(payload).toContain('540526.50');
    expect(payload).toContain('62180114MK01-01-000042');
    const decoded = decodeFpsQr(payload);
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(decoded.value).toMatchObject({
      email: 'shop@example.com',
      amount: 2650,
      billNumber: 'MK01-01-000042',
      merchantName: 'Suanpan Bakery',
    });
  });

  it('no amount makes a static code', () => {
    const payload = buildFpsQr(FpsPayee.parse({ proxyType: 'fps-id', proxy: '123456789' }), { amount: null, billNumber: null });
    expect(payload.startsWith('000201010211')).toBe(true);
    expect(decodeFpsQr(payload)).toMatchObject({ ok: true, value: { dynamic: false, amount: null, fpsId: '123456789' } });
  });
});

describe('FPS amounts', () => {
  it('writes whole dollars bare and cents with two decimals', () => {
    expect(fpsAmount(12300)).toBe('123');
    expect(fpsAmount(1050)).toBe('10.50');
    expect(fpsAmount(1)).toBe('0.01');
    expect(fpsAmount(99)).toBe('0.99');
  });

  it('refuses nothing to pay, fractions of a cent and over 13 characters', () => {
    expect(() => fpsAmount(0)).toThrow(RangeError);
    expect(() => fpsAmount(-100)).toThrow(RangeError);
    expect(() => fpsAmount(1.5)).toThrow(RangeError);
    expect(() => fpsAmount(1_000_000_000_000_000)).toThrow(RangeError);
  });

  it('every amount survives the round trip through a payload (property)', () => {
    const payee = FpsPayee.parse({ proxyType: 'fps-id', proxy: '1234567' });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999_99 }), fc.stringMatching(/^[A-Z0-9-]{1,25}$/), (amount, bill) => {
        const decoded = decodeFpsQr(buildFpsQr(payee, { amount, billNumber: bill }));
        return decoded.ok && decoded.value.amount === amount && decoded.value.billNumber === bill;
      }),
    );
  });
});

describe('bad input', () => {
  const issue = (input: unknown) => {
    const parsed = FpsPayee.safeParse(input);
    return parsed.success ? null : parsed.error.issues.map((i) => i.message).join('; ');
  };

  it('refuses an FPS ID that is not 7–9 digits, a non-HK mobile, a broken email, a bad bank code', () => {
    expect(issue({ proxyType: 'fps-id', proxy: '12345' })).toMatch(/7 to 9 digits/);
    expect(issue({ proxyType: 'mobile', proxy: '+86-13812345678' })).toMatch(/Hong Kong number/);
    expect(issue({ proxyType: 'email', proxy: 'shop@' })).toMatch(/email/);
    expect(issue({ proxyType: 'fps-id', proxy: '1234567', bankCode: '4' })).toMatch(/3 digits/);
    expect(issue({ proxyType: 'fps-id', proxy: '1234567', merchantName: '算盤餅店' })).toMatch(/English/);
    expect(issue({ proxyType: 'fps-id', proxy: '1234567', extra: 1 })).not.toBeNull();
  });

  it('writes a mobile the way the spec does', () => {
    expect(normaliseMobile('91234567')).toBe('+852-91234567');
    expect(normaliseMobile('+852 9123 4567')).toBe('+852-91234567');
    expect(normaliseMobile('85291234567')).toBe('+852-91234567');
    expect(normaliseMobile('1234567')).toBeNull();
  });

  it('refuses a bill number no banking app can show', () => {
    const payee = FpsPayee.parse({ proxyType: 'fps-id', proxy: '1234567' });
    expect(() => buildFpsQr(payee, { amount: 100, billNumber: '收據一號' })).toThrow(RangeError);
    expect(() => buildFpsQr(payee, { amount: 100, billNumber: 'x'.repeat(26) })).toThrow(RangeError);
  });

  it('the decoder refuses a changed amount (CRC), a foreign GUID, a cut payload', () => {
    const payload = buildFpsQr(FpsPayee.parse({ proxyType: 'fps-id', proxy: '1234567' }), { amount: 1800, billNumber: null });
    const tampered = payload.replace('540218', '540219');
    expect(decodeFpsQr(tampered)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const foreign = '00020101021226270012com.p2pqrpay0207999999952040000530334454031235802HK5902NA6002HK6304';
    expect(decodeFpsQr(foreign + crc16Ccitt(foreign))).toMatchObject({ ok: false, error: { message: /no FPS account/ } });
    expect(decodeFpsQr(payload.slice(10))).toMatchObject({ ok: false });
  });
});
