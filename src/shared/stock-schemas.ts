/**
 * Stock at the counter (issue 14): receiving, stocktake, transfers and adjustments. The channel
 * shapes the back office uses, and the one payload a posted stock document travels to the cloud in
 * (`stock.document` outbox rows), which the register writes and the cloud reads. Runtime-free: zod only.
 *
 * Quantities are integer thousandths (`…Milli`), as in the ledger: 1 unit = 1000.
 */
import * as z from './zod';
import { Cents } from './schemas';

export const stockDocumentKinds = ['receive', 'adjust', 'count', 'transfer-out', 'transfer-in'] as const;
export const StockDocumentKind = z.enum(stockDocumentKinds);
export type StockDocumentKind = z.infer<typeof StockDocumentKind>;

export const StockDocumentStatus = z.enum(['open', 'posted', 'cancelled']);
export type StockDocumentStatus = z.infer<typeof StockDocumentStatus>;

/** What a stocktake covers: everything, one category, or only what was scanned (nothing else is touched). */
export const CountScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('full') }),
  z.strictObject({ kind: z.literal('category'), categoryCode: z.string().min(1).max(32) }),
  z.strictObject({ kind: z.literal('scanned') }),
]);
export type CountScope = z.infer<typeof CountScope>;

/** A signed quantity in thousandths, within what any shop stocks. */
export const QuantityMilli = z.number().int().min(-10_000_000_000).max(10_000_000_000);

/** An adjustment reason's code (damaged, expired …; the merchant adds its own). */
export const ReasonCode = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'lower-case letters, digits and dashes');

export const StockReason = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  /** -1: takes stock away (damaged, theft), 1: adds (found), 0: either way (correction). */
  direction: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
  builtIn: z.boolean(),
  active: z.boolean(),
});
export type StockReason = z.infer<typeof StockReason>;

export const SaveStockReason = z.strictObject({
  code: ReasonCode,
  nameZh: z.text(40),
  nameEn: z.text(40),
  direction: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
  active: z.boolean(),
});
export type SaveStockReason = z.infer<typeof SaveStockReason>;

export const OnHandRow = z.object({
  productId: z.number().int(),
  sku: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  categoryCode: z.string().nullable(),
  onHandMilli: z.number().int(),
  reorderMilli: z.number().int().nullable(),
});
export type OnHandRow = z.infer<typeof OnHandRow>;

export const OnHandRequest = z.strictObject({
  text: z.string().max(64).default(''),
  lowOnly: z.boolean().default(false),
});

export const OnHandList = z.object({ rows: z.array(OnHandRow), more: z.boolean() });
export type OnHandList = z.infer<typeof OnHandList>;

export const OpenStockDocument = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('receive'), supplierRef: z.text(40, 0).default(''), purchaseOrderId: z.uuid().optional() }),
  z.strictObject({ kind: z.literal('adjust'), reasonCode: ReasonCode, note: z.text(200, 0).default('') }),
  z.strictObject({
    kind: z.literal('count'),
    scope: CountScope,
    blind: z.boolean().default(true),
    /** offered to the store's other registers through the cloud (count-session.ts); needs an enrolled register */
    shared: z.boolean().default(false),
  }),
  z.strictObject({ kind: z.literal('transfer-out'), toStoreCode: z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'a store code') }),
  z.strictObject({ kind: z.literal('transfer-in'), transferDocId: z.uuid() }),
]);
export type OpenStockDocument = z.infer<typeof OpenStockDocument>;

/** One product's line of a document being scanned or posted. */
export const StockLineView = z.object({
  productId: z.number().int(),
  sku: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  /** received, counted, adjusted (signed) or sent */
  quantityMilli: z.number().int(),
  /** On-hand the register expects; null on a blind count until its variance is shown. */
  expectedMilli: z.number().int().nullable(),
  costCents: Cents.nullable(),
  scans: z.number().int(),
});
export type StockLineView = z.infer<typeof StockLineView>;

/** What became of the entries of a register that left a shared count (count-session.ts, `count.leave`). */
export const CountLeftScans = z.enum(['kept', 'withdrawn', 'too-late']);
export type CountLeftScans = z.infer<typeof CountLeftScans>;

/** A register counting into a session, as the cloud knows it. */
export const CountParticipant = z.object({
  registerCode: z.string(),
  /** entries the cloud took (counted) and refused (arrived after the post) */
  entries: z.number().int(),
  refused: z.number().int(),
  /** the highest entry number the cloud has from this register (0: none yet) */
  lastEntrySeq: z.number().int(),
  lastEntryAt: z.number().int().nullable(),
  /** the register's last push, pull or report, whatever it was about */
  lastContactAt: z.number().int().nullable(),
  /** its outbox depth at its last report (null: never reported) */
  queueDepth: z.number().int().nullable(),
  /**
   * It may hold entries the cloud has not seen: its last report had a queue, or it has not been
   * heard from for COUNT_PARTICIPANT_STALE_MS. The cloud cannot know of scans never sent; this is
   * what it can say, and the poster is warned by it.
   */
  mayHaveUnsent: z.boolean(),
  /** it left the count (its `count.leave` reached the cloud): when, and absent from an older cloud: null */
  leftAt: z.number().int().nullable().default(null),
  /**
   * what became of a leaver's entries: `kept` (still counted), `withdrawn` (taken out of the count),
   * `too-late` (it asked to withdraw them after the count was posted: they stayed counted); null: not left
   */
  leftScans: CountLeftScans.nullable().default(null),
});
export type CountParticipant = z.infer<typeof CountParticipant>;

/** Quiet for this long, a participant may be offline with entries the cloud has not seen. */
export const COUNT_PARTICIPANT_STALE_MS = 60_000;

/** A count shared with the store's other registers through the cloud (count-session.ts); null: this register's alone. */
export const SharedCountInfo = z.object({
  /** opened here, or joined from another register's list */
  role: z.enum(['opener', 'joined']),
  /** the register that opened it (`01`) */
  openedByRegister: z.string(),
  /** scans of this register the cloud refused: they arrived after the count was posted, and are not counted */
  refusedScans: z.number().int(),
  refusedMilli: z.number().int(),
  /** posted in the cloud: by which register and person (`MK01-01 Amy`), null while open */
  postedBy: z.string().nullable(),
  /** cancelled for every register: by which register and person, and why; null otherwise */
  cancelledBy: z.string().nullable().optional(),
  cancelReason: z.string().optional(),
  /** this register left it (cancelled here only): the others count on */
  left: z.boolean().optional(),
  /** and, when it left, whether it withdrew its scans from the count (null: not left); `too-late` once the cloud says the count was posted before the withdrawal arrived */
  leftScans: CountLeftScans.nullable().optional(),
  /** the registers counting into it as the cloud last said (at the last pull or refresh; empty until then) */
  participants: z.array(CountParticipant).optional(),
  /** this register's scans not yet sent to the cloud */
  unsentScans: z.number().int(),
});
export type SharedCountInfo = z.infer<typeof SharedCountInfo>;

export const StockDocumentView = z.object({
  id: z.number().int(),
  docNo: z.string(),
  kind: StockDocumentKind,
  status: StockDocumentStatus,
  blind: z.boolean(),
  scope: CountScope.nullable(),
  reasonCode: z.string().nullable(),
  note: z.string(),
  supplierRef: z.string(),
  toStoreCode: z.string().nullable(),
  /** receive: the purchase order it receives against, when there is one */
  purchaseOrderNo: z.string().nullable().optional(),
  /** and what became of that order: `cancelled` by head office, the document cannot be posted */
  purchaseOrderStatus: z.enum(['open', 'received', 'cancelled']).nullable().optional(),
  openedAt: z.number().int(),
  openedBy: z.string(),
  postedAt: z.number().int().nullable(),
  /** a count shared with other registers (absent or null: this register's alone) */
  shared: SharedCountInfo.nullable().optional(),
  lineCount: z.number().int(),
  totalMilli: z.number().int(),
  /** The newest lines first, at most 200 (a count may have thousands). */
  lines: z.array(StockLineView),
});
export type StockDocumentView = z.infer<typeof StockDocumentView>;

/** A transfer another store sent this one, in transit (pulled from the cloud). */
export const InboundTransfer = z.object({
  docId: z.string(),
  docNo: z.string(),
  fromStoreCode: z.string(),
  sentAt: z.number().int(),
  lineCount: z.number().int(),
  totalMilli: z.number().int(),
  /** every part of a long transfer has reached the cloud: it can be received */
  complete: z.boolean(),
});
export type InboundTransfer = z.infer<typeof InboundTransfer>;

/** A purchase order for this store, not yet received (pulled from the cloud); `cancelled`: by head office, not receivable. */
export const PurchaseOrderSummary = z.object({
  poId: z.string(),
  poNo: z.string(),
  supplier: z.string(),
  createdAt: z.number().int(),
  status: z.enum(['open', 'cancelled']),
  lineCount: z.number().int(),
  totalMilli: z.number().int(),
});
export type PurchaseOrderSummary = z.infer<typeof PurchaseOrderSummary>;

export const StockDocumentSummary = StockDocumentView.omit({ lines: true });
export type StockDocumentSummary = z.infer<typeof StockDocumentSummary>;

export const StockScanRequest = z.strictObject({
  documentId: z.number().int().positive(),
  code: z.string().min(1).max(64),
  /** Typed before the scan ("quantity first, then scan"); a count of 0 says "none on the shelf". */
  quantity: z.number().finite().min(-10_000).max(10_000).optional(),
  costCents: Cents.min(0).max(100_000_000).optional(),
});

export const StockScanResult = z.object({ line: StockLineView, lineCount: z.number().int(), totalMilli: z.number().int() });
export type StockScanResult = z.infer<typeof StockScanResult>;

export const VarianceLine = z.object({
  productId: z.number().int(),
  sku: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  expectedMilli: z.number().int(),
  countedMilli: z.number().int(),
  varianceMilli: z.number().int(),
  /** variance × the product's price, in cents (the register keeps no cost for every product) */
  varianceValue: Cents,
});
export type VarianceLine = z.infer<typeof VarianceLine>;

export const VarianceReport = z.object({
  documentId: z.number().int(),
  lineCount: z.number().int(),
  varianceLines: z.number().int(),
  shortMilli: z.number().int(),
  overMilli: z.number().int(),
  shortValue: Cents,
  overValue: Cents,
  /** the largest variances by value, at most 300 */
  lines: z.array(VarianceLine),
  /** a shared count: the registers counting into it, from the cloud (the report is their union) */
  participants: z.array(CountParticipant).optional(),
});
export type VarianceReport = z.infer<typeof VarianceReport>;

export const ReasonReportRow = z.object({
  reasonCode: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  documents: z.number().int(),
  quantityMilli: z.number().int(),
  value: Cents,
});
export type ReasonReportRow = z.infer<typeof ReasonReportRow>;

// The outbox payload ------------------------------------------------------------------------------

/** Lines per outbox row: a 20,000-line count travels as 20 rows, each far under the cloud's 1 MiB. */
export const STOCK_LINES_PER_ROW = 1000;

const Sku = z.string().min(1).max(64);

/**
 * One `stock.document` outbox row: a posted document, or one part of a long one. Every part
 * repeats the header and stands alone (its lines apply on their own), so parts need not arrive
 * together. Line numbers run across the whole document. The cloud recomputes what it applies:
 * a count carries what was counted and when, never a variance.
 */
export const StockDocumentPayload = z.strictObject({
  docId: z.uuid(),
  docNo: z.string().min(1).max(40),
  kind: StockDocumentKind,
  part: z.number().int().min(1),
  parts: z.number().int().min(1),
  postedAt: z.number().int().positive(),
  staffName: z.string().max(100),
  reasonCode: ReasonCode.nullable(),
  note: z.string().max(200),
  supplierRef: z.string().max(40),
  /** transfer-out: where the goods go; transfer-in: the sending document's docId */
  toStoreCode: z.string().max(16).nullable(),
  transferDocId: z.uuid().nullable(),
  /** receive: the purchase order it receives (lines of 0: ordered, not delivered); absent from older registers */
  purchaseOrderId: z.uuid().nullable().default(null),
  lines: z
    .array(
      z.strictObject({
        line: z.number().int().min(1),
        sku: Sku,
        /** receive, transfer-out, transfer-in: > 0; adjust: signed, ≠ 0; count: the counted quantity, ≥ 0 */
        quantityMilli: QuantityMilli,
        /** count: when the product was last scanned (sales after it are netted out) */
        countedAt: z.number().int().positive().nullable(),
        costCents: Cents.min(0).nullable(),
      }),
    )
    .min(1)
    .max(STOCK_LINES_PER_ROW),
});
export type StockDocumentPayload = z.infer<typeof StockDocumentPayload>;
