/**
 * Which of this register's documents the figures it pulled from the cloud already hold: on-hand
 * (cloud_stock), members' points and store credit (cloud_member), gift-card balances
 * (cloud_gift_card). The register shows a pulled figure plus its own documents that figure does
 * not hold yet, so this is the one place that says which those are.
 *
 * A document the cloud has not acknowledged is not in them. One it has acknowledged is in the
 * cloud's figures at once, but in this register's copy only after a pull that began after the
 * acknowledgement has read the feed to its end: sync_health.pulled_through_seq (migration 0028,
 * kept by the sync worker, sync-store.ts) is the outbox seq every acknowledged row was at or below
 * when the last such pull began. Counting only unacknowledged rows, a figure fell back between the
 * acknowledgement and that pull (on-hand, points just earned, credit just spent offline).
 * One edge is left on the safe side: a balance a cloud redemption answered (kept as of its version)
 * holds documents acknowledged before it, which count here until that pull: the balance shows low
 * for a moment, never high.
 */

const MARK = '(SELECT pulled_through_seq FROM sync_health WHERE id = 1)';

/** SQL over an outbox row aliased `o`: its document is in the pulled figures. */
export const IN_PULLED_FIGURES = `(o.acked_at IS NOT NULL AND o.seq <= ${MARK})`;

/**
 * SQL: the outbox refs the pulled figures do not hold yet, each once (set-based, for many products
 * at once). Two disjoint ranges, each read by an index (the rowid past the mark, outbox_unacked up
 * to it), whatever the outbox's history holds; a plain UNION read the whole outbox by ref.
 */
export const REFS_NOT_IN_PULLED_FIGURES = `SELECT DISTINCT ref FROM (
  SELECT ref FROM outbox WHERE seq > ${MARK}
  UNION ALL SELECT ref FROM outbox WHERE acked_at IS NULL AND seq <= ${MARK})`;
