-- Purchase orders (issue 14): head office orders goods for a store (admin CLI `create-po`); the
-- store's registers pull the order as a `purchase_order` change and receive against it: what arrived
-- against what was ordered, short and over recorded on the receiving document's lines. An order is
-- received once, by one receiving document.

ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check
  CHECK (entity IN ('product', 'price', 'promotion', 'member', 'stock', 'transfer', 'store_price', 'staff', 'purchase_order'));

CREATE TABLE purchase_order (
  po_id           UUID PRIMARY KEY,
  merchant_id     BIGINT NOT NULL REFERENCES merchant (id),
  store_id        BIGINT NOT NULL REFERENCES store (id),
  po_no           TEXT NOT NULL CHECK (po_no ~ '^[A-Za-z0-9-]{1,32}$'),
  supplier        TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'received', 'cancelled')),
  created_at      TIMESTAMPTZ NOT NULL,
  received_doc_id UUID,
  UNIQUE (merchant_id, po_no)
);

CREATE TABLE purchase_order_line (
  po_id          UUID NOT NULL REFERENCES purchase_order (po_id),
  line           INTEGER NOT NULL CHECK (line >= 1),
  sku            TEXT NOT NULL,
  quantity_milli BIGINT NOT NULL CHECK (quantity_milli > 0),
  cost_cents     BIGINT CHECK (cost_cents IS NULL OR cost_cents >= 0),
  PRIMARY KEY (po_id, line),
  UNIQUE (po_id, sku)
);

-- A goods-received document names the order it receives; one receipt per order.
ALTER TABLE stock_document ADD COLUMN po_id UUID REFERENCES purchase_order (po_id);
CREATE UNIQUE INDEX stock_document_po_received ON stock_document (po_id) WHERE po_id IS NOT NULL;
