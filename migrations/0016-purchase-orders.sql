-- Purchase orders for this store (issue 14), as the cloud's change feed says: open until a goods
-- received document here (or at another register of the store) posts what arrived against one.
CREATE TABLE purchase_order (
  po_id      TEXT PRIMARY KEY,                    -- the order's UUID in the cloud
  po_no      TEXT NOT NULL,
  supplier   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('open', 'received', 'cancelled')),
  lines      TEXT NOT NULL CHECK (json_valid(lines))  -- [{ sku, quantityMilli, costCents }] as ordered
) STRICT;

-- A receiving document against an order names it (its expected column is what was ordered).
ALTER TABLE stock_document ADD COLUMN po_id TEXT;
