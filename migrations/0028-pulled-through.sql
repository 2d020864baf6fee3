-- How far the figures this register pulled from the cloud reach into its own outbox (issue 18).
-- On-hand, a member's points and store credit, and a gift card's balance are shown as the cloud's
-- figure as of the last pull plus this register's documents that figure does not hold yet. A
-- document the cloud has acknowledged is in the cloud's figure, but not in this register's copy
-- until a pull that began after the acknowledgement has read the feed to its end: until then it
-- still counts, or the figure would fall back for as long as that pull takes.
-- The outbox seq at or below which every acknowledged row was when the last complete pull began
-- (src/main/sync/pulled-figures.ts reads it; the sync worker keeps it, sync-store.ts).
ALTER TABLE sync_health ADD COLUMN pulled_through_seq INTEGER NOT NULL DEFAULT 0;

-- Before this, an acknowledged document stopped counting at once: take the acknowledged ones as pulled.
UPDATE sync_health
SET pulled_through_seq = coalesce((SELECT min(seq) - 1 FROM outbox WHERE acked_at IS NULL), (SELECT max(seq) FROM outbox), 0)
WHERE id = 1;
