/**
 * 存貨: on-hand and the stock documents (收貨, 盤點, 調貨, 調整) as the back office shows them, and
 * the calls that open, scan into, check and post them. A scan's answer is the product's line as it
 * now stands: it goes to the top of the list on screen at once, without reading the document again.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { PosErrorBody } from '../../../shared/errors';
import type {
  InboundTransfer,
  OnHandList,
  OpenStockDocument,
  PurchaseOrderSummary,
  StockDocumentKind,
  StockDocumentSummary,
  StockDocumentView,
  StockLineView,
  StockReason,
  VarianceReport,
} from '../../../shared/stock-schemas';
import type { CountSessionView } from '../../../shared/count-session';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

export type StockView = 'on-hand' | Exclude<StockDocumentKind, 'transfer-in'>;

export interface StockState extends SectionData, ErrorLineState {
  view: StockView;
  query: string;
  lowOnly: boolean;
  onHand: OnHandList | null;
  reasons: StockReason[];
  documents: StockDocumentSummary[];
  /** Transfers other stores sent here, not yet received (調貨). */
  inbound: InboundTransfer[];
  /** Purchase orders for this store, not yet received (收貨). */
  purchaseOrders: PurchaseOrderSummary[];
  /** The document being scanned into, or looked at after posting. */
  current: StockDocumentView | null;
  /** The line the last scan changed: highlighted on screen. */
  lastLine: StockLineView | null;
  /** An unknown code just scanned, for the "add this product" offer. */
  unknownCode: string | null;
  variance: VarianceReport | null;
  /** Shared counts of this store on other registers, to join (盤點; empty offline or not enrolled). */
  countSessions: CountSessionView[];
  /** The cloud said another register of this shared count may hold unsent scans: the next post accepts that. */
  unsentWarning: boolean;
  busy: boolean;
  setView(view: StockView): Promise<void>;
  search(query: string, lowOnly: boolean): Promise<void>;
  openNew(request: OpenStockDocument): Promise<boolean>;
  openExisting(documentId: number): Promise<boolean>;
  scan(code: string, quantity?: number): Promise<boolean>;
  setLine(productId: number, quantity: number): Promise<boolean>;
  showVariance(): Promise<boolean>;
  post(): Promise<boolean>;
  joinCount(sessionId: string): Promise<boolean>;
  cancelDocument(): Promise<boolean>;
  /**
   * a shared count: `whole` cancels it for every register (the opener, or a manager), else this
   * register leaves it (its scans withdrawn from the count when `withdraw`); the closed count stays on screen
   */
  cancelCount(whole: boolean, reason: string, withdraw?: boolean): Promise<boolean>;
  closeDocument(): Promise<void>;
}

const MAX_SHOWN_LINES = 200;

export function createStockStore(api: PosApi): StoreApi<StockState> {
  const searches = newestOnly();
  // Scans are sent in the order they were made; their answers are applied in that order too.
  let scanQueue: Promise<unknown> = Promise.resolve();
  return createStore<StockState>()((set, get) => {
    const fail = (error: PosErrorBody) => set({ error });

    const loadDocuments = async (view: StockView) => {
      if (view === 'on-hand') return;
      const [open, recent] = await Promise.all([api['stock:documents']({ status: 'open' }), api['stock:documents']({ status: 'recent' })]);
      if (!open.ok) return fail(open.error);
      if (!recent.ok) return fail(recent.error);
      const kinds: readonly string[] = view === 'transfer-out' ? ['transfer-out', 'transfer-in'] : [view];
      set({ documents: [...open.value, ...recent.value].filter((d) => kinds.includes(d.kind)) });
      if (view === 'transfer-out') {
        const inbound = await api['stock:inbound']({});
        if (inbound.ok) set({ inbound: inbound.value });
        else fail(inbound.error);
      }
      if (view === 'count') {
        // offline or not enrolled, there is simply nothing to join
        const sessions = await api['stock:count-sessions']({});
        set({ countSessions: sessions.ok ? sessions.value : [] });
      }
      if (view === 'receive') {
        const orders = await api['stock:purchase-orders']({});
        if (orders.ok) set({ purchaseOrders: orders.value });
        else fail(orders.error);
      }
    };

    return {
      view: 'on-hand',
      query: '',
      lowOnly: false,
      onHand: null,
      reasons: [],
      documents: [],
      inbound: [],
      purchaseOrders: [],
      current: null,
      lastLine: null,
      unknownCode: null,
      variance: null,
      countSessions: [],
      unsentWarning: false,
      busy: false,
      error: null,

      async load() {
        const [reasons] = await Promise.all([api['stock:reasons']({}), get().search(get().query, get().lowOnly)]);
        if (reasons.ok) set({ reasons: reasons.value });
        else fail(reasons.error);
        await loadDocuments(get().view);
      },

      async setView(view) {
        set({ view, current: null, lastLine: null, variance: null, unknownCode: null, error: null, documents: [] });
        if (view === 'on-hand') await get().search(get().query, get().lowOnly);
        else await loadDocuments(view);
      },

      async search(query, lowOnly) {
        set({ query, lowOnly });
        const current = searches.begin();
        const answer = await api['stock:on-hand']({ text: query, lowOnly });
        if (!current()) return;
        if (accepted(answer, set)) set({ onHand: answer.value });
      },

      async openNew(request) {
        const answer = await api['stock:open'](request);
        if (!accepted(answer, set)) return false;
        set({ current: answer.value, lastLine: null, variance: null, unknownCode: null });
        return true;
      },

      async openExisting(documentId) {
        const answer = await api['stock:document']({ documentId });
        if (!accepted(answer, set)) return false;
        set({ current: answer.value, lastLine: null, variance: null, unknownCode: null, unsentWarning: false });
        // a shared count: how it stands in the cloud (posted elsewhere, scans refused); offline, as kept here
        if (answer.value.shared) {
          const fresh = await api['stock:count-refresh']({ documentId });
          if (fresh.ok && get().current?.id === documentId) set({ current: fresh.value });
        }
        return true;
      },

      scan(code, quantity) {
        const documentId = get().current?.id;
        if (documentId === undefined) return Promise.resolve(false);
        const run = scanQueue.then(async () => {
          const answer = await api['stock:scan']({ documentId, code, ...(quantity !== undefined ? { quantity } : {}) });
          const doc = get().current;
          if (!doc || doc.id !== documentId) return false;
          if (!answer.ok) {
            set({ error: answer.error, unknownCode: answer.error.code === 'ITEM_NOT_FOUND' ? code : null });
            return false;
          }
          const { line, lineCount, totalMilli } = answer.value;
          const lines = [line, ...doc.lines.filter((l) => l.productId !== line.productId)].slice(0, MAX_SHOWN_LINES);
          set({ current: { ...doc, lines, lineCount, totalMilli }, lastLine: line, error: null, unknownCode: null, variance: null });
          return true;
        });
        scanQueue = run.catch(() => undefined);
        return run;
      },

      async setLine(productId, quantity) {
        const doc = get().current;
        if (!doc) return false;
        const answer = await api['stock:set-line']({ documentId: doc.id, productId, quantity });
        if (!accepted(answer, set)) return false;
        set({ current: answer.value, variance: null });
        return true;
      },

      async showVariance() {
        const doc = get().current;
        if (!doc) return false;
        const answer = await api['stock:variance']({ documentId: doc.id });
        if (!accepted(answer, set)) return false;
        set({ variance: answer.value });
        return true;
      },

      async post() {
        const doc = get().current;
        if (!doc || get().busy) return false;
        set({ busy: true });
        await scanQueue; // every scan made before 過帳 is in the document
        const answer = await api['stock:post']({ documentId: doc.id, ...(get().unsentWarning ? { acceptUnsent: true } : {}) });
        set({ busy: false });
        if (!answer.ok) {
          set({ error: answer.error, unsentWarning: answer.error.code === 'COUNT_PARTICIPANTS_UNSENT' });
          // posted by another register meanwhile: show it closed, with who posted
          if (answer.error.code === 'COUNT_ALREADY_POSTED') {
            const closed = await api['stock:document']({ documentId: doc.id });
            if (closed.ok) set({ current: closed.value });
          }
          return false;
        }
        set({ unsentWarning: false });
        const posted = await api['stock:document']({ documentId: doc.id });
        if (posted.ok) set({ current: posted.value, lastLine: null });
        await loadDocuments(get().view);
        return true;
      },

      async joinCount(sessionId) {
        const answer = await api['stock:join-count']({ sessionId });
        if (!accepted(answer, set)) return false;
        set({ current: answer.value, lastLine: null, variance: null, unknownCode: null, unsentWarning: false });
        return true;
      },

      async cancelDocument() {
        const doc = get().current;
        if (!doc) return false;
        const answer = await api['stock:cancel']({ documentId: doc.id });
        if (!accepted(answer, set)) return false;
        set({ current: null, lastLine: null, variance: null });
        await loadDocuments(get().view);
        return true;
      },

      async cancelCount(whole, reason, withdraw = false) {
        const doc = get().current;
        if (!doc) return false;
        set({ busy: true });
        const answer = await api['stock:cancel-count']({ documentId: doc.id, whole, reason, withdraw });
        set({ busy: false });
        if (!accepted(answer, set)) {
          // closed elsewhere first: show it as it now stands here
          const now = await api['stock:document']({ documentId: doc.id });
          if (now.ok && get().current?.id === doc.id) set({ current: now.value });
          return false;
        }
        set({ current: answer.value, lastLine: null, variance: null, unsentWarning: false });
        await loadDocuments(get().view);
        return true;
      },

      async closeDocument() {
        set({ current: null, lastLine: null, variance: null, unknownCode: null, error: null });
        await loadDocuments(get().view);
      },
    };
  });
}
