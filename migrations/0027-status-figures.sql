-- The figures the status bar reads after every sale, read without scanning what grows all year
-- (issue 18).

-- What waits in the outbox, kept as it changes. The status bar, the sync panel, the
-- day's close and the health screen read these figures after every sale; counting the unacked rows
-- read the whole backlog each time (a register offline for a week, or never enrolled, holds tens of
-- thousands: 28 ms a read at 10,000 sale-sized rows, 250 ms at 100,000). A row is pending while its
-- acked_at is NULL; these triggers are the one place that follows it. `documents`: the kinds
-- 'document.*' (sales, returns, exchanges), what a cashier calls unsynced sales.
CREATE TABLE outbox_pending (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  rows      INTEGER NOT NULL CHECK (rows >= 0),
  documents INTEGER NOT NULL CHECK (documents >= 0 AND documents <= rows)
) STRICT;

INSERT INTO outbox_pending (id, rows, documents)
SELECT 1, count(*), count(*) FILTER (WHERE kind GLOB 'document.*') FROM outbox WHERE acked_at IS NULL;

CREATE TRIGGER outbox_pending_on_insert AFTER INSERT ON outbox WHEN NEW.acked_at IS NULL
BEGIN
  UPDATE outbox_pending SET rows = rows + 1, documents = documents + (NEW.kind GLOB 'document.*') WHERE id = 1;
END;

-- Acknowledged, sent again after a SEQ_GAP, or (never done today) another kind: what it counted
-- before goes, what it counts now comes, whichever of the two changed.
CREATE TRIGGER outbox_pending_on_update AFTER UPDATE OF acked_at, kind ON outbox
WHEN (OLD.acked_at IS NULL) <> (NEW.acked_at IS NULL) OR (OLD.kind GLOB 'document.*') <> (NEW.kind GLOB 'document.*')
BEGIN
  UPDATE outbox_pending
  SET rows = rows + (NEW.acked_at IS NULL) - (OLD.acked_at IS NULL),
      documents = documents + (NEW.acked_at IS NULL AND NEW.kind GLOB 'document.*')
                            - (OLD.acked_at IS NULL AND OLD.kind GLOB 'document.*')
  WHERE id = 1;
END;

CREATE TRIGGER outbox_pending_on_delete AFTER DELETE ON outbox WHEN OLD.acked_at IS NULL
BEGIN
  UPDATE outbox_pending SET rows = rows - 1, documents = documents - (OLD.kind GLOB 'document.*') WHERE id = 1;
END;

-- The first document still waiting (the oldest unsynced sale), found without reading the rows queued
-- before it.
CREATE INDEX outbox_pending_documents ON outbox (seq) WHERE acked_at IS NULL AND kind GLOB 'document.*';

-- The orders the status bar counts (new ones to prepare, conflicts to acknowledge): counted by
-- index, not by reading every order this register has pulled (each with its lines).
CREATE INDEX customer_order_conflict ON customer_order (order_no) WHERE conflict IS NOT NULL;

-- The documents the cloud put aside that nobody has acknowledged yet (the status bar's attention):
-- acknowledged ones stay for the record.
CREATE INDEX sync_quarantine_open ON sync_quarantine (seq) WHERE acknowledged_at IS NULL;
