import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PaymentMethod, TenderInput } from '../../../src/shared/checkout-schemas';
import { planTenders, type TenderRules } from '../../../src/main/checkout/tender-plan';

const methods = new Map<string, PaymentMethod>(
  (
    [
      ['cash', 'cash'],
      ['card', 'card'],
      ['octopus', 'reference'],
      ['fps', 'reference'],
    ] as const
  ).map(([code, kind]) => [code, { code, nameZh: code, nameEn: code, kind }]),
);
const rules: TenderRules = { methods, cashRoundingStep: 10 };
const cash = (amount: number, tendered?: number): TenderInput => ({ method: 'cash', amount, ...(tendered ? { tendered } : {}) });
const card = (amount: number): TenderInput => ({ method: 'card', amount, approvalCode: 'A1B2C3', cardLast4: '4242' });

describe('planning tenders', () => {
  it('rounds the cash part to HK$0.10 and gives change from the notes handed over', () => {
    const plan = planTenders(5654, [cash(5650, 10000)], rules);
    expect(plan.rounding).toBe(-4);
    expect(plan.change).toBe(4350);
    expect(plan.payments).toEqual([expect.objectContaining({ method: 'cash', amount: 5650, tendered: 10000, change: 4350 })]);
  });

  it('accepts the exact cash amount too, and records it rounded', () => {
    const plan = planTenders(5655, [cash(5655)], rules);
    expect(plan.payments[0]?.amount).toBe(5660);
    expect(plan.rounding).toBe(5);
  });

  it('cash handed over must cover the cash part as rounded, not only as typed', () => {
    // HK$42.65 rounds up to HK$42.70: HK$42.66 in the hand is 4¢ short, whatever the typed amount said.
    expect(() => planTenders(4265, [cash(4265, 4266)], rules)).toThrow(/Cash handed over \(HK\$42\.66\) is less than the HK\$42\.70/);
    expect(planTenders(4265, [cash(4265, 4270)], rules).payments[0]).toMatchObject({ amount: 4270, tendered: 4270, change: 0 });
    expect(planTenders(4265, [cash(4265, 5000)], rules).payments[0]).toMatchObject({ amount: 4270, tendered: 5000, change: 730 });
    // A refund hands back what it records, rounded: -HK$42.65 → -HK$42.70 out of the drawer.
    expect(planTenders(-4265, [cash(4265)], rules).payments[0]).toMatchObject({ amount: -4270, tendered: -4270, change: 0 });
  });

  it('split tender: card pays part exactly, cash the rounded rest', () => {
    const plan = planTenders(10017, [card(5000), cash(5020, 10000)], rules);
    expect(plan.rounding).toBe(3);
    expect(plan.change).toBe(4980);
    expect(plan.payments.map((p) => p.amount)).toEqual([5000, 5020]);
  });

  it('refuses a card or wallet over the amount due: only cash may exceed it', () => {
    expect(() => planTenders(5000, [card(6000)], rules)).toThrowError(/only cash may exceed/);
    expect(() => planTenders(5000, [{ method: 'fps', amount: 5000, tendered: 6000, reference: 'FPS123' }], rules)).toThrowError(
      /Only cash may be more/,
    );
  });

  it('refuses tenders that do not cover the total', () => {
    expect(() => planTenders(5000, [card(2000)], rules)).toThrowError(/cover HK\$20.00 of HK\$50.00/);
  });

  it('never stores a card number, even typed as a reference', () => {
    expect(() => planTenders(5000, [{ method: 'octopus', amount: 5000, reference: '4111 1111 1111 1111' }], rules)).toThrowError(
      /card number/,
    );
  });

  it('needs the terminal approval code for a card and the reference for a wallet', () => {
    expect(() => planTenders(5000, [{ method: 'card', amount: 5000 }], rules)).toThrowError(/approval code/);
    expect(() => planTenders(5000, [{ method: 'fps', amount: 5000 }], rules)).toThrowError(/reference/);
  });

  it('a refund goes back as negative payments through allowed methods only, with no change', () => {
    const plan = planTenders(-1804, [cash(1800)], { ...rules, refundMethods: new Set(['cash', 'card']) });
    expect(plan.payments[0]).toMatchObject({ amount: -1800, change: 0 });
    expect(plan.rounding).toBe(4);
    expect(() => planTenders(-1800, [{ method: 'octopus', amount: 1800 }], { ...rules, refundMethods: new Set(['cash']) })).toThrowError(
      /only by cash/,
    );
  });

  it('property: payments sum to total + rounding, rounding within half a step, change only from cash', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 500_000 }),
        (total, cardPercent, extraCents) => {
          const cardPart = Math.floor((total * cardPercent) / 100);
          const cashPart = total - cardPart;
          const tenders: TenderInput[] = [];
          if (cardPart > 0) tenders.push(card(cardPart));
          const handed = cashPart + extraCents;
          if (cashPart > 0) tenders.push(cash(cashPart, handed));
          let plan: ReturnType<typeof planTenders>;
          try {
            plan = planTenders(total, tenders, rules);
          } catch (error) {
            // Refused only when the cash handed over is short of the cash part rounded (at most 5¢ up).
            expect(String(error)).toMatch(/less than the .* it pays after rounding/);
            expect(handed).toBeLessThan(cashPart + 5);
            return;
          }
          const cashPayment = plan.payments.find((p) => p.method === 'cash');
          if (cashPayment) expect(cashPayment.change).toBe(handed - cashPayment.amount);
          const paid = plan.payments.reduce((sum, p) => sum + p.amount, 0);
          expect(paid).toBe(total + plan.rounding);
          expect(Math.abs(plan.rounding)).toBeLessThanOrEqual(5);
          expect(plan.payments.filter((p) => p.method !== 'cash').every((p) => p.change === 0)).toBe(true);
          expect(plan.change).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
