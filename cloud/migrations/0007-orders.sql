-- Shop keys and customer orders (issue 15).
--
-- A shop key is how the merchant's online shop (and later other integrations) calls the cloud:
-- created with the admin CLI, shown once, stored only as its sha256 (256 random bits, so a fast
-- hash is enough, as for register tokens), scoped, revocable.
--
-- An order is a state machine the cloud owns: new → preparing → ready → collected, or cancelled.
-- Each change takes the merchant's order_counter row (locked to COMMIT), so versions are gap-free
-- and become visible in order: a register pulling `version > since` never skips one.

CREATE TABLE shop_key (
  id           BIGSERIAL PRIMARY KEY,
  merchant_id  BIGINT NOT NULL REFERENCES merchant (id),
  label        TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  -- The key's first characters (`spk_` and 8 more): shown in lists and logs to tell keys apart.
  prefix       TEXT NOT NULL UNIQUE CHECK (prefix ~ '^spk_[A-Za-z0-9_-]{8}$'),
  key_hash     BYTEA NOT NULL UNIQUE,
  scopes       TEXT[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['orders', 'members']::text[]),
  created_at   TIMESTAMPTZ NOT NULL,
  last_used_at TIMESTAMPTZ,
  revoked_at   TIMESTAMPTZ
);

CREATE TABLE order_counter (
  merchant_id  BIGINT PRIMARY KEY REFERENCES merchant (id),
  last_version BIGINT NOT NULL DEFAULT 0 CHECK (last_version >= 0)
);

CREATE TABLE customer_order (
  id                BIGSERIAL PRIMARY KEY,
  merchant_id       BIGINT NOT NULL REFERENCES merchant (id),
  store_id          BIGINT NOT NULL REFERENCES store (id),
  -- The caller's own id: creating it again is a replay (same content) or a conflict.
  order_no          TEXT NOT NULL CHECK (length(order_no) BETWEEN 1 AND 40),
  channel           TEXT NOT NULL CHECK (channel IN ('online', 'instagram', 'whatsapp', 'facebook', 'phone', 'counter')),
  customer_name     TEXT NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 100),
  customer_phone    TEXT,
  status            TEXT NOT NULL CHECK (status IN ('new', 'preparing', 'ready', 'collected', 'cancelled')),
  -- Computed here from the cloud's prices, never taken from the caller.
  total             BIGINT NOT NULL CHECK (total >= 0),
  paid              BIGINT NOT NULL CHECK (paid >= 0 AND paid <= total),
  paid_method       TEXT,
  paid_reference    TEXT,
  pickup_on         DATE,
  note              TEXT NOT NULL DEFAULT '',
  -- sha256 of the creation request as parsed (canonical JSON): tells a replay from a conflict.
  request_hash      BYTEA NOT NULL,
  created_by        TEXT NOT NULL,
  version           BIGINT NOT NULL,
  final_by_kind     TEXT CHECK (final_by_kind IN ('shop-key', 'register')),
  final_by_name     TEXT,
  final_register_id UUID REFERENCES register (id),
  final_receipt_no  TEXT,
  final_at          TIMESTAMPTZ,
  cancel_reason     TEXT,
  created_at        TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  UNIQUE (merchant_id, order_no),
  CHECK ((status IN ('collected', 'cancelled')) = (final_at IS NOT NULL))
);

CREATE INDEX customer_order_pull ON customer_order (merchant_id, store_id, version);
CREATE INDEX customer_order_open ON customer_order (store_id) WHERE status IN ('new', 'preparing', 'ready');

CREATE TABLE customer_order_line (
  order_id       BIGINT NOT NULL REFERENCES customer_order (id),
  line           INTEGER NOT NULL CHECK (line >= 1),
  merchant_id    BIGINT NOT NULL,
  sku            TEXT NOT NULL,
  name_zh        TEXT NOT NULL,
  name_en        TEXT NOT NULL,
  quantity_milli BIGINT NOT NULL CHECK (quantity_milli > 0),
  unit_price     BIGINT NOT NULL CHECK (unit_price >= 0),
  amount         BIGINT NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (order_id, line),
  FOREIGN KEY (merchant_id, sku) REFERENCES product (merchant_id, sku)
);

-- Every move of every order, with who made it: never updated or deleted.
CREATE TABLE customer_order_event (
  id          BIGSERIAL PRIMARY KEY,
  order_id    BIGINT NOT NULL REFERENCES customer_order (id),
  from_status TEXT,
  to_status   TEXT NOT NULL,
  actor       TEXT NOT NULL,
  at          TIMESTAMPTZ NOT NULL,
  detail      JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX customer_order_event_order ON customer_order_event (order_id, id);
CREATE TRIGGER customer_order_event_immutable BEFORE UPDATE OR DELETE ON customer_order_event FOR EACH ROW EXECUTE FUNCTION refuse_change();
