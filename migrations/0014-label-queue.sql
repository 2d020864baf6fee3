-- Labels (issue 14): the label queue. Receiving a delivery queues as many product labels as were
-- received (written with the posted document, in its transaction); a price change queues one
-- shelf label for the product, whoever changed it: a price pulled from the cloud (the sync
-- worker's own connection) or applied when its time came. Printing takes rows out.
CREATE TABLE label_queue (
  id         INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES product (id),
  kind       TEXT NOT NULL CHECK (kind IN ('product', 'shelf')),
  quantity   INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  -- what queued it: a stock document number (GRN-000001, TRI-…), 'price' or 'manual'
  source     TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX label_queue_product ON label_queue (product_id);

-- A price change queues one shelf label per product: a second change before it is printed keeps
-- the one row (the label prints the price current at printing time). A product's first price
-- (0 → price, as the snapshot of a new register sets it) is not a change on any shelf.
CREATE TRIGGER label_queue_price_change AFTER UPDATE OF price ON product
  WHEN NEW.price <> OLD.price AND OLD.price > 0
    AND NOT EXISTS (SELECT 1 FROM label_queue WHERE product_id = NEW.id AND kind = 'shelf' AND source = 'price')
BEGIN
  INSERT INTO label_queue (product_id, kind, quantity, source, created_at)
    VALUES (NEW.id, 'shelf', 1, 'price', CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
