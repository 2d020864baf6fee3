import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { canRun, leavePayment, runCommand } from '../../../src/renderer/checkout/commands';
import { submitScanField } from '../../../src/renderer/checkout/scan-field-submit';
import { routeScan } from '../../../src/renderer/scanner/scan-router';
import { createPosStores } from '../../../src/renderer/stores/pos-stores';
import { normaliseReceiptNo } from '../../../src/renderer/stores/receipt-store';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { Result } from '../../../src/shared/errors';
import {
  cartLine,
  cartOf,
  chan,
  createFakePosApi,
  deferred,
  eggTart,
  emptyCart,
  fail,
  milkTea,
  ok,
  receipt,
  registerStatus,
  settle,
} from './fake-pos-api';

/** The stores wired as the app wires them, logged in as a cashier with an open cart. */
async function loggedIn(cart = emptyCart()) {
  const fake = createFakePosApi();
  const timers = new Map<number, () => void>();
  let nextTimer = 1;
  const stores = createPosStores(fake.api, {
    retryDelaysMs: [1000],
    catalogTimers: {
      setTimer: (callback) => {
        timers.set(nextTimer, callback);
        return nextTimer++;
      },
      clearTimer: (handle) => void timers.delete(handle as number),
    },
  });
  fake.answer('register:status', ok(registerStatus({ staff: chan })));
  fake.answer('cart:get', ok(cart));
  stores.register.getState().start();
  await settle();
  const flushSearch = async () => {
    const due = [...timers.values()];
    timers.clear();
    for (const callback of due) callback();
    await settle();
  };
  return { fake, stores, flushSearch };
}

const withLines = cartOf([cartLine({ id: 1 }), cartLine({ id: 2, sku: 'BAK-002', unitPrice: 700 })]);

describe('logging in starts the checkout', () => {
  it('loads favourites, checkout settings, payment methods and the open cart', async () => {
    const { fake, stores } = await loggedIn(withLines);
    expect(fake.calls('catalog:favourites')).toHaveLength(1);
    expect(fake.calls('settings:checkout')).toHaveLength(1);
    expect(fake.calls('payment:methods')).toHaveLength(1);
    expect(stores.cart.getState().cart).toEqual(withLines);
    expect(stores.settings.getState().methods.map((m) => m.code)).toEqual(['cash', 'card', 'octopus', 'fps']);
  });

  it('logging out clears everything of the last cashier', async () => {
    const { stores } = await loggedIn(withLines);
    stores.ui.getState().open({ kind: 'returns' });
    await stores.session.getState().logout();
    expect(stores.cart.getState().cart).toBeNull();
    expect(stores.catalog.getState().favourites).toEqual([]);
    expect(stores.ui.getState().dialog).toBeNull();
  });

  it('a session that ended in main shows the login screen at the next call', async () => {
    const { fake, stores } = await loggedIn();
    fake.answer('cart:scan', fail('NOT_LOGGED_IN'));
    await stores.cart.getState().scan('4890000000011');
    expect(stores.session.getState().staff).toBeNull();
  });

  describe('with the core going away', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('a call that finds the core gone shows the connection screen; favourites and the cart come back with it', async () => {
      const { fake, stores } = await loggedIn();
      fake.answer('catalog:favourites', fail('DISCONNECTED'));
      await stores.catalog.getState().loadFavourites();
      expect(stores.register.getState().connection).toBe('unreachable');
      fake.answer('register:status', ok(registerStatus({ staff: chan })));
      fake.answer('cart:get', ok(withLines));
      await vi.advanceTimersByTimeAsync(1000);
      expect(stores.register.getState().connection).toBe('connected');
      expect(stores.catalog.getState().favouritesState).toBe('ready');
      expect(stores.cart.getState().cart).toEqual(withLines);
    });
  });
});

describe('where a scan goes', () => {
  it('into the cart, whatever dialog about a line is open (the dialog closes)', async () => {
    const { fake, stores } = await loggedIn(withLines);
    stores.ui.getState().open({ kind: 'quantity', lineId: 1 });
    fake.answer('cart:scan', ok(withLines));
    routeScan(stores, '4890000000011');
    await settle();
    expect(fake.calls('cart:scan')).toEqual([{ code: '4890000000011', known: expect.any(String) }]);
    expect(stores.ui.getState().dialog).toBeNull();
  });

  it('in 退貨, a scanned receipt barcode finds the sale', async () => {
    const { fake, stores } = await loggedIn();
    runCommand(stores, 'return');
    routeScan(stores, 'MK01-01-000123');
    await settle();
    expect(fake.calls('sale:find')).toEqual([{ receiptNo: 'MK01-01-000123' }]);
    expect(fake.calls('cart:scan')).toHaveLength(0);
    expect(stores.returns.getState().receipt?.receiptNo).toBe('MK01-01-000123');
  });

  it('in a return without receipt, a scan is the item: returned at once, through the manager override', async () => {
    const { fake, stores } = await loggedIn();
    runCommand(stores, 'return');
    stores.returns.getState().setMode('no-receipt');
    fake.answer('cart:add-return-without-receipt', fail('APPROVAL_REQUIRED'), ok(withLines));
    routeScan(stores, '4890000000011');
    await settle();
    expect(stores.returns.getState().itemCode).toBe('4890000000011');
    expect(stores.approval.getState().open).toBe(true);
    stores.approval.getState().selectManager(2);
    for (const d of '4321') stores.approval.getState().pressDigit(d);
    await stores.approval.getState().submit();
    await settle();
    expect(fake.calls('cart:add-return-without-receipt').at(-1)).toEqual({
      code: '4890000000011',
      quantity: 1,
      approval: { staffId: 2, pin: '4321' },
    });
    expect(stores.ui.getState().dialog).toBeNull();
    expect(fake.calls('cart:scan')).toHaveLength(0);
  });

  it('Enter in the scan field while 退貨 is open answers the dialog, not the cart', async () => {
    const { fake, stores } = await loggedIn();
    runCommand(stores, 'return');
    stores.catalog.getState().setQuery('MK01-01-000123');
    expect(await submitScanField(stores)).toBe('scanned');
    await settle();
    expect(fake.calls('sale:find')).toEqual([{ receiptNo: 'MK01-01-000123' }]);
    expect(fake.calls('cart:scan')).toHaveLength(0);
    expect(stores.catalog.getState().query).toBe('');
  });

  it('in 查單, a scan looks the sale up', async () => {
    const { fake, stores } = await loggedIn();
    runCommand(stores, 'lookup');
    routeScan(stores, 'MK01-01-000123');
    await settle();
    expect(fake.calls('sale:find')).toHaveLength(1);
    expect(stores.receipts.getState().found?.receiptNo).toBe('MK01-01-000123');
  });

  it('never into a payment being taken: it is refused with a message and a sound', async () => {
    const { fake, stores } = await loggedIn(withLines);
    runCommand(stores, 'pay');
    routeScan(stores, '4890000000011');
    expect(fake.calls('cart:scan')).toHaveLength(0);
    expect(stores.cart.getState().scanProblem).toEqual({ kind: 'SCAN_WHILE_PAYING', code: '4890000000011' });
  });

  it('never into a manager PIN being typed', async () => {
    const { fake, stores } = await loggedIn(withLines);
    fake.answer('cart:set-price', fail('APPROVAL_REQUIRED'));
    void stores.cart.getState().setPrice(1, 100);
    await settle();
    routeScan(stores, '4890000000011');
    expect(fake.calls('cart:scan')).toHaveLength(0);
    expect(stores.approval.getState().pin).toBe('');
  });
});

describe('Enter in the scan field', () => {
  it('digits are a barcode: cart:scan, and the field clears', async () => {
    const { fake, stores } = await loggedIn();
    fake.answer('cart:scan', ok(withLines));
    stores.catalog.getState().setQuery('4890000000011');
    expect(await submitScanField(stores)).toBe('scanned');
    expect(fake.calls('cart:scan')).toEqual([{ code: '4890000000011', known: expect.any(String) }]);
    expect(stores.catalog.getState().query).toBe('');
  });

  it('an unknown barcode keeps the code in the field, with the message', async () => {
    const { stores } = await loggedIn();
    stores.catalog.getState().setQuery('4890000000999');
    expect(await submitScanField(stores)).toBe('missed');
    expect(stores.catalog.getState().query).toBe('4890000000999');
    expect(stores.cart.getState().scanProblem?.kind).toBe('ITEM_NOT_FOUND');
  });

  it('a name with one result adds it (奶茶 finds 港式奶茶)', async () => {
    const { fake, stores } = await loggedIn();
    fake.answer('catalog:search', ok([milkTea]));
    stores.catalog.getState().setQuery('奶茶');
    expect(await submitScanField(stores)).toBe('added');
    expect(fake.calls('catalog:search')).toEqual([{ text: '奶茶' }]);
    expect(fake.calls('cart:add-product')).toEqual([{ productId: milkTea.id, known: expect.any(String) }]);
    expect(fake.calls('cart:scan')).toHaveLength(0);
  });

  it('a parent with variants opens the chooser instead of being added; the variants load for it', async () => {
    const { fake, stores } = await loggedIn();
    const tee = { ...milkTea, id: 40, sku: 'TEE-100', nameZh: '純棉T恤', nameEn: 'Cotton tee', variants: 2 };
    const medium = { ...milkTea, id: 41, sku: 'TEE-100-M', parentSku: 'TEE-100', optionZh: '尺碼 M', optionEn: 'Size M' };
    fake.answer('catalog:search', ok([tee]));
    fake.answer('catalog:variants', ok([medium]));
    stores.catalog.getState().setQuery('TEE-100');
    expect(await submitScanField(stores)).toBe('choose');
    expect(fake.calls('cart:add-product')).toHaveLength(0);
    expect(stores.ui.getState().dialog).toEqual({ kind: 'variants', productId: 40, nameZh: '純棉T恤', nameEn: 'Cotton tee' });
    await stores.catalog.getState().loadVariants(40);
    expect(fake.calls('catalog:variants')).toEqual([{ productId: 40 }]);
    expect(stores.catalog.getState()).toMatchObject({ variantsOf: 40, variantsState: 'ready', variants: [medium] });
  });

  it('several results: the first is offered, ↓ moves, Enter adds the chosen one', async () => {
    const { fake, stores, flushSearch } = await loggedIn();
    fake.answer('catalog:search', ok([milkTea, eggTart]));
    stores.catalog.getState().setQuery('t');
    await flushSearch();
    expect(await submitScanField(stores)).toBe('choose');
    expect(stores.catalog.getState().highlighted).toBe(0);
    stores.catalog.getState().moveHighlight(1);
    expect(await submitScanField(stores)).toBe('added');
    expect(fake.calls('cart:add-product')).toEqual([{ productId: eggTart.id, known: expect.any(String) }]);
    expect(stores.catalog.getState().query).toBe('');
  });

  it('a SKU typed exactly adds that product even among several results', async () => {
    const { fake, stores } = await loggedIn();
    fake.answer('catalog:search', ok([milkTea, eggTart]));
    stores.catalog.getState().setQuery('bak-002');
    expect(await submitScanField(stores)).toBe('added');
    expect(fake.calls('cart:add-product')).toEqual([{ productId: eggTart.id, known: expect.any(String) }]);
  });

  it('a code-like text nothing matches by name is tried as a code', async () => {
    const { fake, stores } = await loggedIn();
    fake.answer('cart:scan', ok(withLines));
    stores.catalog.getState().setQuery('PLU-77');
    expect(await submitScanField(stores)).toBe('scanned');
    expect(fake.calls('cart:scan')).toEqual([{ code: 'PLU-77', known: expect.any(String) }]);
  });
});

describe('search', () => {
  it('is debounced: only the text when typing pauses is sent', async () => {
    const { fake, stores, flushSearch } = await loggedIn();
    for (const text of ['m', 'mi', 'mil', 'milk']) stores.catalog.getState().setQuery(text);
    fake.answer('catalog:search', ok([milkTea]));
    await flushSearch();
    expect(fake.calls('catalog:search')).toEqual([{ text: 'milk' }]);
    expect(stores.catalog.getState().results).toEqual([milkTea]);
  });

  it('clearing the field clears the results and drops a search in flight', async () => {
    const { fake, stores, flushSearch } = await loggedIn();
    stores.catalog.getState().setQuery('milk');
    stores.catalog.getState().clearQuery();
    await flushSearch();
    expect(fake.calls('catalog:search')).toHaveLength(0);
    expect(stores.catalog.getState().results).toEqual([]);
  });
});

describe('keys and buttons', () => {
  it('F2, F3 and Del need a line; F4 and F12 need a cart with lines; F5, F6 and F1 always work', async () => {
    const { stores } = await loggedIn();
    for (const command of ['quantity', 'discount', 'price', 'remove-line', 'suspend', 'pay', 'void', 'cart-discount'] as const) {
      expect(canRun(stores, command), command).toBe(false);
    }
    for (const command of ['recall', 'return', 'lookup'] as const) expect(canRun(stores, command), command).toBe(true);
  });

  it('F2 opens the quantity of the highlighted line; Shift+F3 the cart discount', async () => {
    const { stores } = await loggedIn(withLines);
    runCommand(stores, 'quantity');
    expect(stores.ui.getState().dialog).toEqual({ kind: 'quantity', lineId: 2 });
    runCommand(stores, 'cart-discount');
    expect(stores.ui.getState().dialog).toEqual({ kind: 'discount', lineId: null });
  });

  it('a returned line has no quantity or discount to change, only removal', async () => {
    const { stores } = await loggedIn(
      cartOf([cartLine({ id: 4, quantity: -1, returnOf: { receiptNo: 'MK01-01-000123', saleLineId: 501 } })]),
    );
    expect(canRun(stores, 'quantity')).toBe(false);
    expect(canRun(stores, 'discount')).toBe(false);
    expect(canRun(stores, 'remove-line')).toBe(true);
  });

  it('Del removes the highlighted line', async () => {
    const { fake, stores } = await loggedIn(withLines);
    runCommand(stores, 'remove-line');
    await settle();
    expect(fake.calls('cart:remove-line')).toEqual([{ lineId: 2, known: expect.any(String) }]);
  });

  it('F5 loads the suspended carts for the recall list', async () => {
    const { fake, stores } = await loggedIn();
    fake.answer(
      'cart:list-suspended',
      ok([{ id: 55, label: '客人 1', lineCount: 2, total: 3600, suspendedAt: 0, staffNameZh: '陳小明', staffNameEn: 'Chan' }]),
    );
    runCommand(stores, 'recall');
    await settle();
    expect(stores.ui.getState().dialog).toEqual({ kind: 'recall' });
    expect(stores.suspended.getState().carts.map((c) => c.id)).toEqual([55]);
  });

  it('F12 opens the payment screen for the cart', async () => {
    const { fake, stores } = await loggedIn(withLines);
    runCommand(stores, 'pay');
    await settle();
    expect(stores.ui.getState().view).toBe('payment');
    expect(stores.payment.getState().cartId).toBe(withLines.id);
    expect(stores.payment.getState().total).toBe(withLines.total);
    expect(fake.calls('cart:approve-discounts')).toHaveLength(0);
  });

  it('F12 on a cart whose discount is now over its giver’s limit asks a manager first; backed out, the till stays on the cart', async () => {
    const overLimit: Cart = { ...withLines, discountsToApprove: true };
    const { fake, stores } = await loggedIn(overLimit);
    fake.answer('cart:approve-discounts', fail('APPROVAL_REQUIRED'), fail('APPROVAL_REQUIRED'), ok({ ...withLines, total: 900 }));
    fake.answer('staff:list-for-login', ok([chan]));
    runCommand(stores, 'pay');
    await settle();
    expect(fake.calls('cart:approve-discounts')).toEqual([{}]);
    expect(stores.approval.getState().open).toBe(true);
    expect(stores.payment.getState().cartId).toBeNull();
    stores.approval.getState().cancel();
    await settle();
    expect(stores.ui.getState().view).toBe('cart');
    expect(stores.payment.getState().active).toBe(false);

    // again: the manager's PIN goes with it, and the payment screen opens on the cart it answered
    runCommand(stores, 'pay');
    await settle();
    stores.approval.getState().selectManager(chan.id);
    for (const d of '4321') stores.approval.getState().pressDigit(d);
    await stores.approval.getState().submit();
    await settle();
    expect(fake.calls('cart:approve-discounts').at(-1)).toEqual({ approval: { staffId: chan.id, pin: '4321' } });
    expect(stores.ui.getState().view).toBe('payment');
    expect(stores.payment.getState().total).toBe(900);
  });
});

describe('keys in the order pressed: the payment screen never opens on a cart older than a key already pressed (issue 10)', () => {
  // 港式奶茶 HK$18.00 + 菠蘿包 HK$8.50 = HK$26.50 before Del; HK$18.00 after.
  const before = cartOf([cartLine({ id: 1, unitPrice: 1800 }), cartLine({ id: 2, sku: 'BAK-002', unitPrice: 850 })]);
  const after = cartOf([cartLine({ id: 1, unitPrice: 1800 })]);

  it('Del then F12 together: the screen waits for the delete and opens on its total', async () => {
    const { fake, stores } = await loggedIn(before);
    const removed = deferred<Result<Cart>>();
    fake.answer('cart:remove-line', removed.promise);
    runCommand(stores, 'remove-line');
    runCommand(stores, 'pay');
    await settle();
    expect(stores.ui.getState().view).toBe('payment');
    expect(stores.payment.getState()).toMatchObject({ opening: true, cartId: null });
    removed.resolve(ok(after));
    await settle();
    expect(stores.payment.getState()).toMatchObject({ opening: false, cartId: after.id, total: after.total });
    expect(stores.payment.getState().amountText).toBe('18');
  });

  it('Enter pressed before the delete is answered completes on the cart after it', async () => {
    const { fake, stores } = await loggedIn(before);
    const removed = deferred<Result<Cart>>();
    fake.answer('cart:remove-line', removed.promise);
    runCommand(stores, 'remove-line');
    runCommand(stores, 'pay');
    stores.payment.getState().chooseMethod('cash'); // F2 while the screen is opening
    const first = stores.payment.getState().enter(); // adds the suggested amount
    removed.resolve(ok(after));
    await first;
    fake.answer('cart:get', ok(emptyCart(101)));
    await stores.payment.getState().enter(); // covered: completes
    expect(fake.calls('sale:complete')).toEqual([
      { cartId: after.id, tenders: [expect.objectContaining({ method: 'cash', amount: 1800 })] },
    ]);
  });

  it('Del of the last line then F12: nothing to pay, back on the cart', async () => {
    const { fake, stores } = await loggedIn(after);
    const removed = deferred<Result<Cart>>();
    fake.answer('cart:remove-line', removed.promise);
    runCommand(stores, 'remove-line');
    runCommand(stores, 'pay');
    removed.resolve(ok(emptyCart()));
    await settle();
    expect(stores.ui.getState().view).toBe('cart');
    expect(stores.payment.getState().active).toBe(false);
  });

  it('a scan then F12 on an empty cart pays for the scanned item', async () => {
    const { fake, stores } = await loggedIn();
    const scanned = deferred<Result<Cart>>();
    fake.answer('cart:scan', scanned.promise);
    routeScan(stores, '4890000000011');
    expect(canRun(stores, 'pay')).toBe(true);
    runCommand(stores, 'pay');
    scanned.resolve(ok(after));
    await settle();
    expect(stores.payment.getState()).toMatchObject({ cartId: after.id, total: 1800 });
  });

  it('answers out of order: the core is asked again once all are in, and payment opens on its cart', async () => {
    const { fake, stores } = await loggedIn(before);
    const discounted = cartOf([cartLine({ id: 1, unitPrice: 1800, discountAmount: 90, net: 1710 })], { total: 1710 });
    const first = deferred<Result<Cart>>();
    const second = deferred<Result<Cart>>();
    fake.answer('cart:set-line-discount', first.promise);
    fake.answer('cart:remove-line', second.promise);
    void stores.cart.getState().setLineDiscount(1, { kind: 'percent', basisPoints: 500 });
    void stores.cart.getState().removeLine(2);
    runCommand(stores, 'pay');
    // The core handled the delete first and the discount last (it waited for a permission check).
    second.resolve(ok(after));
    await settle();
    expect(stores.payment.getState().opening).toBe(true);
    fake.answer('cart:get', ok(discounted));
    first.resolve(ok(discounted));
    await settle();
    expect(fake.calls('cart:get')).toHaveLength(2); // login, then once more after the late answer
    expect(stores.cart.getState().cart).toEqual(discounted);
    expect(stores.payment.getState()).toMatchObject({ opening: false, total: 1710 });
  });

  it('answers in order need no second look', async () => {
    const { fake, stores } = await loggedIn(before);
    void stores.cart.getState().removeLine(2);
    fake.answer('cart:remove-line', ok(after));
    await stores.cart.getState().settled();
    expect(fake.calls('cart:get')).toHaveLength(1);
  });

  it('Esc while the screen is opening leaves it; the late cart does not reopen it', async () => {
    const { fake, stores } = await loggedIn(before);
    const removed = deferred<Result<Cart>>();
    fake.answer('cart:remove-line', removed.promise);
    runCommand(stores, 'remove-line');
    runCommand(stores, 'pay');
    stores.payment.getState().cancel();
    stores.ui.getState().showCart();
    removed.resolve(ok(after));
    await settle();
    expect(stores.ui.getState().view).toBe('cart');
    expect(stores.payment.getState().active).toBe(false);
  });
});

describe('keys while the sale is being completed (issue 10)', () => {
  // Seen under load: Enter completed the sale, Esc left the payment screen before the core answered,
  // and F12 reopened payment on the cart the core had just closed (HK$34.65 due, core HK$0.00).
  it('Esc and F12 wait for the completion: the receipt shows and the next cart is fetched', async () => {
    const { fake, stores } = await loggedIn(withLines);
    runCommand(stores, 'pay');
    await settle();
    stores.payment.getState().quickCash(10000);
    const completion = deferred<Result<Receipt>>();
    fake.answer('sale:complete', completion.promise);
    const completed = stores.payment.getState().enter();
    await settle();
    expect(stores.payment.getState().completing).toBe(true);

    expect(leavePayment(stores)).toBe(false); // Esc
    expect(stores.ui.getState().view).toBe('payment');
    runCommand(stores, 'pay'); // F12
    expect(await stores.payment.getState().open(stores.cart.getState().settled())).toBe(false);

    fake.answer('cart:get', ok(emptyCart(101)));
    completion.resolve(ok(receipt()));
    await completed;
    await settle();
    expect(stores.receipts.getState().last?.receiptNo).toBe('MK01-01-000123');
    expect(stores.cart.getState().cart?.id).toBe(101);
    expect(stores.ui.getState().view).toBe('cart');
    expect(stores.payment.getState().active).toBe(false);
  });

  it('a refused completion keeps the payment screen; Esc then leaves it', async () => {
    const { fake, stores } = await loggedIn(withLines);
    runCommand(stores, 'pay');
    await settle();
    stores.payment.getState().quickCash(10000);
    fake.answer('sale:complete', fail('CONFLICT'));
    await stores.payment.getState().enter();
    expect(stores.payment.getState().failure?.code).toBe('CONFLICT');
    expect(leavePayment(stores)).toBe(true);
    expect(stores.ui.getState().view).toBe('cart');
  });
});

describe('after completion', () => {
  it('the receipt shows, the next cart is fetched, and the next customer’s first scan closes the receipt', async () => {
    const { fake, stores } = await loggedIn(withLines);
    runCommand(stores, 'pay');
    await settle();
    stores.payment.getState().quickCash(10000);
    fake.answer('cart:get', ok(emptyCart(101)));
    await stores.payment.getState().complete();
    await settle();
    expect(stores.ui.getState().view).toBe('cart');
    expect(stores.receipts.getState().last?.receiptNo).toBe('MK01-01-000123');
    expect(stores.cart.getState().cart?.id).toBe(101);
    fake.answer('cart:scan', ok(cartOf([cartLine({ id: 9 })], { id: 101 })));
    routeScan(stores, '4890000000011');
    await settle();
    expect(stores.receipts.getState().last).toBeNull();
  });

  it('reprint shows the copy main answers (副本 COPY)', async () => {
    const { fake, stores } = await loggedIn();
    stores.receipts.getState().showCompleted(receipt());
    await stores.receipts.getState().reprint('last');
    expect(fake.calls('sale:reprint')).toEqual([{ receiptNo: 'MK01-01-000123' }]);
    expect(stores.receipts.getState().last?.copy).toBe(true);
  });

  it('receipt numbers are forgiven their case and spaces, and checked before asking', async () => {
    expect(normaliseReceiptNo(' mk01-01-000123 ')).toBe('MK01-01-000123');
    const { fake, stores } = await loggedIn();
    const outcome = await stores.receipts.getState().find('not a receipt');
    expect(outcome.ok).toBe(false);
    expect(fake.calls('sale:find')).toHaveLength(0);
  });
});

describe('returns (F6)', () => {
  const openReturns = async () => {
    const ctx = await loggedIn();
    runCommand(ctx.stores, 'return');
    await ctx.stores.returns.getState().find('MK01-01-000123');
    return { ...ctx, r: () => ctx.stores.returns.getState() };
  };

  it('choose lines and quantities; they go to the cart as a return of that receipt', async () => {
    const { fake, r } = await openReturns();
    r().toggleLine(501);
    expect(r().quantities[501]).toBe('2');
    r().step(501, -1);
    expect(r().quantities[501]).toBe('1');
    fake.answer(
      'cart:add-return',
      ok(cartOf([cartLine({ id: 9, quantity: -1, returnOf: { receiptNo: 'MK01-01-000123', saleLineId: 501 } })])),
    );
    const outcome = await r().addToCart();
    expect(outcome.ok).toBe(true);
    expect(fake.calls('cart:add-return')).toEqual([{ receiptNo: 'MK01-01-000123', lines: [{ saleLineId: 501, quantity: 1 }] }]);
  });

  it('never more than can still be returned', async () => {
    const { fake, r } = await openReturns();
    r().step(502, 1);
    r().step(502, 1);
    expect(r().quantities[502]).toBe('1');
    r().setQuantity(502, '3');
    const outcome = await r().addToCart();
    expect(outcome.ok).toBe(false);
    expect(r().problem).toBe('OVER_RETURNABLE');
    expect(fake.calls('cart:add-return')).toHaveLength(0);
  });

  it('nothing chosen is said so', async () => {
    const { r } = await openReturns();
    await r().addToCart();
    expect(r().problem).toBe('NOTHING_CHOSEN');
  });

  it('a receipt main does not know is shown in place', async () => {
    const { fake, stores } = await loggedIn();
    fake.answer('sale:find', fail('NOT_FOUND'));
    await stores.returns.getState().find('MK01-01-999999');
    expect(stores.returns.getState().failure?.code).toBe('NOT_FOUND');
  });

  it('without a receipt: item, quantity and optional amount, through the manager override', async () => {
    const { fake, stores } = await loggedIn();
    runCommand(stores, 'return');
    const r = () => stores.returns.getState();
    r().setMode('no-receipt');
    r().setItemCode('4890000000011');
    r().setItemQuantity('2');
    r().setItemAmount('15.5');
    fake.answer('cart:add-return-without-receipt', fail('APPROVAL_REQUIRED'), ok(withLines));
    const outcome = r().addToCart();
    await settle();
    const approval = stores.approval.getState();
    expect(approval.open).toBe(true);
    approval.selectManager(2);
    for (const d of '4321') stores.approval.getState().pressDigit(d);
    await stores.approval.getState().submit();
    expect((await outcome).ok).toBe(true);
    expect(fake.calls('cart:add-return-without-receipt').at(-1)).toEqual({
      code: '4890000000011',
      quantity: 2,
      unitPrice: 1550,
      approval: { staffId: 2, pin: '4321' },
    });
  });

  it('a cashier backing out of the manager PIN leaves the form as it was', async () => {
    const { fake, stores } = await loggedIn();
    runCommand(stores, 'return');
    const r = () => stores.returns.getState();
    r().setMode('no-receipt');
    r().setItemCode('4890000000011');
    fake.answer('cart:add-return-without-receipt', fail('APPROVAL_REQUIRED'));
    const outcome = r().addToCart();
    await settle();
    stores.approval.getState().cancel();
    expect(await outcome).toMatchObject({ ok: false, cancelled: true });
    expect(r().itemCode).toBe('4890000000011');
    expect(r().failure).toBeNull();
  });
});
