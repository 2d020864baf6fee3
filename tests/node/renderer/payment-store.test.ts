import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { PaymentMethod } from '../../../src/shared/checkout-schemas';
import { cashRounding } from '../../../src/shared/money';
import { paymentSummary, planEntries, tenderInputs, tenderProblem, type TenderEntry } from '../../../src/shared/tender-plan';
import { createPaymentStore } from '../../../src/renderer/stores/payment-store';
import { cartLine, cartOf, checkoutSettings, createFakePosApi, fail, ok, paymentMethods, receipt } from './fake-pos-api';

const [cash, card, octopus, fps] = paymentMethods as [PaymentMethod, PaymentMethod, PaymentMethod, PaymentMethod];
let id = 0;
const tender = (method: PaymentMethod, amount: number, extra: Partial<TenderEntry> = {}): TenderEntry => ({
  id: ++id,
  method,
  amount,
  ...extra,
});

describe('payment arithmetic', () => {
  it('HK$56.54 in cash is HK$56.50 due, rounding −HK$0.04 shown', () => {
    const s = paymentSummary(5654, [], 10, 'cash');
    expect(s.remaining).toBe(5650);
    expect(s.rounding).toBe(-4);
  });

  it('the same HK$56.54 on a card is exact: rounding applies to cash only', () => {
    const s = paymentSummary(5654, [], 10, 'card');
    expect(s.remaining).toBe(5654);
    expect(s.rounding).toBe(0);
  });

  it('HK$100 handed over for HK$56.54 gives HK$43.50 change', () => {
    const s = paymentSummary(5654, [tender(cash, 10000)], 10, 'cash');
    expect(s.covered).toBe(true);
    expect(s.remaining).toBe(0);
    expect(s.change).toBe(4350);
  });

  it('split: card HK$20 then cash for the rest, rounded on the cash part only', () => {
    const s = paymentSummary(5654, [tender(card, 2000, { approvalCode: 'A1' })], 10, 'cash');
    expect(s.remaining).toBe(3650);
    expect(s.rounding).toBe(-4);
    const done = paymentSummary(5654, [tender(card, 2000, { approvalCode: 'A1' }), tender(cash, 5000)], 10, null);
    expect(done.covered).toBe(true);
    expect(done.change).toBe(1350);
  });

  it('cash first, then a card pays the exact rest', () => {
    const s = paymentSummary(5654, [tender(cash, 2000)], 10, 'card');
    expect(s.remaining).toBe(3654);
    expect(s.covered).toBe(false);
  });

  it('no rounding step: cash pays to the cent', () => {
    expect(paymentSummary(5654, [], 0, 'cash').remaining).toBe(5654);
  });

  it('HK$1 step rounds half up', () => {
    expect(paymentSummary(5650, [], 100, 'cash').remaining).toBe(5700);
    expect(paymentSummary(5649, [], 100, 'cash').remaining).toBe(5600);
  });

  it('a zero total (an even exchange) is covered with no tenders', () => {
    expect(paymentSummary(0, [], 10, 'cash').covered).toBe(true);
  });

  it('only cash may exceed the amount due', () => {
    expect(tenderProblem(5654, [], 10, { method: card, amount: 6000, approvalCode: 'A1' })).toBe('NON_CASH_OVER_DUE');
    expect(tenderProblem(5654, [], 10, { method: octopus, amount: 5655, reference: 'R1' })).toBe('NON_CASH_OVER_DUE');
    expect(tenderProblem(5654, [], 10, { method: octopus, amount: 5654, reference: 'R1' })).toBeNull();
    expect(tenderProblem(5654, [], 10, { method: cash, amount: 100000 })).toBeNull();
  });

  it('a non-cash tender after cash may not go past what is left', () => {
    expect(tenderProblem(5654, [tender(cash, 2000)], 10, { method: fps, amount: 3700, reference: 'F1' })).toBe('NON_CASH_OVER_DUE');
    expect(tenderProblem(5654, [tender(cash, 2000)], 10, { method: fps, amount: 3654, reference: 'F1' })).toBeNull();
  });

  it('a card needs its approval code, never a card number; a wallet its reference', () => {
    expect(tenderProblem(5654, [], 10, { method: card, amount: 5654 })).toBe('APPROVAL_CODE_REQUIRED');
    expect(tenderProblem(5654, [], 10, { method: card, amount: 5654, approvalCode: 'AB 12' })).toBe('APPROVAL_CODE_INVALID');
    expect(tenderProblem(5654, [], 10, { method: card, amount: 5654, approvalCode: 'AB12', cardLast4: '12345' })).toBe('LAST4_INVALID');
    expect(tenderProblem(5654, [], 10, { method: octopus, amount: 5654 })).toBe('REFERENCE_REQUIRED');
    expect(tenderProblem(5654, [], 10, { method: fps, amount: 5654, reference: '4111 1111 1111 1111' })).toBe('LOOKS_LIKE_CARD_NUMBER');
    expect(tenderProblem(5654, [], 10, { method: fps, amount: 5654, reference: '轉數快' })).toBe('REFERENCE_INVALID');
  });

  it('nothing more once covered; nothing zero or negative; at most 10 tenders', () => {
    expect(tenderProblem(5654, [tender(cash, 10000)], 10, { method: cash, amount: 100 })).toBe('ALREADY_COVERED');
    expect(tenderProblem(5654, [], 10, { method: cash, amount: 0 })).toBe('AMOUNT_INVALID');
    const ten = Array.from({ length: 10 }, () => tender(cash, 1));
    expect(tenderProblem(5654, ten, 10, { method: cash, amount: 1 })).toBe('TOO_MANY_TENDERS');
  });

  it('a refund pays back; cash may not exceed it and gives no change', () => {
    const s = paymentSummary(-2390, [], 10, 'cash');
    expect(s.refund).toBe(true);
    expect(s.remaining).toBe(2390);
    expect(tenderProblem(-2390, [], 10, { method: cash, amount: 5000 })).toBe('REFUND_OVER_DUE');
    const done = paymentSummary(-2390, [tender(cash, 2390)], 10, null);
    expect(done.covered).toBe(true);
    expect(done.change).toBe(0);
    // a card refund needs no approval code
    expect(tenderProblem(-2390, [], 10, { method: card, amount: 2390 })).toBeNull();
  });

  it('builds sale:complete tenders: cash pays the rounded rest and records the notes handed over', () => {
    expect(tenderInputs(5654, [tender(card, 2000, { approvalCode: 'A1B2', cardLast4: '4242' }), tender(cash, 5000)], 10)).toEqual([
      { method: 'card', amount: 2000, approvalCode: 'A1B2', cardLast4: '4242' },
      { method: 'cash', amount: 3650, tendered: 5000 },
    ]);
    expect(tenderInputs(5654, [tender(cash, 5650)], 10)).toEqual([{ method: 'cash', amount: 5650 }]);
    expect(tenderInputs(5654, [tender(octopus, 5654, { reference: 'OCT1' })], 10)).toEqual([
      { method: 'octopus', amount: 5654, reference: 'OCT1' },
    ]);
  });

  it('two cash hand-overs: the second one past the rest adds to the change', () => {
    expect(tenderInputs(5650, [tender(cash, 5000), tender(cash, 1000)], 10)).toEqual([
      { method: 'cash', amount: 5000 },
      { method: 'cash', amount: 650, tendered: 1000 },
    ]);
    expect(tenderInputs(5650, [tender(cash, 10000), tender(cash, 2000)], 10)).toEqual([{ method: 'cash', amount: 5650, tendered: 12000 }]);
  });

  it('property: covered tenders always sum to the total plus cash rounding, and change is never negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(0 as const, 10 as const, 50 as const, 100 as const),
        fc.integer({ min: 0, max: 100_000 }),
        (total, cardPercent, step, extraCash) => {
          const cardAmount = Math.floor((total * cardPercent) / 100);
          const tenders: TenderEntry[] = cardAmount > 0 ? [tender(card, cardAmount, { approvalCode: 'A1' })] : [];
          const before = paymentSummary(total, tenders, step, 'cash');
          if (before.covered) return;
          const handed = before.remaining + extraCash;
          if (handed <= 0) return;
          tenders.push(tender(cash, handed));
          const after = paymentSummary(total, tenders, step, null);
          expect(after.covered).toBe(true);
          expect(after.change).toBeGreaterThanOrEqual(0);
          const inputs = tenderInputs(total, tenders, step);
          const paid = inputs.reduce((sum, t) => sum + t.amount, 0);
          const rounded = cashRounding(total - cardAmount, step);
          expect(paid).toBe(cardAmount + (rounded.amount > 0 ? rounded.amount : total - cardAmount));
          for (const t of inputs) expect(t.amount).toBeGreaterThan(0);
          expect(Math.abs(paid - total)).toBeLessThanOrEqual(step / 2);
        },
      ),
    );
  });
});

describe('the screen and main plan alike (one shared tender plan)', () => {
  it('a rest of HK$0.04 is paid exactly in cash: no rounding to HK$0 on the screen nor in the plan', () => {
    const tenders = [tender(card, 5650, { approvalCode: 'A1' })];
    expect(paymentSummary(5654, tenders, 10, 'cash')).toMatchObject({ remaining: 4, rounding: 0 });
    tenders.push(tender(cash, 100));
    expect(paymentSummary(5654, tenders, 10, null)).toMatchObject({ covered: true, change: 96, rounding: 0 });
    const plan = planEntries(5654, tenders, 10, paymentMethods);
    expect(plan.ok && plan.value).toMatchObject({ rounding: 0, change: 96 });
    expect(plan.ok && plan.value.payments[1]).toMatchObject({ method: 'cash', amount: 4, tendered: 100, change: 96 });
  });

  it('property: whatever the screen calls covered, the plan accepts with the same change and rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2_000_000, max: 2_000_000 }),
        fc.array(fc.record({ cash: fc.boolean(), amount: fc.integer({ min: 1, max: 2_000_000 }) }), { maxLength: 6 }),
        fc.constantFrom(0 as const, 10 as const, 50 as const, 100 as const),
        (total, attempts, step) => {
          const tenders: TenderEntry[] = [];
          for (const attempt of attempts) {
            const entry = attempt.cash
              ? { method: cash, amount: attempt.amount }
              : { method: card, amount: attempt.amount, approvalCode: 'A1' };
            if (tenderProblem(total, tenders, step, entry) === null) tenders.push({ id: ++id, ...entry });
          }
          const summary = paymentSummary(total, tenders, step, null);
          if (!summary.covered) return;
          const plan = planEntries(total, tenders, step, paymentMethods);
          if (!plan.ok) throw new Error(plan.error.message);
          expect(plan.value.change).toBe(summary.change);
          expect(plan.value.rounding).toBe((total < 0 ? -1 : 1) * summary.rounding + 0);
        },
      ),
    );
  });

  it('the shared plan answers a Result: a refusal is a typed error, not a throw', () => {
    const plan = planEntries(5654, [tender(card, 2000, { approvalCode: 'A1' })], 10, paymentMethods);
    expect(plan).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'Tenders cover HK$20.00 of HK$56.54 due' } });
  });
});

describe('the payment screen', () => {
  const setup = (total = 5654) => {
    const fake = createFakePosApi();
    const onCompleted = vi.fn();
    const onFailure = vi.fn();
    const store = createPaymentStore(fake.api, {
      config: () => ({ settings: checkoutSettings, methods: paymentMethods }),
      onCompleted,
      onFailure,
    });
    const cart = cartOf([cartLine({ id: 1, unitPrice: total })], { id: 100 });
    store.getState().begin(cart);
    return { fake, store, onCompleted, onFailure, s: () => store.getState() };
  };

  it('opens on cash with the rounded amount due filled in', () => {
    const { s } = setup();
    expect(s().methodCode).toBe('cash');
    expect(s().amountText).toBe('56.50');
    expect(s().summary().rounding).toBe(-4);
  });

  it('Enter with HK$100 typed adds it and shows the change; the next Enter completes', async () => {
    const { s, fake, onCompleted } = setup();
    s().setAmountText('100');
    await s().enter();
    expect(s().summary()).toMatchObject({ covered: true, change: 4350, remaining: 0 });
    expect(fake.calls('sale:complete')).toHaveLength(0);
    await s().enter();
    expect(fake.calls('sale:complete')).toEqual([{ cartId: 100, tenders: [{ method: 'cash', amount: 5650, tendered: 10000 }] }]);
    expect(onCompleted).toHaveBeenCalledWith(receipt());
    expect(s().active).toBe(false);
  });

  it('split tender: card for part, then cash; after the card, cash is offered for the rest', async () => {
    const { s, fake } = setup();
    s().chooseMethod('card');
    expect(s().amountText).toBe('56.54');
    s().setAmountText('20');
    s().setApprovalCode('A12345');
    s().setCardLast4('4242');
    expect(s().addTender()).toBe(true);
    expect(s().methodCode).toBe('cash');
    expect(s().amountText).toBe('36.50');
    expect(s().quickCash(5000)).toBe(true);
    expect(s().summary().change).toBe(1350);
    await s().complete();
    expect(fake.calls('sale:complete')[0]?.tenders).toEqual([
      { method: 'card', amount: 2000, approvalCode: 'A12345', cardLast4: '4242' },
      { method: 'cash', amount: 3650, tendered: 5000 },
    ]);
  });

  it('refuses a card over the amount due, with a message, and adds nothing', () => {
    const { s } = setup();
    s().chooseMethod('card');
    s().setAmountText('60');
    s().setApprovalCode('A1');
    expect(s().addTender()).toBe(false);
    expect(s().problem).toBe('NON_CASH_OVER_DUE');
    expect(s().tenders).toEqual([]);
  });

  it('exact cash pays the rounded amount', async () => {
    const { s, fake } = setup();
    s().quickCash('exact');
    expect(s().summary()).toMatchObject({ covered: true, change: 0 });
    await s().complete();
    expect(fake.calls('sale:complete')[0]?.tenders).toEqual([{ method: 'cash', amount: 5650 }]);
  });

  it('a tap on the amount owed pays exactly that with the chosen method', async () => {
    const { s, fake } = setup();
    expect(s().payRemaining()).toBe(true);
    expect(s().summary()).toMatchObject({ covered: true, change: 0 });
    expect(s().payRemaining()).toBe(false);
    await s().complete();
    expect(fake.calls('sale:complete')[0]?.tenders).toEqual([{ method: 'cash', amount: 5650 }]);
  });

  it('a tap on the amount owed with a card chosen still needs its approval code', () => {
    const { s } = setup();
    s().chooseMethod('card');
    expect(s().payRemaining()).toBe(false);
    expect(s().problem).toBe('APPROVAL_CODE_REQUIRED');
    s().setApprovalCode('A1');
    expect(s().payRemaining()).toBe(true);
    expect(s().tenders[0]).toMatchObject({ amount: 5654, approvalCode: 'A1' });
  });

  it('a removed tender is owed again', () => {
    const { s } = setup();
    s().quickCash(2000);
    expect(s().summary().remaining).toBe(3650);
    s().removeTender(s().tenders[0]!.id);
    expect(s().summary().remaining).toBe(5650);
    expect(s().amountText).toBe('56.50');
  });

  it('Enter with nothing typed and money still owed says so', async () => {
    const { s, fake } = setup();
    s().quickCash(2000);
    s().setAmountText('');
    await s().enter();
    expect(s().problem).toBe('NOT_COVERED');
    expect(fake.calls('sale:complete')).toHaveLength(0);
  });

  it('main refusing the completion is shown, and the tenders stay for another try', async () => {
    const { s, fake, onCompleted } = setup();
    fake.answer('sale:complete', fail('BAD_REQUEST', 'Enter the card terminal’s approval code'));
    s().quickCash(10000);
    await s().complete();
    expect(s().failure?.code).toBe('BAD_REQUEST');
    expect(s().tenders).toHaveLength(1);
    expect(s().completing).toBe(false);
    expect(onCompleted).not.toHaveBeenCalled();
  });

  it('tenders the plan refuses (a method switched off meanwhile) are refused on the screen and never sent', async () => {
    const fake = createFakePosApi();
    let methods = paymentMethods;
    const onFailure = vi.fn();
    const store = createPaymentStore(fake.api, { config: () => ({ settings: checkoutSettings, methods }), onFailure });
    const s = () => store.getState();
    s().begin(cartOf([cartLine({ id: 1, unitPrice: 5654 })], { id: 9 }));
    s().chooseMethod('octopus');
    s().setReference('OCT1');
    expect(s().addTender()).toBe(true);
    methods = paymentMethods.filter((m) => m.code !== 'octopus');
    expect(await s().complete()).toBeNull();
    expect(fake.calls('sale:complete')).toHaveLength(0);
    expect(s().failure).toEqual({ code: 'BAD_REQUEST', message: 'Unknown or inactive payment method octopus' });
    expect(onFailure).toHaveBeenCalledOnce();
    expect(s()).toMatchObject({ completing: false, active: true });
  });

  it('a refund cart turns the screen into 退款: cash back exactly, no change', async () => {
    const fake = createFakePosApi();
    const store = createPaymentStore(fake.api, { config: () => ({ settings: checkoutSettings, methods: paymentMethods }) });
    store.getState().begin(cartOf([cartLine({ id: 1, quantity: -1, unitPrice: 2390 })], { id: 7 }));
    const s = () => store.getState();
    expect(s().summary().refund).toBe(true);
    expect(s().amountText).toBe('23.90');
    s().setAmountText('50');
    expect(s().addTender()).toBe(false);
    expect(s().problem).toBe('REFUND_OVER_DUE');
    s().setAmountText('23.90');
    await s().enter();
    await s().enter();
    expect(fake.calls('sale:complete')).toEqual([{ cartId: 7, tenders: [{ method: 'cash', amount: 2390 }] }]);
  });

  it('Esc drops the tenders not yet sent', () => {
    const { s } = setup();
    s().quickCash(2000);
    s().cancel();
    expect(s().active).toBe(false);
    expect(s().tenders).toEqual([]);
  });

  it('completes only once however fast Enter is pressed', async () => {
    const { s, fake } = setup();
    fake.answer('sale:complete', new Promise((r) => setTimeout(() => r(ok(receipt())), 5)));
    s().quickCash(10000);
    await Promise.all([s().enter(), s().enter(), s().complete()]);
    expect(fake.calls('sale:complete')).toHaveLength(1);
  });
});
