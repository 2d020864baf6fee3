/**
 * What a register sends the cloud, without a test runner in it (the cloud's vitest tests, the e2e
 * specs and the benchmarks share it): the API call, an enrolled register's identity, a completed
 * document exactly as the register's outbox carries it, and the push of a batch.
 */
import type { Receipt } from '../../src/shared/checkout-schemas';

/** What a push of a batch answers. */
export interface BatchAnswer {
  lastAppliedSeq: number;
  applied: number;
  duplicates: number;
  quarantined: number;
  quarantinedSeqs: number[];
  conflicts: number;
  /** why each quarantined or conflicting seq was put aside (a QuarantineReason), by seq */
  quarantineReasons: Record<number, string>;
  serverTime: number;
  error?: string;
}

/** A register pushes a batch of mutations to `base`, as its sync worker does. */
export function pushMutations(base: string, register: EnrolledRegister, mutations: unknown[]): Promise<Answer<BatchAnswer>> {
  return call<BatchAnswer>(base, 'POST', `/v1/registers/${register.registerId}/mutations`, { token: register.token, body: { mutations } });
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** fetch, answering the parsed JSON; `body` as a string is sent as is (for malformed JSON). */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
}

export interface EnrolledRegister {
  registerId: string;
  registerCode: string;
  token: string;
  storeCode: string;
}

/** 10:00 in Hong Kong on 1 July 2025: documents are dated from here, so equal inputs are equal content. */
export const SALES_DAY = Date.parse('2025-07-01T02:00:00Z');

export interface LineSpec {
  sku: string;
  quantity: number;
  unitPrice?: number;
}

/** A completed document exactly as the register's outbox carries it (src/shared Receipt). */
export function receipt(
  register: { storeCode: string; registerCode: string },
  n: number,
  lines: LineSpec[],
  kind: Receipt['kind'] = 'sale',
  completedAt = SALES_DAY + n * 60_000,
): Receipt {
  const receiptLines = lines.map((l, index) => {
    const unitPrice = l.unitPrice ?? 1000;
    const gross = Math.round(l.quantity * unitPrice);
    return {
      id: n * 100 + index + 1,
      sku: l.sku,
      nameZh: `產品 ${l.sku}`,
      nameEn: `Product ${l.sku}`,
      quantity: l.quantity,
      unitPrice,
      gross,
      promotions: [],
      discountAmount: 0,
      net: gross,
      returnableQuantity: l.quantity > 0 ? l.quantity : 0,
    };
  });
  const total = receiptLines.reduce((sum, l) => sum + l.net, 0);
  return {
    saleId: n,
    receiptNo: `${register.storeCode}-${register.registerCode}-${String(n).padStart(6, '0')}`,
    kind,
    originalReceiptNo: null,
    completedAt,
    store: { code: register.storeCode, nameZh: '旺角店', nameEn: 'Mong Kok', addressZh: '', addressEn: '', phone: '' },
    registerName: `Register ${register.registerCode}`,
    staff: { nameZh: '陳小明', nameEn: 'Chan Siu Ming' },
    lines: receiptLines,
    subtotal: total,
    promotionTotal: 0,
    discountTotal: 0,
    taxTotal: 0,
    total,
    rounding: 0,
    payments: [
      {
        method: 'cash',
        nameZh: '現金',
        nameEn: 'Cash',
        amount: total,
        tendered: total,
        change: 0,
        reference: null,
        approvalCode: null,
        cardLast4: null,
      },
    ],
    change: 0,
    copy: false,
    reprintCount: 0,
  };
}

/** An outbox row pushing document `n` (seq n) for `register`. */
export function saleMutation(
  register: { storeCode: string; registerCode: string },
  seq: number,
  lines: LineSpec[] = [{ sku: 'P1', quantity: 1 }],
) {
  const payload = receipt(register, seq, lines);
  return { seq, kind: 'document.sale', ref: payload.receiptNo, payload };
}
