-- Stock at the counter (issue 14): goods received, stocktakes, transfers and adjustments as documents.
-- A document is scanned into while open (several people may scan into one count), and posting it
-- writes its lines, one stock_movement per changed product and its stock.document outbox rows in
-- one transaction. On-hand stays a projection of stock_movement; nothing here holds an on-hand.

-- Adjustment reasons: the built-in six, and whatever the merchant adds. Never deleted (documents name them).
CREATE TABLE stock_reason (
  code      TEXT PRIMARY KEY CHECK (code GLOB '[a-z]*' AND length(code) BETWEEN 2 AND 32),
  name_zh   TEXT NOT NULL,
  name_en   TEXT NOT NULL,
  direction INTEGER NOT NULL CHECK (direction IN (-1, 0, 1)),  -- -1 takes away, 1 adds, 0 either way
  built_in  INTEGER NOT NULL DEFAULT 0 CHECK (built_in IN (0, 1)),
  active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  sort      INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO stock_reason (code, name_zh, name_en, direction, built_in, sort) VALUES
  ('damaged', '損壞', 'Damaged', -1, 1, 1),
  ('expired', '過期', 'Expired', -1, 1, 2),
  ('theft', '失竊', 'Theft', -1, 1, 3),
  ('sample', '試用品', 'Sample', -1, 1, 4),
  ('found', '尋回', 'Found', 1, 1, 5),
  ('correction', '更正', 'Correction', 0, 1, 6);

-- The reorder level per product (the low-stock list); products without one are never "low".
CREATE TABLE stock_level (
  product_id    INTEGER PRIMARY KEY REFERENCES product (id),
  reorder_milli INTEGER NOT NULL CHECK (reorder_milli >= 0)
) STRICT;

CREATE TABLE stock_document (
  id              INTEGER PRIMARY KEY,
  doc_id          TEXT NOT NULL UNIQUE,            -- a UUID: the document's name in the cloud, whatever the enrolment
  doc_no          TEXT NOT NULL UNIQUE,            -- what people read: GRN-000001, CNT-000002 …
  kind            TEXT NOT NULL CHECK (kind IN ('receive', 'adjust', 'count', 'transfer-out', 'transfer-in')),
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'posted', 'cancelled')),
  blind           INTEGER NOT NULL DEFAULT 0 CHECK (blind IN (0, 1)),
  scope           TEXT CHECK (scope IS NULL OR json_valid(scope)),
  reason_code     TEXT REFERENCES stock_reason (code),
  note            TEXT NOT NULL DEFAULT '',
  supplier_ref    TEXT NOT NULL DEFAULT '',
  to_store_code   TEXT,
  transfer_doc_id TEXT,
  opened_by       INTEGER NOT NULL REFERENCES staff (id),
  opened_at       INTEGER NOT NULL,
  posted_by       INTEGER REFERENCES staff (id),
  approved_by     INTEGER REFERENCES staff (id),
  posted_at       INTEGER
) STRICT;

CREATE INDEX stock_document_open ON stock_document (kind, id) WHERE status = 'open';

-- Every scan into an open document, as it happened: who, what, how many, when. A count line is the
-- sum of its product's scans; its time is the product's last scan (sales after it are netted out).
CREATE TABLE stock_scan (
  id             INTEGER PRIMARY KEY,
  document_id    INTEGER NOT NULL REFERENCES stock_document (id),
  product_id     INTEGER NOT NULL REFERENCES product (id),
  quantity_milli INTEGER NOT NULL,
  cost_cents     INTEGER CHECK (cost_cents IS NULL OR cost_cents >= 0),
  staff_id       INTEGER NOT NULL REFERENCES staff (id),
  scanned_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX stock_scan_document_product ON stock_scan (document_id, product_id);

-- A posted document's lines, with what the register expected; never changed after posting.
CREATE TABLE stock_document_line (
  document_id    INTEGER NOT NULL REFERENCES stock_document (id),
  line           INTEGER NOT NULL CHECK (line >= 1),
  product_id     INTEGER NOT NULL REFERENCES product (id),
  sku            TEXT NOT NULL,
  quantity_milli INTEGER NOT NULL,                 -- received, counted, adjusted (signed) or sent
  expected_milli INTEGER,                          -- count: on-hand at the line's count time
  movement_milli INTEGER NOT NULL,                 -- what it moved on-hand here
  cost_cents     INTEGER,
  counted_at     INTEGER,
  PRIMARY KEY (document_id, line)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER stock_document_line_immutable BEFORE UPDATE ON stock_document_line
BEGIN
  SELECT RAISE(ABORT, 'posted stock document lines are immutable');
END;

-- A movement is unsynced while the outbox row of its source is unacked (stock-view.ts): look it up by ref.
CREATE INDEX outbox_ref ON outbox (ref);
-- Movements after a count's time, per product (netting sales made while counting).
CREATE INDEX stock_movement_product_time ON stock_movement (product_id, created_at);
