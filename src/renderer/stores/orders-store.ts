/**
 * 網上訂單 (⇧F5): the store's online and social orders as this register last pulled them, the one
 * the cashier is looking at, and the moves made from the queue. Main decides every move; this
 * store only asks and shows the answer.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { PosErrorBody } from '../../shared/errors';
import {
  orderNoFromCode,
  type CollectResult,
  type OrderFilter,
  type SocialOrderInput,
  type TillPickupRequest,
  type TillOrder,
  type TillOrderList,
} from '../../shared/order-schemas';
import type { FailureHandler, LoadState } from './load-state';

export type OrderNotice =
  | { kind: 'handed-over'; orderNo: string; handoverNo: string }
  | { kind: 'in-cart'; orderNo: string }
  | { kind: 'printed'; orderNo: string }
  | { kind: 'moved'; orderNo: string; status: TillOrder['status'] }
  | { kind: 'created'; orderNo: string };

export type OrderOutcome = { ok: true; result?: CollectResult } | { ok: false; error: PosErrorBody };

export interface OrdersState {
  filter: OrderFilter;
  list: TillOrderList | null;
  loadState: LoadState;
  selected: string | null;
  busy: boolean;
  notice: OrderNotice | null;
  error: PosErrorBody | null;
  load(): Promise<void>;
  setFilter(filter: OrderFilter): void;
  select(orderNo: string | null): void;
  printPickList(orderNo: string): Promise<OrderOutcome>;
  move(orderNo: string, to: 'preparing' | 'ready' | 'cancelled', reason?: string | null): Promise<OrderOutcome>;
  collect(code: string): Promise<OrderOutcome>;
  /** The last code scanned while the pickup dialog is open: an item taken instead of a swapped-out line. */
  swapInScan: { code: string; seq: number } | null;
  scannedSwapIn(code: string): void;
  /** Part of an order, or a swap (order-pickup.ts): handed over, or opened in the cart to pay. */
  pickup(request: TillPickupRequest): Promise<OrderOutcome>;
  acknowledge(orderNo: string): Promise<OrderOutcome>;
  create(input: SocialOrderInput): Promise<OrderOutcome>;
  clearMessage(): void;
  reset(): void;
}

const idle = { list: null, loadState: 'idle' as LoadState, selected: null, busy: false, notice: null, error: null };

export function createOrdersStore(api: PosApi, options: { onFailure?: FailureHandler; onCart?: () => void } = {}): StoreApi<OrdersState> {
  const onFailure = options.onFailure ?? (() => {});
  let seq = 0;
  return createStore<OrdersState>()((set, get) => {
    /** Runs one call that changes an order; the list is read again after it, right or wrong. */
    async function act<T>(
      call: () => Promise<{ ok: true; value: T } | { ok: false; error: PosErrorBody }>,
      notice: (value: T) => OrderNotice | null,
    ) {
      set({ busy: true, error: null, notice: null });
      const result = await call();
      set({ busy: false });
      if (!result.ok) {
        set({ error: result.error });
        onFailure(result.error);
        void get().load();
        return { ok: false as const, error: result.error };
      }
      set({ notice: notice(result.value) });
      void get().load();
      return { ok: true as const };
    }
    return {
      filter: 'open',
      swapInScan: null,
      ...idle,
      async load() {
        const mine = ++seq;
        if (get().list === null) set({ loadState: 'loading' });
        const result = await api['order:list']({ filter: get().filter });
        if (mine !== seq) return;
        if (!result.ok) {
          set({ loadState: 'failed' });
          onFailure(result.error);
          return;
        }
        const wanted = get().selected?.toUpperCase();
        const still = result.value.orders.find((o) => o.orderNo.toUpperCase() === wanted);
        set({ list: result.value, loadState: 'ready', selected: still?.orderNo ?? result.value.orders[0]?.orderNo ?? null });
      },
      setFilter(filter) {
        set({ filter, selected: null });
        void get().load();
      },
      select(orderNo) {
        set({ selected: orderNo });
      },
      printPickList(orderNo) {
        return act(
          () => api['order:print-pick-list']({ orderNo }),
          () => ({ kind: 'printed', orderNo }),
        );
      },
      move(orderNo, to, reason = null) {
        return act(
          () => api['order:move']({ orderNo, to, reason }),
          (order) => ({ kind: 'moved', orderNo, status: order.status }),
        );
      },
      async collect(code) {
        // The order the answer is about, right or wrong (a refusal names who collected it).
        const orderNo = orderNoFromCode(code);
        if (orderNo !== null) set({ selected: orderNo });
        let collected: CollectResult | undefined;
        const outcome = await act(
          () => api['order:collect']({ code }),
          (result) => {
            collected = result;
            return result.kind === 'handed-over'
              ? { kind: 'handed-over', orderNo: result.order.orderNo, handoverNo: result.handoverNo }
              : { kind: 'in-cart', orderNo: result.order.orderNo };
          },
        );
        if (collected) {
          set({ selected: collected.order.orderNo });
          if (collected.kind === 'in-cart') options.onCart?.();
          return { ok: true, result: collected };
        }
        return outcome;
      },
      scannedSwapIn(code) {
        set({ swapInScan: { code, seq: (get().swapInScan?.seq ?? 0) + 1 } });
      },
      async pickup(request) {
        set({ selected: request.orderNo });
        let collected: CollectResult | undefined;
        const outcome = await act(
          () => api['order:pickup'](request),
          (result) => {
            collected = result;
            return result.kind === 'handed-over'
              ? { kind: 'handed-over', orderNo: result.order.orderNo, handoverNo: result.handoverNo }
              : { kind: 'in-cart', orderNo: result.order.orderNo };
          },
        );
        if (collected) {
          if (collected.kind === 'in-cart') options.onCart?.();
          return { ok: true, result: collected };
        }
        return outcome;
      },
      acknowledge(orderNo) {
        return act(
          () => api['order:acknowledge']({ orderNo }),
          () => null,
        );
      },
      async create(input) {
        const outcome = await act(
          () => api['order:create'](input),
          (order) => ({ kind: 'created', orderNo: order.orderNo }),
        );
        const notice = get().notice;
        if (outcome.ok && notice?.kind === 'created') set({ selected: notice.orderNo, filter: 'open' });
        return outcome;
      },
      clearMessage() {
        set({ notice: null, error: null });
      },
      reset() {
        seq += 1;
        set({ filter: 'open', ...idle });
      },
    };
  });
}
