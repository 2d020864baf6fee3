-- The cloud's model: merchant → stores → registers; the catalogue head office edits; the stock
-- ledger every channel writes; immutable sales; the per-register mutation log that makes a push
-- exactly-once; the per-merchant change log registers pull from.
--
-- Money is integer HKD cents (BIGINT); quantities are integer thousandths (quantity_milli), as on
-- the register. Instants are timestamptz; the API speaks ms since the epoch.

CREATE TABLE merchant (
  id         BIGSERIAL PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
  -- Sales are summarised by the merchant's calendar day, not UTC's.
  time_zone  TEXT NOT NULL DEFAULT 'Asia/Hong_Kong',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per merchant, the allocator of change_log versions. It is updated (so row-locked) by
-- every transaction that appends changes and the lock is held to COMMIT: versions are therefore
-- gap-free AND become visible in version order, so a reader paging by `version > since` can never
-- skip a version that commits later. A sequence would give neither guarantee.
CREATE TABLE change_counter (
  merchant_id  BIGINT PRIMARY KEY REFERENCES merchant (id),
  last_version BIGINT NOT NULL DEFAULT 0 CHECK (last_version >= 0),
  -- Retention horizon: entries with version <= min_version have been pruned, so a cursor below it
  -- must start again from a snapshot.
  min_version  BIGINT NOT NULL DEFAULT 0 CHECK (min_version >= 0 AND min_version <= last_version)
);

CREATE TABLE store (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  -- Part of every receipt number ({store}-{register}-{seq}), hence the alphabet.
  code        TEXT NOT NULL CHECK (code ~ '^[A-Z0-9]{1,16}$'),
  name_zh     TEXT NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
  name_en     TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  address_zh  TEXT NOT NULL DEFAULT '',
  address_en  TEXT NOT NULL DEFAULT '',
  phone       TEXT NOT NULL DEFAULT '',
  -- Allocator of register codes, so two enrolments at once never get the same one.
  registers_enrolled INTEGER NOT NULL DEFAULT 0,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (merchant_id, code)
);

CREATE TABLE register (
  id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id         BIGINT NOT NULL REFERENCES merchant (id),
  store_id            BIGINT NOT NULL REFERENCES store (id),
  -- Unique per store, so receipt numbers are unique per merchant.
  code                TEXT NOT NULL CHECK (code ~ '^[A-Z0-9]{1,8}$'),
  name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- sha256 of the bearer token; the token itself is never stored.
  token_hash          BYTEA NOT NULL UNIQUE,
  -- After a rotation, the old token's hash, accepted only to retry the rotation (its answer may
  -- have been lost) until the new token is first used.
  previous_token_hash BYTEA UNIQUE,
  revoked_at          TIMESTAMPTZ,
  last_applied_seq    BIGINT NOT NULL DEFAULT 0 CHECK (last_applied_seq >= 0),
  last_push_at        TIMESTAMPTZ,
  enrolled_at         TIMESTAMPTZ NOT NULL,
  UNIQUE (store_id, code)
);

CREATE TABLE enrolment_code (
  id          BIGSERIAL PRIMARY KEY,
  store_id    BIGINT NOT NULL REFERENCES store (id),
  -- sha256 of the normalised code (60 random bits): brute force is what the rate limit is for.
  code_hash   BYTEA NOT NULL UNIQUE,
  created_at  TIMESTAMPTZ NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL,
  used_at     TIMESTAMPTZ,
  register_id UUID REFERENCES register (id),
  CHECK ((used_at IS NULL) = (register_id IS NULL))
);

-- Fixed one-minute windows of enrolment attempts per client address, shared by every instance.
CREATE TABLE enrol_attempt (
  client       TEXT NOT NULL,
  window_start TIMESTAMPTZ NOT NULL,
  attempts     INTEGER NOT NULL,
  PRIMARY KEY (client, window_start)
);

CREATE INDEX enrol_attempt_window ON enrol_attempt (window_start);

-- The catalogue ---------------------------------------------------------------------------------

CREATE TABLE product (
  merchant_id   BIGINT NOT NULL REFERENCES merchant (id),
  sku           TEXT NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
  name_zh       TEXT NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 200),
  name_en       TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  category_code TEXT,
  tax_class     TEXT NOT NULL DEFAULT 'none',
  active        BOOLEAN NOT NULL DEFAULT true,
  updated_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (merchant_id, sku)
);

CREATE TABLE barcode (
  merchant_id BIGINT NOT NULL,
  code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  sku         TEXT NOT NULL,
  PRIMARY KEY (merchant_id, code),
  FOREIGN KEY (merchant_id, sku) REFERENCES product (merchant_id, sku)
);

CREATE INDEX barcode_product ON barcode (merchant_id, sku);

-- Effective-dated: the current price is the one with the latest valid_from <= now. Rows are never
-- updated, so the history of what a product cost is kept.
CREATE TABLE price (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL,
  sku         TEXT NOT NULL,
  price       BIGINT NOT NULL CHECK (price >= 0),
  valid_from  TIMESTAMPTZ NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  UNIQUE (merchant_id, sku, valid_from),
  FOREIGN KEY (merchant_id, sku) REFERENCES product (merchant_id, sku)
);

-- Same shape as the register's `promotion` table: kind + JSON params. The kind is not limited here
-- either; the admin side validates params per kind before storing.
CREATE TABLE promotion (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  name_zh     TEXT NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
  name_en     TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  kind        TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
  params      JSONB NOT NULL CHECK (jsonb_typeof(params) = 'object'),
  priority    INTEGER NOT NULL DEFAULT 0,
  starts_at   TIMESTAMPTZ,
  ends_at     TIMESTAMPTZ,
  active      BOOLEAN NOT NULL DEFAULT true,
  updated_at  TIMESTAMPTZ NOT NULL,
  UNIQUE (merchant_id, code),
  CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
);

CREATE TABLE member (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  phone       TEXT,
  tier        TEXT NOT NULL DEFAULT 'standard',
  active      BOOLEAN NOT NULL DEFAULT true,
  updated_at  TIMESTAMPTZ NOT NULL,
  UNIQUE (merchant_id, code)
);

-- Stock ------------------------------------------------------------------------------------------

-- The ledger every channel writes. `source` is globally unique by construction (`sale:<id>`,
-- `mutation:<register>:<seq>`, `admin:<merchant>:<ref>`), so UNIQUE (source, line) makes every
-- movement land once whatever retries happen upstream.
CREATE TABLE stock_movement (
  id             BIGSERIAL PRIMARY KEY,
  merchant_id    BIGINT NOT NULL,
  store_id       BIGINT NOT NULL REFERENCES store (id),
  sku            TEXT NOT NULL,
  quantity_milli BIGINT NOT NULL CHECK (quantity_milli <> 0),  -- signed: a sale is negative
  reason         TEXT NOT NULL CHECK (reason IN ('sale', 'return', 'receive', 'adjust', 'count', 'transfer')),
  source         TEXT NOT NULL,
  line           INTEGER NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL,
  UNIQUE (source, line),
  FOREIGN KEY (merchant_id, sku) REFERENCES product (merchant_id, sku)
);

CREATE INDEX stock_movement_store_sku ON stock_movement (store_id, sku);

-- The on-hand projection, maintained in the same transaction as the movements. Negative is allowed
-- (a sale is never blocked by stock) and shows up as such.
CREATE TABLE stock_on_hand (
  store_id       BIGINT NOT NULL REFERENCES store (id),
  sku            TEXT NOT NULL,
  merchant_id    BIGINT NOT NULL,
  quantity_milli BIGINT NOT NULL,
  updated_at     TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (store_id, sku),
  FOREIGN KEY (merchant_id, sku) REFERENCES product (merchant_id, sku)
);

-- Sales (registers and the online shop) ------------------------------------------------------------

CREATE TABLE sale (
  id                  BIGSERIAL PRIMARY KEY,
  merchant_id         BIGINT NOT NULL REFERENCES merchant (id),
  store_id            BIGINT NOT NULL REFERENCES store (id),
  channel             TEXT NOT NULL CHECK (channel IN ('register', 'online')),
  register_id         UUID REFERENCES register (id),
  register_seq        BIGINT,                -- the outbox seq the document arrived with
  register_sale_id    BIGINT,                -- the register's own sale id
  kind                TEXT NOT NULL CHECK (kind IN ('sale', 'return', 'exchange')),
  receipt_no          TEXT NOT NULL,         -- the order number for the online shop
  original_receipt_no TEXT,
  completed_at        TIMESTAMPTZ NOT NULL,
  staff_name          TEXT NOT NULL DEFAULT '',
  subtotal            BIGINT NOT NULL,
  promotion_total     BIGINT NOT NULL,
  discount_total      BIGINT NOT NULL,
  tax_total           BIGINT NOT NULL,
  total               BIGINT NOT NULL,
  rounding            BIGINT NOT NULL,
  change_given        BIGINT NOT NULL,
  document            JSONB NOT NULL,        -- the document exactly as the channel sent it
  received_at         TIMESTAMPTZ NOT NULL,
  UNIQUE (merchant_id, channel, receipt_no),
  CHECK ((channel = 'register') = (register_id IS NOT NULL))
);

CREATE INDEX sale_summary ON sale (merchant_id, completed_at);

CREATE TABLE sale_line (
  sale_id          BIGINT NOT NULL REFERENCES sale (id),
  position         INTEGER NOT NULL,
  sku              TEXT NOT NULL,
  name_zh          TEXT NOT NULL,
  name_en          TEXT NOT NULL,
  quantity_milli   BIGINT NOT NULL CHECK (quantity_milli <> 0),
  unit_price       BIGINT NOT NULL,
  gross            BIGINT NOT NULL,
  promotion_amount BIGINT NOT NULL,
  discount_amount  BIGINT NOT NULL,
  net              BIGINT NOT NULL,
  PRIMARY KEY (sale_id, position)
);

CREATE TABLE sale_payment (
  sale_id       BIGINT NOT NULL REFERENCES sale (id),
  position      INTEGER NOT NULL,
  method        TEXT NOT NULL,
  amount        BIGINT NOT NULL,
  tendered      BIGINT NOT NULL,
  change_given  BIGINT NOT NULL,
  reference     TEXT,
  approval_code TEXT,
  card_last4    TEXT,
  PRIMARY KEY (sale_id, position)
);

-- Documents and the ledger are immutable: a correction is a new document or movement.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER sale_immutable BEFORE UPDATE OR DELETE ON sale FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER sale_line_immutable BEFORE UPDATE OR DELETE ON sale_line FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER sale_payment_immutable BEFORE UPDATE OR DELETE ON sale_payment FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER stock_movement_immutable BEFORE UPDATE OR DELETE ON stock_movement FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Sync ---------------------------------------------------------------------------------------------

-- Every mutation a register pushed and the server took (applied or quarantined), with the hash of
-- its content, so a replay is recognised and a different content under the same seq is flagged.
CREATE TABLE applied_mutation (
  register_id  UUID NOT NULL REFERENCES register (id),
  seq          BIGINT NOT NULL CHECK (seq >= 1),
  kind         TEXT NOT NULL,
  ref          TEXT NOT NULL,
  content_hash BYTEA NOT NULL,
  outcome      TEXT NOT NULL CHECK (outcome IN ('applied', 'quarantined')),
  applied_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (register_id, seq)
);

-- What could not be applied, kept whole for a person to look at. `payload` is JSON text, not
-- JSONB: it must accept whatever arrived (JSONB refuses \u0000, for one).
CREATE TABLE quarantine (
  id           BIGSERIAL PRIMARY KEY,
  merchant_id  BIGINT NOT NULL REFERENCES merchant (id),
  register_id  UUID REFERENCES register (id),
  seq          BIGINT,
  kind         TEXT NOT NULL,
  ref          TEXT NOT NULL,
  payload      TEXT NOT NULL,
  content_hash BYTEA NOT NULL,
  reason_code  TEXT NOT NULL,
  reason       TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  resolved_at  TIMESTAMPTZ
);

CREATE INDEX quarantine_open ON quarantine (merchant_id, created_at) WHERE resolved_at IS NULL;
-- A conflicting replay is recorded once however often it is sent again.
CREATE UNIQUE INDEX quarantine_conflict_once ON quarantine (register_id, seq, content_hash) WHERE reason_code = 'SEQ_CONFLICT';

-- What registers pull: every catalogue, price, promotion, member and stock change, per merchant,
-- numbered by change_counter.
CREATE TABLE change_log (
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  version     BIGINT NOT NULL CHECK (version >= 1),
  entity      TEXT NOT NULL CHECK (entity IN ('product', 'price', 'promotion', 'member', 'stock')),
  op          TEXT NOT NULL CHECK (op IN ('upsert')),
  data        JSONB NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (merchant_id, version)
);
