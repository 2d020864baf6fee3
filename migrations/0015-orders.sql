-- Customer orders at the till (issue 15): the store's online and social orders as the cloud last
-- sent them (GET /v1/registers/:id/orders), usable offline; this register's own moves of them
-- until the cloud's answer comes back; the prepaid hand-overs; the order a cart pays; and sales by
-- channel in the report roll-ups.

-- The cloud's order, as pulled (phone already masked by the cloud). `status` is the cloud's; a
-- move made here (through the outbox, kind order.transition) sits in local_status until the pull
-- shows the cloud has it. `conflict` (JSON: status, by, at, receiptNo) is set when the cloud says
-- another register or the shop reached a final state first: shown until a person acknowledges it.
CREATE TABLE customer_order (
  order_no         TEXT PRIMARY KEY,
  channel          TEXT NOT NULL CHECK (channel IN ('online', 'instagram', 'whatsapp', 'facebook', 'phone', 'counter')),
  customer_name    TEXT NOT NULL,
  customer_phone   TEXT,
  status           TEXT NOT NULL CHECK (status IN ('new', 'preparing', 'ready', 'collected', 'cancelled')),
  lines            TEXT NOT NULL CHECK (json_valid(lines)),
  total            INTEGER NOT NULL CHECK (total >= 0),
  paid             INTEGER NOT NULL CHECK (paid >= 0),
  pickup_on        TEXT,
  note             TEXT NOT NULL DEFAULT '',
  final_by         TEXT,
  final_at         INTEGER,
  receipt_no       TEXT,
  cancel_reason    TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  version          INTEGER NOT NULL,
  local_status     TEXT CHECK (local_status IN ('preparing', 'ready', 'collected', 'cancelled')),
  local_receipt_no TEXT,
  local_at         INTEGER,
  conflict         TEXT CHECK (conflict IS NULL OR json_valid(conflict))
) STRICT;
CREATE INDEX customer_order_status ON customer_order (status, pickup_on);

-- What the store's open orders hold back, per SKU (thousandths), as of the last pull.
CREATE TABLE order_reservation (
  sku            TEXT PRIMARY KEY,
  quantity_milli INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- A prepaid order handed over here: its own gapless series ({store}-{register}-P{seq}), printed
-- as a 已預付 PREPAID slip; no money and no stock moves at this register (the cloud turns the
-- reservation into the sale movement).
CREATE TABLE order_handover (
  id           INTEGER PRIMARY KEY,
  seq          INTEGER NOT NULL UNIQUE,
  handover_no  TEXT NOT NULL UNIQUE,
  order_no     TEXT NOT NULL UNIQUE,
  staff_id     INTEGER NOT NULL REFERENCES staff (id),
  total        INTEGER NOT NULL,
  handed_at    INTEGER NOT NULL
) STRICT;

-- The order a cart collects (its lines and prices are the order's, locked) and what was paid
-- before (a deposit or the online checkout): only the rest is tendered.
ALTER TABLE cart ADD COLUMN order_no TEXT;
ALTER TABLE cart ADD COLUMN order_paid INTEGER NOT NULL DEFAULT 0;

-- The document's channel: a sale at the counter, an online order or a social (chat, phone) order
-- paid at pickup; and the order it closed.
ALTER TABLE sale ADD COLUMN channel TEXT NOT NULL DEFAULT 'shop' CHECK (channel IN ('shop', 'online', 'social'));
ALTER TABLE sale ADD COLUMN order_no TEXT;
CREATE UNIQUE INDEX sale_order ON sale (order_no) WHERE order_no IS NOT NULL;

-- What was paid before pickup, on the document: its own method, never a tender button.
INSERT INTO payment_method (code, name_zh, name_en, kind, sort, active) VALUES ('deposit', '已付訂金', 'Paid before', 'reference', 99, 0);

CREATE TABLE report_channel_day (
  day       INTEGER NOT NULL,
  channel   TEXT NOT NULL,
  documents INTEGER NOT NULL DEFAULT 0,
  net       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, channel)
) STRICT, WITHOUT ROWID;
INSERT INTO report_channel_day (day, channel, documents, net)
SELECT day, 'shop', sum(documents), sum(net) FROM report_staff_day GROUP BY day;
