-- The durable print queue: one row per job for a device (the receipt printer is 'receipt').
-- A sale inserts only a small row (kind + receipt number) right after its transaction commits;
-- the printer worker builds and encodes the bytes when it prints. A job found in 'printing' when
-- the register starts may have partly printed, so it becomes 'uncertain' for the cashier to
-- reprint or dismiss; it is never resent silently.

CREATE TABLE print_job (
  id          INTEGER PRIMARY KEY,
  device      TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'receipt-copy', 'report', 'test')),
  ref         TEXT NOT NULL,                   -- the receipt number, or what a report is of
  document    TEXT CHECK (document IS NULL OR json_valid(document)), -- a ReceiptDocument for reports; NULL: built from the sale
  state       TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'printing', 'printed', 'uncertain', 'failed', 'dismissed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  printed_at  INTEGER
) STRICT;

CREATE INDEX print_job_pending ON print_job (device, state, id);
