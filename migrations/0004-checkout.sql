-- The open cart, suspended carts, completed documents (sales, returns, exchanges), their payments,
-- the stock ledger and the sync outbox. Money is integer HKD cents; quantities are integer
-- thousandths (quantity_milli: 1 unit = 1000, 0.355 kg = 355) so weighed items stay exact.

CREATE TABLE payment_method (
  code    TEXT PRIMARY KEY CHECK (code GLOB '[a-z]*' AND length(code) BETWEEN 2 AND 32),
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('cash', 'card', 'reference')),
  sort    INTEGER NOT NULL DEFAULT 0,
  active  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

INSERT INTO payment_method (code, name_zh, name_en, kind, sort) VALUES
  ('cash', '現金', 'Cash', 'cash', 1),
  ('card', '信用卡', 'Card', 'card', 2),
  ('octopus', '八達通', 'Octopus', 'reference', 3),
  ('fps', '轉數快 FPS', 'FPS', 'reference', 4),
  ('payme', 'PayMe', 'PayMe', 'reference', 5),
  ('alipayhk', 'AlipayHK', 'AlipayHK', 'reference', 6),
  ('wechatpay', 'WeChat Pay', 'WeChat Pay', 'reference', 7);

CREATE TABLE cart (
  id            INTEGER PRIMARY KEY,
  register_code TEXT NOT NULL,          -- the register holding it; only that register may recall it
  status        TEXT NOT NULL CHECK (status IN ('open', 'suspended', 'completed', 'voided')),
  label         TEXT,
  staff_id      INTEGER NOT NULL REFERENCES staff (id),
  discount_kind  TEXT CHECK (discount_kind IN ('percent', 'amount')),
  discount_value INTEGER,
  discount_approved_by INTEGER REFERENCES staff (id),
  void_reason   TEXT,
  last_line_id  INTEGER,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  CHECK ((discount_kind IS NULL) = (discount_value IS NULL))
) STRICT;

CREATE UNIQUE INDEX cart_one_open_per_register ON cart (register_code) WHERE status = 'open';
CREATE INDEX cart_suspended ON cart (register_code, updated_at) WHERE status = 'suspended';

CREATE TABLE cart_line (
  id             INTEGER PRIMARY KEY,
  cart_id        INTEGER NOT NULL REFERENCES cart (id) ON DELETE CASCADE,
  product_id     INTEGER NOT NULL REFERENCES product (id),
  -- snapshot at scan time: an open cart keeps the price it was scanned at
  sku            TEXT NOT NULL,
  name_zh        TEXT NOT NULL,
  name_en        TEXT NOT NULL,
  category_code  TEXT,
  tax_class      TEXT NOT NULL,
  list_price     INTEGER NOT NULL,
  quantity_milli INTEGER NOT NULL CHECK (quantity_milli <> 0),
  weighed        INTEGER NOT NULL DEFAULT 0 CHECK (weighed IN (0, 1)),
  embedded_price INTEGER NOT NULL DEFAULT 0 CHECK (embedded_price IN (0, 1)),
  price_override INTEGER CHECK (price_override >= 0),
  price_approved_by INTEGER REFERENCES staff (id),
  discount_kind  TEXT CHECK (discount_kind IN ('percent', 'amount')),
  discount_value INTEGER,
  discount_approved_by INTEGER REFERENCES staff (id),
  -- A negative quantity is a line being returned. Its refund is fixed when it is added: the
  -- original line's net, pro rata, so returning a line in parts refunds exactly what was paid.
  return_of_line_id INTEGER,            -- sale_line.id; NULL for a return without a receipt
  return_net     INTEGER,
  return_tax     INTEGER,
  return_approved_by INTEGER REFERENCES staff (id),
  CHECK ((discount_kind IS NULL) = (discount_value IS NULL)),
  CHECK ((quantity_milli < 0) = (return_net IS NOT NULL))
) STRICT;

CREATE INDEX cart_line_cart ON cart_line (cart_id);

CREATE TABLE sale (
  id              INTEGER PRIMARY KEY,
  register_seq    INTEGER NOT NULL UNIQUE,   -- gapless per register, allocated inside the sale transaction
  receipt_no      TEXT NOT NULL UNIQUE,      -- {store}-{register}-{seq}
  kind            TEXT NOT NULL CHECK (kind IN ('sale', 'return', 'exchange')),
  cart_id         INTEGER NOT NULL UNIQUE REFERENCES cart (id),  -- a cart completes once
  staff_id        INTEGER NOT NULL REFERENCES staff (id),
  subtotal        INTEGER NOT NULL,
  promotion_total INTEGER NOT NULL,
  discount_total  INTEGER NOT NULL,
  tax_total       INTEGER NOT NULL,
  total           INTEGER NOT NULL,
  rounding        INTEGER NOT NULL,
  change_given    INTEGER NOT NULL CHECK (change_given >= 0),
  discount_approved_by INTEGER REFERENCES staff (id),
  completed_at    INTEGER NOT NULL,
  reprint_count   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX sale_completed ON sale (completed_at);

CREATE TABLE sale_line (
  id              INTEGER PRIMARY KEY,
  sale_id         INTEGER NOT NULL REFERENCES sale (id),
  position        INTEGER NOT NULL,
  product_id      INTEGER NOT NULL REFERENCES product (id),
  sku             TEXT NOT NULL,
  name_zh         TEXT NOT NULL,
  name_en         TEXT NOT NULL,
  category_code   TEXT,
  tax_class       TEXT NOT NULL,
  quantity_milli  INTEGER NOT NULL CHECK (quantity_milli <> 0),
  list_price      INTEGER NOT NULL,
  unit_price      INTEGER NOT NULL,
  gross           INTEGER NOT NULL,
  promotions      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(promotions)),  -- [{id, code, nameZh, nameEn, quantity, amount}]
  promotion_amount INTEGER NOT NULL DEFAULT 0,
  discount_amount INTEGER NOT NULL DEFAULT 0,   -- line discount plus its share of the cart discount
  net             INTEGER NOT NULL,
  tax             INTEGER NOT NULL DEFAULT 0,
  price_approved_by INTEGER REFERENCES staff (id),
  discount_approved_by INTEGER REFERENCES staff (id),
  return_of_line_id INTEGER REFERENCES sale_line (id),
  return_approved_by INTEGER REFERENCES staff (id),
  UNIQUE (sale_id, position)
) STRICT;

CREATE INDEX sale_line_return_of ON sale_line (return_of_line_id) WHERE return_of_line_id IS NOT NULL;

CREATE TABLE payment (
  id            INTEGER PRIMARY KEY,
  sale_id       INTEGER NOT NULL REFERENCES sale (id),
  position      INTEGER NOT NULL,
  method        TEXT NOT NULL REFERENCES payment_method (code),
  amount        INTEGER NOT NULL,     -- toward the sale; negative for a refund
  tendered      INTEGER NOT NULL,     -- cash handed over (= amount when no change)
  change_given  INTEGER NOT NULL DEFAULT 0 CHECK (change_given >= 0),
  reference     TEXT,
  approval_code TEXT,
  card_last4    TEXT CHECK (card_last4 IS NULL OR (length(card_last4) = 4 AND card_last4 NOT GLOB '*[^0-9]*')),
  UNIQUE (sale_id, position)
) STRICT;

-- The stock ledger: on-hand is derived. One movement per document line, never twice.
CREATE TABLE stock_movement (
  id             INTEGER PRIMARY KEY,
  product_id     INTEGER NOT NULL REFERENCES product (id),
  quantity_milli INTEGER NOT NULL,     -- signed: a sale is negative, a return positive
  reason         TEXT NOT NULL CHECK (reason IN ('sale', 'return', 'receive', 'adjust', 'count', 'transfer')),
  source         TEXT NOT NULL,        -- e.g. the receipt number
  line           INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  UNIQUE (source, line)
) STRICT;

CREATE INDEX stock_movement_product ON stock_movement (product_id);

-- Committed with each document; the sync worker pushes rows in seq order. seq is gapless.
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  ref        TEXT NOT NULL,
  payload    TEXT NOT NULL CHECK (json_valid(payload)),
  created_at INTEGER NOT NULL,
  acked_at   INTEGER
) STRICT;

INSERT INTO setting (key, value) VALUES
  ('checkout.cashRoundingStep', '10'),
  ('checkout.quickCash', '[2000, 5000, 10000, 50000, 100000]'),
  ('checkout.discountLimitBasisPoints', '{"cashier": 1000, "manager": 10000}'),
  ('checkout.refundMethods', '"original-or-cash"'),
  ('tax.classes', '{"none": {"rateBasisPoints": 0, "inclusive": true}}'),
  ('scanner.wedge', '{"maxInterKeyMs": 35, "minLength": 6, "suffix": "Enter", "repeatAddsUnit": true, "repeatWindowMs": 800}');
