/**
 * A stocktake several registers of one store count into (issue 14, "several people scanning into
 * one count session"): the session lives in the cloud, and each register's scans are append-only
 * entries of it, pushed through that register's outbox exactly once (`count.session` opens it,
 * `count.entry` is one scan, identified by the register and its entry number). Nothing is a
 * shared mutable row: the counted quantity of a product is the sum of the entries the cloud took
 * before the session was posted; its count time is the latest of them.
 *
 * The cloud decides the post (once, under the session's row lock) and computes the variance from
 * the union of every participant's entries, netting out sales made at any register of the store
 * after a product's last scan. Entries arriving after the post are kept, marked refused, and the
 * register that sent them shows them as not counted. Runtime-free: zod only.
 */
import * as z from './zod';
import { CountParticipant, CountScope, QuantityMilli } from './stock-schemas';

export { COUNT_PARTICIPANT_STALE_MS, CountParticipant } from './stock-schemas';

const Sku = z.string().min(1).max(64);

/** `count.session` (ref: the session's document number): the register opened a shared count. */
export const CountSessionOpened = z.strictObject({
  sessionId: z.uuid(),
  docNo: z.string().min(1).max(40),
  scope: CountScope,
  blind: z.boolean(),
  openedAt: z.number().int().positive(),
  staffName: z.string().max(100),
});
export type CountSessionOpened = z.infer<typeof CountSessionOpened>;

/**
 * `count.entry` (ref: `{docNo}:{entrySeq}`): one scan (or a correction) into a shared count.
 * `entrySeq` is the register's own number for the entry (its scan id: unique and rising on that
 * register), so (session, register, entrySeq) names an entry for ever, whatever is re-sent.
 */
export const CountEntry = z.strictObject({
  sessionId: z.uuid(),
  entrySeq: z.number().int().min(1),
  sku: Sku,
  /** signed: a correction takes scans back; the product's sum must not end below zero */
  quantityMilli: QuantityMilli,
  scannedAt: z.number().int().positive(),
  staffName: z.string().max(100),
});
export type CountEntry = z.infer<typeof CountEntry>;

/**
 * `count.leave` (ref: `{docNo}:leave`): this register left the session (its copy closed here; the
 * others count on). It follows every entry of that register in its outbox, so once the cloud has
 * it, it has all of them. `withdraw`: the leaver's entries are taken out of the count (decided
 * under the session's row lock: only while it is open; after the post they stay counted, and the
 * cloud says the withdrawal came too late). Otherwise the entries the cloud took stay counted.
 */
export const CountLeave = z.strictObject({
  sessionId: z.uuid(),
  leftAt: z.number().int().positive(),
  staffName: z.string().max(100),
  withdraw: z.boolean(),
});
export type CountLeave = z.infer<typeof CountLeave>;

export const CountSessionStatus = z.enum(['open', 'posted', 'cancelled']);

export const CountSessionView = z.object({
  sessionId: z.uuid(),
  docNo: z.string(),
  scope: CountScope,
  blind: z.boolean(),
  openedAt: z.number().int(),
  openedBy: z.string(),
  openedByRegister: z.string(),
  status: CountSessionStatus,
  postedAt: z.number().int().nullable(),
  /** `MK01-01 Amy`: the register and person who posted */
  postedBy: z.string().nullable(),
  /** cancelled as a whole: when, by whom (`MK01-01 Amy`) and why (absent from an older cloud: null) */
  cancelledAt: z.number().int().nullable().default(null),
  cancelledBy: z.string().nullable().default(null),
  cancelReason: z.string().default(''),
  participants: z.array(CountParticipant),
  /** the asking register's entries the cloud refused (arrived after the post), by entry number */
  refusedEntrySeqs: z.array(z.number().int()),
});
export type CountSessionView = z.infer<typeof CountSessionView>;

export const CountSessionList = z.object({ sessions: z.array(CountSessionView) });
export type CountSessionList = z.infer<typeof CountSessionList>;

/** One product of the merged count: every participant's entries, against on-hand at its last scan. */
export const CountUnionLine = z.object({
  sku: Sku,
  countedMilli: z.number().int(),
  expectedMilli: z.number().int(),
  varianceMilli: z.number().int(),
  /** the latest entry's scan time (null: in scope, not scanned by anyone, counted as none) */
  countedAt: z.number().int().nullable(),
});
export type CountUnionLine = z.infer<typeof CountUnionLine>;

export const CountSessionVariance = z.object({
  session: CountSessionView,
  lines: z.array(CountUnionLine),
});
export type CountSessionVariance = z.infer<typeof CountSessionVariance>;

export const PostCountSessionBody = z.strictObject({
  staffName: z.string().max(100),
  /** the poster saw the warning that a participant may have unsent entries, and posts anyway */
  acceptUnsent: z.boolean().default(false),
});
export type PostCountSessionBody = z.infer<typeof PostCountSessionBody>;

export const PostCountSessionResult = CountSessionVariance;
export type PostCountSessionResult = CountSessionVariance;

/**
 * Cancels the whole session (every register's copy closes at its next pull). The register that
 * opened it may; any other participant only with `manager` (the register checked its person holds
 * stock.count-post). A register that only leaves says so through its outbox (`count.leave`).
 */
export const CancelCountSessionBody = z.strictObject({
  staffName: z.string().max(100),
  reason: z.string().max(200).default(''),
  manager: z.boolean().default(false),
});
export type CancelCountSessionBody = z.infer<typeof CancelCountSessionBody>;
