-- Head office console, part three (issue 16): register staff kept centrally (names, roles, which
-- stores; PINs are still set at each register), and price changes for one store from a date/time.
-- Both reach registers through the change log, as two new entities.

ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check
  CHECK (entity IN ('product', 'price', 'promotion', 'member', 'stock', 'transfer', 'store_price', 'staff'));

-- A price for one store from valid_from, over the merchant-wide price (table price). At a store the
-- price in force is the one with the latest valid_from among the merchant-wide and the store's own.
-- Rows are never deleted; the same instant again corrects that entry.
CREATE TABLE store_price (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL,
  store_id    BIGINT NOT NULL REFERENCES store (id),
  sku         TEXT NOT NULL,
  price       BIGINT NOT NULL CHECK (price >= 0),
  valid_from  TIMESTAMPTZ NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  UNIQUE (store_id, sku, valid_from),
  FOREIGN KEY (merchant_id, sku) REFERENCES product (merchant_id, sku)
);

CREATE INDEX store_price_merchant ON store_price (merchant_id, sku);

-- Register staff as head office knows them: the code is the key a register matches on. The roles
-- are the register's four built-in ones. No PIN here: each register sets its own.
CREATE TABLE register_staff (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  code        TEXT NOT NULL CHECK (code ~ '^[A-Za-z0-9-]{1,16}$'),
  name_zh     TEXT NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 40),
  name_en     TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 40),
  role        TEXT NOT NULL CHECK (role IN ('cashier', 'supervisor', 'manager', 'admin')),
  -- true: every store, now and later; false: the stores in register_staff_store
  all_stores  BOOLEAN NOT NULL DEFAULT true,
  active      BOOLEAN NOT NULL DEFAULT true,
  updated_at  TIMESTAMPTZ NOT NULL,
  UNIQUE (merchant_id, code)
);

CREATE TABLE register_staff_store (
  staff_id BIGINT NOT NULL REFERENCES register_staff (id) ON DELETE CASCADE,
  store_id BIGINT NOT NULL REFERENCES store (id),
  PRIMARY KEY (staff_id, store_id)
);
