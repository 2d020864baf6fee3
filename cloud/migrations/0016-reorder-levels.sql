-- Reorder levels per store and product (issue 14): head office sets them on the console's 庫存 page;
-- the store's registers pull them as `reorder_level` changes (a cleared level: reorderMilli null)
-- and their low-stock list uses them. The cloud owns them: a register enrolled to a cloud does not
-- edit its own.

ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check
  CHECK (entity IN ('product', 'price', 'promotion', 'member', 'stock', 'transfer', 'store_price', 'staff', 'purchase_order',
                    'gift_card', 'reorder_level'));

CREATE TABLE stock_reorder_level (
  merchant_id   BIGINT NOT NULL REFERENCES merchant (id),
  store_id      BIGINT NOT NULL REFERENCES store (id),
  sku           TEXT NOT NULL,
  reorder_milli BIGINT NOT NULL CHECK (reorder_milli >= 0),
  updated_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (store_id, sku)
);
