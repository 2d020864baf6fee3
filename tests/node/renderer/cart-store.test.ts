import { describe, expect, it, vi } from 'vitest';
import type { Cart } from '../../../src/shared/checkout-schemas';
import { cartPatch, type CartAnswer } from '../../../src/shared/cart-patch';
import type { Result } from '../../../src/shared/errors';
import type { Product } from '../../../src/shared/schemas';
import { withTimeout } from '../../support/bounded.mjs';
import { createApprovalStore } from '../../../src/renderer/stores/approval-store';
import { createCartStore } from '../../../src/renderer/stores/cart-store';
import { cartLine, cartOf, createFakePosApi, deferred, emptyCart, fail, ok, settle, wong } from './fake-pos-api';

const setup = () => {
  const fake = createFakePosApi();
  const onFailure = vi.fn();
  const onMiss = vi.fn();
  const approval = createApprovalStore(fake.api, { onFailure });
  const store = createCartStore(fake.api, {
    onFailure,
    onMiss,
    withApproval: (reason, call) => approval.getState().withApproval(reason, call),
  });
  return { fake, store, approval, onFailure, onMiss, s: () => store.getState(), a: () => approval.getState() };
};

const twoLines = cartOf([cartLine({ id: 1 }), cartLine({ id: 2, sku: 'BAK-002', nameZh: '蛋撻', nameEn: 'Egg Tart', unitPrice: 700 })]);

describe('the cart', () => {
  it('loads the open cart main keeps, and highlights its newest line', async () => {
    const { s, fake } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    expect(s().cart).toEqual(twoLines);
    expect(s().selectedLineId).toBe(2);
  });

  it('a scan goes to main and the answered cart is shown, the scanned line highlighted', async () => {
    const { s, fake } = setup();
    fake.answer('cart:scan', ok({ ...twoLines, lastLineId: 1 }));
    const outcome = await s().scan('4890000000011');
    expect(outcome).toEqual({ ok: true });
    expect(fake.calls('cart:scan')).toEqual([{ code: '4890000000011' }]);
    expect(s().selectedLineId).toBe(1);
    expect(s().scanProblem).toBeNull();
  });

  it('an unknown item says 找不到貨品 with its code and beeps, and the cart is unchanged', async () => {
    const { s, fake, onMiss, onFailure } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    fake.answer('cart:scan', fail('ITEM_NOT_FOUND'));
    await s().scan('4890000000999');
    expect(s().scanProblem).toEqual({ kind: 'ITEM_NOT_FOUND', code: '4890000000999' });
    expect(onMiss).toHaveBeenCalledOnce();
    expect(s().cart).toEqual(twoLines);
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('a misread (wrong check digit) says scan again, with a sound', async () => {
    const { s, fake, onMiss } = setup();
    fake.answer('cart:scan', fail('BARCODE_INVALID'));
    await s().scan('4890000000012');
    expect(s().scanProblem?.kind).toBe('BARCODE_INVALID');
    expect(onMiss).toHaveBeenCalledOnce();
  });

  it('a code with spaces, Chinese or 10,000 digits is refused before it is sent', async () => {
    const { s, fake, onMiss } = setup();
    for (const code of ['12 34', '奶茶', '9'.repeat(10_000)]) await s().scan(code);
    expect(fake.calls('cart:scan')).toHaveLength(0);
    expect(s().scanProblem?.kind).toBe('BARCODE_INVALID');
    expect(onMiss).toHaveBeenCalledTimes(3);
    expect(s().problemCount).toBe(3);
  });

  it('the same miss twice counts twice, so it beeps and shows again', async () => {
    const { s, onMiss } = setup();
    await s().scan('123456');
    await s().scan('123456');
    expect(onMiss).toHaveBeenCalledTimes(2);
    expect(s().problemCount).toBe(2);
  });

  it('a lost connection during a scan is passed on and shown as a failure', async () => {
    const { s, fake, onFailure } = setup();
    fake.answer('cart:scan', fail('DISCONNECTED'));
    await s().scan('4890000000011');
    expect(s().scanProblem?.kind).toBe('FAILED');
    expect(onFailure).toHaveBeenCalledWith(expect.objectContaining({ code: 'DISCONNECTED' }));
  });

  it('when answers come back out of order, an older cart never replaces a newer one', async () => {
    const { s, fake } = setup();
    const slow = deferred<Result<Cart>>();
    const older = cartOf([cartLine({ id: 1 })]);
    const newer = cartOf([cartLine({ id: 1 }), cartLine({ id: 2 })]);
    fake.answer('cart:scan', slow.promise, ok(newer));
    fake.answer('cart:get', ok(newer));
    const first = s().scan('4890000000011');
    await s().scan('4890000000028');
    slow.resolve(ok(older));
    await first;
    expect(s().cart).toEqual(newer);
    // Which of them the core handled last is its to say: it is asked once both are in.
    await s().settled();
    expect(fake.calls('cart:get')).toHaveLength(1);
    expect(s().cart).toEqual(newer);
  });

  it('changes quantity, with decimals for weighed items', async () => {
    const { s, fake } = setup();
    fake.answer('cart:set-quantity', ok(cartOf([cartLine({ id: 7, quantity: 0.455, weighed: true })])));
    await s().setQuantity(7, 0.455);
    expect(fake.calls('cart:set-quantity')).toEqual([{ lineId: 7, quantity: 0.455 }]);
    expect(s().cart?.lines[0]?.quantity).toBe(0.455);
  });

  it('a refusal comes back to the dialog that asked, and the cart stays', async () => {
    const { s, fake } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    fake.answer('cart:set-quantity', fail('BAD_REQUEST', 'at most 10,000 units on one line'));
    const outcome = await s().setQuantity(1, 10_001);
    expect(outcome).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'at most 10,000 units on one line' } });
    expect(s().cart).toEqual(twoLines);
  });

  it('an answer keeps the objects of the lines that did not change, so only changed rows render again', async () => {
    const { s, fake } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    const [first, second] = s().cart!.lines;
    // Main answers a fresh copy of the whole cart: line 1 unchanged, line 2 one more, a new line 3.
    const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
    const answered = cartOf([copy(first!), { ...copy(second!), quantity: 2 }, cartLine({ id: 3 })], { lastLineId: 3 });
    fake.answer('cart:scan', ok(answered));
    await s().scan('4890000000011');
    const lines = s().cart!.lines;
    expect(lines[0]).toBe(first);
    expect(lines[1]).not.toBe(second);
    expect(lines[1]!.quantity).toBe(2);
    expect(lines.map((l) => l.id)).toEqual([1, 2, 3]);
    expect(s().cart).toEqual(answered);
    expect(s().selectedLineId).toBe(3);

    // Another cart (a recall) shares nothing with the one before.
    const other = cartOf([copy(first!)], { id: 101 });
    fake.answer('cart:recall', ok(other));
    await s().recall(101);
    expect(s().cart!.lines[0]).not.toBe(first);
    expect(s().cart).toEqual(other);
  });

  it('names the cart it holds, and builds the whole cart from a patch of it (unchanged lines keep their objects)', async () => {
    const { s, fake } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    const [first, second] = s().cart!.lines;
    const next = cartOf([first!, { ...second!, quantity: 2 }, cartLine({ id: 3 })], { lastLineId: 3 });
    fake.answer('cart:scan', ok(cartPatch(twoLines, next)!));
    await s().scan('4890000000011');
    expect(fake.calls('cart:scan')).toEqual([{ code: '4890000000011', known: twoLines.revision }]);
    expect(s().cart).toEqual(next);
    expect(s().cart!.lines[0]).toBe(first);
    expect(s().selectedLineId).toBe(3);

    // The next intent names the cart just built.
    const after = cartOf([first!, { ...second!, quantity: 2 }], { lastLineId: 2 });
    fake.answer('cart:remove-line', ok(cartPatch(next, after)!));
    await s().removeLine(3);
    expect(fake.calls('cart:remove-line')).toEqual([{ lineId: 3, known: next.revision }]);
    expect(s().cart).toEqual(after);
  });

  it('two scans sent before either answer name the same cart, and both patches apply', async () => {
    const { s, fake } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    const three = cartOf([...twoLines.lines, cartLine({ id: 3 })]);
    const four = cartOf([...three.lines, cartLine({ id: 4 })]);
    const [first, second] = [deferred<Result<CartAnswer>>(), deferred<Result<CartAnswer>>()];
    fake.answer('cart:scan', first.promise, second.promise);
    const scans = [s().scan('4890000000011'), s().scan('4890000000028')];
    expect(fake.calls('cart:scan').map((c) => c.known)).toEqual([twoLines.revision, twoLines.revision]);
    // The core answers each against the cart named: both patch the two-line cart.
    first.resolve(ok(cartPatch(twoLines, three)!));
    await settle();
    expect(s().cart).toEqual(three);
    second.resolve(ok(cartPatch(twoLines, four)!));
    await Promise.all(scans);
    await s().settled();
    expect(s().cart).toEqual(four);
    expect(fake.calls('cart:get')).toHaveLength(1); // the load only: nothing had to be read again
  });

  it('a patch of a cart it no longer holds is not guessed at: the cart is read again', async () => {
    const { s, fake } = setup();
    fake.answer('cart:get', ok(twoLines), ok(twoLines));
    await s().load();
    const stranger = cartOf([cartLine({ id: 1 })]);
    fake.answer('cart:scan', ok(cartPatch(stranger, cartOf([cartLine({ id: 1 }), cartLine({ id: 9 })]))!));
    const outcome = await s().scan('4890000000011');
    expect(outcome).toEqual({ ok: true });
    expect(fake.calls('cart:get')).toHaveLength(2);
    expect(s().cart).toEqual(twoLines);
  });

  it('removing the highlighted line moves the highlight to the newest remaining line', async () => {
    const { s, fake } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    fake.answer('cart:remove-line', ok(cartOf([cartLine({ id: 1 })], { lastLineId: 2 })));
    await s().removeLine(2);
    expect(s().selectedLineId).toBe(1);
  });

  it('arrow keys move the highlight within the cart, and a change elsewhere brings it back to that line', async () => {
    const { s, fake } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    s().moveSelection(-1);
    expect(s().selectedLineId).toBe(1);
    s().moveSelection(-1);
    expect(s().selectedLineId).toBe(1);
    expect(s().selectedLine()?.id).toBe(1);
    // a cart discount does not move main's last line: the cashier's choice stays
    fake.answer('cart:set-cart-discount', ok({ ...twoLines, discount: { kind: 'percent', basisPoints: 500 } }));
    await s().setCartDiscount({ kind: 'percent', basisPoints: 500 });
    expect(s().selectedLineId).toBe(1);
    // a new scan does
    fake.answer('cart:scan', ok(cartOf([...twoLines.lines, cartLine({ id: 3 })])));
    await s().scan('4890000000011');
    expect(s().selectedLineId).toBe(3);
  });

  it('suspending shows the fresh open cart main answers', async () => {
    const { s, fake } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    fake.answer('cart:suspend', ok(emptyCart(101)));
    await s().suspend('客人 1 · 14:32');
    expect(fake.calls('cart:suspend')).toEqual([{ label: '客人 1 · 14:32' }]);
    expect(s().cart?.id).toBe(101);
    expect(s().cart?.lines).toEqual([]);
  });

  it('if main answers the suspended cart itself, the open one is fetched', async () => {
    const { s, fake } = setup();
    fake.answer('cart:suspend', ok({ ...twoLines, status: 'suspended', label: '客人 1' }));
    fake.answer('cart:get', ok(emptyCart(102)));
    await s().suspend('客人 1');
    expect(s().cart?.id).toBe(102);
  });

  it('recalling while the current cart has lines is a CONFLICT the dialog shows', async () => {
    const { s, fake } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    fake.answer('cart:recall', fail('CONFLICT'));
    const outcome = await s().recall(55);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.code).toBe('CONFLICT');
    expect(s().cart).toEqual(twoLines);
  });

  it('voids with the reason given', async () => {
    const { s, fake } = setup();
    await s().voidCart('客人離開');
    expect(fake.calls('cart:void')).toEqual([{ reason: '客人離開' }]);
  });

  it('adds returned lines from a receipt', async () => {
    const { s, fake } = setup();
    const refund = cartOf([cartLine({ id: 9, quantity: -1, returnOf: { receiptNo: 'MK01-01-000123', saleLineId: 501 } })]);
    fake.answer('cart:add-return', ok(refund));
    await s().addReturn('MK01-01-000123', [{ saleLineId: 501, quantity: 1 }]);
    expect(fake.calls('cart:add-return')).toEqual([{ receiptNo: 'MK01-01-000123', lines: [{ saleLineId: 501, quantity: 1 }] }]);
    expect(s().cart?.total).toBeLessThan(0);
  });

  it('after a completed sale the next cart is fetched and the problem line cleared', async () => {
    const { s, fake } = setup();
    await s().scan('bad code');
    fake.answer('cart:get', ok(emptyCart(200)));
    await s().completed();
    expect(s().cart?.id).toBe(200);
    expect(s().scanProblem).toBeNull();
  });

  it('reset drops the cart and any answer still in flight', async () => {
    const { s, fake } = setup();
    const slow = deferred<Result<Cart>>();
    fake.answer('cart:scan', slow.promise);
    const pending = s().scan('4890000000011');
    s().reset();
    slow.resolve(ok(twoLines));
    await pending;
    expect(s().cart).toBeNull();
  });
});

describe('manager override (approval)', () => {
  it('a discount over the limit opens the PIN pad and is sent again with the manager approval', async () => {
    const { s, a, fake } = setup();
    const discounted = cartOf([cartLine({ id: 1, discount: { kind: 'percent', basisPoints: 2500 }, discountAmount: 450 })]);
    fake.answer('cart:set-line-discount', fail('APPROVAL_REQUIRED'), ok(discounted));
    const outcome = s().setLineDiscount(1, { kind: 'percent', basisPoints: 2500 });
    await settle();
    expect(a().open).toBe(true);
    expect(a().reason).toBe('discount');
    expect(a().managers.map((m) => m.role)).toEqual(['manager', 'manager']);
    a().selectManager(wong.id);
    for (const d of '4321') a().pressDigit(d);
    await a().submit();
    expect(await outcome).toEqual({ ok: true });
    expect(fake.calls('cart:set-line-discount')).toEqual([
      { lineId: 1, discount: { kind: 'percent', basisPoints: 2500 } },
      { lineId: 1, discount: { kind: 'percent', basisPoints: 2500 }, approval: { staffId: wong.id, pin: '4321' } },
    ]);
    expect(a().open).toBe(false);
    expect(a().pin).toBe('');
    expect(s().cart).toEqual(discounted);
  });

  it('a wrong PIN is shown on the pad, which stays, and the next PIN goes with the same request', async () => {
    const { s, a, fake } = setup();
    fake.answer('cart:set-price', fail('APPROVAL_REQUIRED'), fail('PIN_INVALID'), ok(twoLines));
    const outcome = s().setPrice(2, 500);
    await settle();
    a().selectManager(wong.id);
    for (const d of '1111') a().pressDigit(d);
    await a().submit();
    expect(a().open).toBe(true);
    expect(a().error).toBe('PIN_INVALID');
    expect(a().pin).toBe('');
    for (const d of '4321') a().pressDigit(d);
    await a().submit();
    expect(await outcome).toEqual({ ok: true });
    expect(fake.calls('cart:set-price').at(-1)).toEqual({ lineId: 2, unitPrice: 500, approval: { staffId: wong.id, pin: '4321' } });
  });

  it('a locked-out manager is shown in place too', async () => {
    const { s, a, fake } = setup();
    fake.answer('cart:set-cart-discount', fail('APPROVAL_REQUIRED'), fail('LOCKED_OUT', 'Try again in 5 min'));
    void s().setCartDiscount({ kind: 'percent', basisPoints: 3000 });
    await settle();
    a().selectManager(wong.id);
    for (const d of '0000') a().pressDigit(d);
    await a().submit();
    expect(a().error).toBe('LOCKED_OUT');
    expect(a().errorDetail).toBe('Try again in 5 min');
    expect(a().open).toBe(true);
  });

  it('a cashier picked as the approver is not a manager', async () => {
    const { s, a, fake } = setup();
    fake.answer('cart:set-price', fail('APPROVAL_REQUIRED'), fail('FORBIDDEN'));
    void s().setPrice(1, 100);
    await settle();
    a().selectManager(1);
    for (const d of '1234') a().pressDigit(d);
    await a().submit();
    expect(a().error).toBe('NOT_A_MANAGER');
  });

  it('the PIN pad asks for a name first and for at least 4 digits', async () => {
    const { s, a, fake } = setup();
    fake.answer('cart:set-price', fail('APPROVAL_REQUIRED'));
    void s().setPrice(1, 100);
    await settle();
    a().pressDigit('1');
    expect(a().error).toBe('CHOOSE_MANAGER');
    a().selectManager(wong.id);
    for (const d of '123') a().pressDigit(d);
    await a().submit();
    expect(a().error).toBe('PIN_TOO_SHORT');
    expect(fake.calls('cart:set-price')).toHaveLength(1);
  });

  it('backing out answers the original refusal, marked cancelled, and nothing changes', async () => {
    const { s, a, fake } = setup();
    fake.answer('cart:get', ok(twoLines));
    await s().load();
    fake.answer('cart:add-return-without-receipt', fail('APPROVAL_REQUIRED'));
    const outcome = s().addReturnWithoutReceipt('4890000000011', 1);
    await settle();
    expect(a().reason).toBe('return-without-receipt');
    a().cancel();
    const result = await outcome;
    expect(result).toMatchObject({ ok: false, cancelled: true, error: { code: 'APPROVAL_REQUIRED' } });
    expect(a().open).toBe(false);
    expect(s().cart).toEqual(twoLines);
    expect(fake.calls('cart:add-return-without-receipt')).toHaveLength(1);
  });

  it('an action within the limit never shows the pad', async () => {
    const { s, a, fake } = setup();
    fake.answer('cart:set-line-discount', ok(twoLines));
    await s().setLineDiscount(1, { kind: 'percent', basisPoints: 500 });
    expect(a().open).toBe(false);
    expect(fake.calls('staff:list-for-login')).toHaveLength(0);
  });

  it('with one manager on the roster, the manager is already chosen', async () => {
    const { s, a, fake } = setup();
    fake.answer('staff:list-for-login', ok([wong]));
    fake.answer('cart:set-price', fail('APPROVAL_REQUIRED'));
    void s().setPrice(1, 100);
    await settle();
    expect(a().managerId).toBe(wong.id);
  });

  it('quick-add of an unknown item goes through the same override, then puts one in the cart', async () => {
    const { s, a, fake } = setup();
    await s().scan('4890000000999');
    expect(s().scanProblem?.kind).toBe('ITEM_NOT_FOUND');
    fake.answer('catalog:quick-add', fail('APPROVAL_REQUIRED'));
    const outcome = s().quickAdd({
      code: '4890000000999',
      nameZh: '菊花茶',
      nameEn: 'Chrysanthemum Tea',
      price: 1200,
      categoryCode: 'drinks',
    });
    await settle();
    expect(a().reason).toBe('quick-add');
    a().selectManager(wong.id);
    for (const d of '4321') a().pressDigit(d);
    await a().submit();
    expect(await outcome).toEqual({ ok: true });
    expect(fake.calls('catalog:quick-add').at(-1)).toEqual({
      code: '4890000000999',
      nameZh: '菊花茶',
      nameEn: 'Chrysanthemum Tea',
      price: 1200,
      categoryCode: 'drinks',
      approval: { staffId: wong.id, pin: '4321' },
    });
    expect(fake.calls('cart:add-product')).toEqual([{ productId: 99 }]);
    expect(s().scanProblem).toBeNull();
  });

  it('settled() waits for a quick-add from its submit: the cart it answers has the new line', async () => {
    const { s, fake } = setup();
    const created = deferred<Result<Product>>();
    fake.answer('catalog:quick-add', created.promise);
    const adding = s().quickAdd({ code: '4890000000999', nameZh: '菊花茶', nameEn: 'Chrysanthemum Tea', price: 1200, categoryCode: null });
    expect(s().pending()).toBe(true);
    const settled = s().settled();
    created.resolve(
      ok({
        id: 99,
        sku: '4890000000999',
        nameZh: '菊花茶',
        nameEn: 'Chrysanthemum Tea',
        price: 1200,
        categoryCode: null,
        barcodes: [],
        parentSku: null,
      }),
    );
    expect((await withTimeout(settled, 2000, 'settled() after a quick-add'))?.lines).toHaveLength(1);
    expect(await adding).toEqual({ ok: true });
  });

  it('a second request over the limit replaces the first, which backs out', async () => {
    const { s, a, fake } = setup();
    fake.answer('cart:set-price', fail('APPROVAL_REQUIRED'), fail('APPROVAL_REQUIRED'));
    const first = s().setPrice(1, 100);
    await settle();
    const second = s().setPrice(2, 200);
    await settle();
    expect(await first).toMatchObject({ ok: false, cancelled: true });
    expect(a().open).toBe(true);
    a().cancel();
    expect(await second).toMatchObject({ ok: false, cancelled: true });
  });
});
