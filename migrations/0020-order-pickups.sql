-- Partial pickup and exchange against a customer order (issue 15).
--
-- The cloud's figures of a partly collected order, as pulled: how much of what was paid before
-- earlier pickups used (applied_paid) and its pickups (JSON: receiptNo, by, at, final); each line's
-- collected and swapped-out quantities travel inside `lines`. This register's own pickups wait in
-- local_pickups (JSON: receiptNo, collect, release, applied, final, at) until the cloud lists them,
-- exactly as local_status waits for a move.
ALTER TABLE customer_order ADD COLUMN applied_paid INTEGER NOT NULL DEFAULT 0 CHECK (applied_paid >= 0);
ALTER TABLE customer_order ADD COLUMN pickups TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(pickups));
ALTER TABLE customer_order ADD COLUMN local_pickups TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(local_pickups));

-- The pickup a cart pays (JSON: collect, release, applied): its order lines and the items swapped in
-- are the cart's locked lines; `order_paid` is the prepayment the pickup uses.
ALTER TABLE cart ADD COLUMN order_pickup TEXT CHECK (order_pickup IS NULL OR json_valid(order_pickup));

-- A prepaid order may now be handed over in parts: one slip per pickup, so an order may have several.
CREATE TABLE order_handover_new (
  id           INTEGER PRIMARY KEY,
  seq          INTEGER NOT NULL UNIQUE,
  handover_no  TEXT NOT NULL UNIQUE,
  order_no     TEXT NOT NULL,
  staff_id     INTEGER NOT NULL REFERENCES staff (id),
  total        INTEGER NOT NULL,
  handed_at    INTEGER NOT NULL
) STRICT;
INSERT INTO order_handover_new (id, seq, handover_no, order_no, staff_id, total, handed_at)
  SELECT id, seq, handover_no, order_no, staff_id, total, handed_at FROM order_handover;
DROP TABLE order_handover;
ALTER TABLE order_handover_new RENAME TO order_handover;
CREATE INDEX order_handover_order ON order_handover (order_no);

-- An order paid in parts has a sale per pickup: one order, several documents.
DROP INDEX sale_order;
CREATE INDEX sale_order ON sale (order_no) WHERE order_no IS NOT NULL;
