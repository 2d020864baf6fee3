-- How far the pulled stock figures reach into this register's own outbox (issue 18). On-hand here
-- is the cloud's figure as of the last pull plus this register's movements that figure does not
-- hold yet. A movement the cloud has acknowledged is in the cloud's figure, but not in the one
-- this register holds until a pull that started after the acknowledgement has read the feed to
-- its end: until then it still counts, or on-hand would fall back for as long as that pull takes.
-- The outbox seq through which every acknowledged row was in the cloud when the last complete
-- pull started (its rows' movements are in cloud_stock); kept by sync-store.ts.
ALTER TABLE sync_health ADD COLUMN stock_pulled_through_seq INTEGER NOT NULL DEFAULT 0;

-- Before this, an acknowledged movement stopped counting at once: take the acknowledged ones as pulled.
UPDATE sync_health
SET stock_pulled_through_seq = coalesce((SELECT min(seq) - 1 FROM outbox WHERE acked_at IS NULL), (SELECT max(seq) FROM outbox), 0)
WHERE id = 1;
