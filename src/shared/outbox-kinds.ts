/**
 * The kinds of row a register writes to its sync outbox: the one list the register's writer
 * (src/main/sync/outbox.ts) and the cloud's appliers (cloud/domain/mutation-kinds.ts) are both
 * typed by. A kind added here does not compile until the cloud applies it; a kind the cloud does
 * not know cannot be written. What each carries: cloud/README.md.
 */

/** Completed register documents; the payload is the `Receipt` (checkout-schemas.ts). */
export const documentOutboxKinds = ['document.sale', 'document.return', 'document.exchange'] as const;

/**
 * Shift, cash, day-close and void events: the cloud checks each against its kind's schema
 * (register-event-schemas.ts) and keeps it whole (its register_event table). A blind count travels
 * inside `shift.closed`, a no-sale drawer opening inside the Z's counts: neither is an event of its own.
 */
export const registerEventKinds = ['shift.opened', 'shift.closed', 'cash.movement', 'day.closed', 'cart.voided'] as const;

/** Members enrolled at the till (payload: MemberEnrolment, src/shared/member-schemas.ts). */
export const memberOutboxKinds = ['member.enrolled'] as const;

/**
 * A register's move of a customer order (collected, ready, cancelled …; payload
 * OrderTransitionPayload, order-schemas.ts; ref `{orderNo}`): applied by the cloud's order state
 * machine exactly once; a move that lost (another register collected it first) is quarantined.
 * `order.pickup`: part of an order handed over or swapped (payload OrderPickupPayload,
 * order-pickup.ts; ref `{orderNo}`), in the transaction of the sale or hand-over slip it names.
 * `order.claim-released`: a claim made for a sale that was never written is undone (payload
 * OrderClaimRelease, order-schemas.ts; ref `{orderNo}`).
 */
export const orderOutboxKinds = ['order.transition', 'order.pickup', 'order.claim-released'] as const;

/**
 * A stocktake shared by the store's registers (count-session.ts): `count.session` opens it (ref
 * `{docNo}`), `count.entry` is one scan into it (ref `{docNo}:{entrySeq}`), `count.leave` is this
 * register leaving it (ref `{docNo}:leave`), after all its entries.
 */
export const countOutboxKinds = ['count.session', 'count.entry', 'count.leave'] as const;

/**
 * `stored-value.released` (ref `{key}`, payload RedemptionRelease, stored-value.ts): an online
 * redemption the register asked for and no sale will carry (the tender removed, the completion
 * failed, the cart voided): the cloud gives it back to the account once, by the key.
 */
export const storedValueOutboxKinds = ['stored-value.released'] as const;

/** `stock.document`: a posted receiving, count, transfer or adjustment, or one part of a long one (stock-schemas.ts). */
export const outboxKinds = [
  ...documentOutboxKinds,
  'stock.movement',
  'stock.document',
  ...registerEventKinds,
  ...memberOutboxKinds,
  ...orderOutboxKinds,
  ...countOutboxKinds,
  ...storedValueOutboxKinds,
] as const;

export type DocumentOutboxKind = (typeof documentOutboxKinds)[number];
export type RegisterEventKind = (typeof registerEventKinds)[number];
export type OutboxKind = (typeof outboxKinds)[number];
