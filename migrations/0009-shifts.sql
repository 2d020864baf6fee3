-- Shifts (one drawer session each), cash movements, business days closed by numbered Z reports,
-- and the roll-ups the reports screen reads. Documents are attributed by sale.id ranges recorded
-- when a shift or a business day opens and closes, so completing a sale writes nothing extra.
-- Money is integer HKD cents.

CREATE TABLE business_day (
  id            INTEGER PRIMARY KEY,
  register_code TEXT NOT NULL,
  opened_at     INTEGER NOT NULL,
  since_at      INTEGER NOT NULL,             -- previous Z's closed_at (0 for the first day): window for voids and no-sales
  sale_id_after INTEGER NOT NULL,             -- the day's documents are sale.id > sale_id_after …
  sale_id_last  INTEGER,                      -- … and <= sale_id_last once its Z is taken
  closed_at     INTEGER,
  closed_by     INTEGER REFERENCES staff (id),
  z_no          INTEGER,                      -- numbered per register without gaps
  totals        TEXT CHECK (totals IS NULL OR json_valid(totals)),  -- the Z as computed at close; never recomputed
  reprint_count INTEGER NOT NULL DEFAULT 0,
  CHECK ((closed_at IS NULL) = (z_no IS NULL) AND (z_no IS NULL) = (totals IS NULL) AND (z_no IS NULL) = (sale_id_last IS NULL)),
  UNIQUE (register_code, z_no)
) STRICT;

CREATE UNIQUE INDEX business_day_one_open ON business_day (register_code) WHERE closed_at IS NULL;

CREATE TRIGGER business_day_z_final BEFORE UPDATE ON business_day
WHEN OLD.closed_at IS NOT NULL AND (NEW.closed_at IS NOT OLD.closed_at OR NEW.z_no IS NOT OLD.z_no
  OR NEW.totals IS NOT OLD.totals OR NEW.sale_id_last IS NOT OLD.sale_id_last OR NEW.sale_id_after IS NOT OLD.sale_id_after)
BEGIN
  SELECT RAISE(ABORT, 'a Z report is final');
END;

CREATE TRIGGER business_day_no_delete BEFORE DELETE ON business_day
BEGIN
  SELECT RAISE(ABORT, 'business days are never deleted');
END;

CREATE TABLE shift (
  id                INTEGER PRIMARY KEY,
  business_day_id   INTEGER NOT NULL REFERENCES business_day (id),
  register_code     TEXT NOT NULL,
  staff_id          INTEGER NOT NULL REFERENCES staff (id),
  opened_at         INTEGER NOT NULL,
  sale_id_after     INTEGER NOT NULL,         -- the shift's documents are sale.id > sale_id_after …
  sale_id_last      INTEGER,                  -- … and <= sale_id_last once closed
  float_total       INTEGER NOT NULL CHECK (float_total >= 0),
  float_count       TEXT NOT NULL CHECK (json_valid(float_count)),
  counted_at        INTEGER,                  -- the blind count: entered before the expected amount is shown
  counted_by        INTEGER REFERENCES staff (id),
  counted_total     INTEGER CHECK (counted_total >= 0),
  counted           TEXT CHECK (counted IS NULL OR json_valid(counted)),
  closed_at         INTEGER,
  closed_by         INTEGER REFERENCES staff (id),
  expected_cash     INTEGER,
  over_short        INTEGER,                  -- counted - expected: positive 長款, negative 短款
  over_short_reason TEXT,
  approved_by       INTEGER REFERENCES staff (id),
  CHECK ((counted_at IS NULL) = (counted_total IS NULL)),
  CHECK (closed_at IS NULL OR (counted_at IS NOT NULL AND expected_cash IS NOT NULL AND over_short IS NOT NULL AND sale_id_last IS NOT NULL))
) STRICT;

CREATE UNIQUE INDEX shift_one_open ON shift (register_code) WHERE closed_at IS NULL;
CREATE INDEX shift_day ON shift (business_day_id);

CREATE TABLE cash_movement (
  id         INTEGER PRIMARY KEY,
  shift_id   INTEGER NOT NULL REFERENCES shift (id),
  kind       TEXT NOT NULL CHECK (kind IN ('pay-in', 'pay-out', 'safe-drop')),
  amount     INTEGER NOT NULL CHECK (amount > 0),
  reason     TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  staff_id   INTEGER NOT NULL REFERENCES staff (id),
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX cash_movement_shift ON cash_movement (shift_id);

-- Voids in a period (the Z and the reports count them).
CREATE INDEX cart_voided ON cart (updated_at) WHERE status = 'voided';

-- Report roll-ups, folded in from sale.id > last_sale_id whenever a report is asked for or a Z is
-- taken (documents are immutable, so a folded document never changes). Hours and days are Hong
-- Kong local time (UTC+8, no daylight saving): day = (completed_at + 8 h) / 1 day.
CREATE TABLE report_rollup_state (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  last_sale_id INTEGER NOT NULL
) STRICT;
INSERT INTO report_rollup_state (id, last_sale_id) VALUES (1, 0);

CREATE TABLE report_hour (
  hour_start INTEGER PRIMARY KEY,             -- ms since the epoch, a whole hour
  documents  INTEGER NOT NULL DEFAULT 0,
  returns_count INTEGER NOT NULL DEFAULT 0,   -- return and exchange documents
  gross      INTEGER NOT NULL DEFAULT 0,      -- sold lines before promotions and discounts
  promotions INTEGER NOT NULL DEFAULT 0,
  discounts  INTEGER NOT NULL DEFAULT 0,
  returns    INTEGER NOT NULL DEFAULT 0,      -- refunded value of returned lines (positive)
  net        INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE report_product_day (
  day            INTEGER NOT NULL,            -- days since 1970-01-01, Hong Kong time
  product_id     INTEGER NOT NULL,
  sku            TEXT NOT NULL,
  name_zh        TEXT NOT NULL,
  name_en        TEXT NOT NULL,
  category_code  TEXT,
  sold_milli     INTEGER NOT NULL DEFAULT 0,
  returned_milli INTEGER NOT NULL DEFAULT 0,
  net            INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, product_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_staff_day (
  day       INTEGER NOT NULL,
  staff_id  INTEGER NOT NULL,
  documents INTEGER NOT NULL DEFAULT 0,
  net       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, staff_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_method_day (
  day      INTEGER NOT NULL,
  method   TEXT NOT NULL,
  payments INTEGER NOT NULL DEFAULT 0,
  amount   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, method)
) STRICT, WITHOUT ROWID;

-- Existing history is rolled up here, once, at upgrade (not on the first report during business).
-- The same statements as src/main/reports/rollup.ts, on empty tables.
INSERT INTO report_hour (hour_start, documents, returns_count, gross, promotions, discounts, returns, net)
SELECT d.hour_start, d.documents, d.returns_count, l.gross, l.promotions, l.discounts, l.returns, l.net
FROM (SELECT (completed_at / 3600000) * 3600000 AS hour_start, count(*) AS documents, sum(kind <> 'sale') AS returns_count
      FROM sale GROUP BY 1) d
JOIN (SELECT (s.completed_at / 3600000) * 3600000 AS hour_start,
             sum(CASE WHEN l.quantity_milli > 0 THEN l.gross ELSE 0 END) AS gross,
             sum(CASE WHEN l.quantity_milli > 0 THEN l.promotion_amount ELSE 0 END) AS promotions,
             sum(CASE WHEN l.quantity_milli > 0 THEN l.discount_amount ELSE 0 END) AS discounts,
             sum(CASE WHEN l.quantity_milli < 0 THEN -l.net ELSE 0 END) AS returns,
             sum(l.net) AS net
      FROM sale_line l JOIN sale s ON s.id = l.sale_id GROUP BY 1) l ON l.hour_start = d.hour_start;

INSERT INTO report_product_day (day, product_id, sku, name_zh, name_en, category_code, sold_milli, returned_milli, net)
SELECT (s.completed_at + 28800000) / 86400000, l.product_id, max(l.sku), max(l.name_zh), max(l.name_en), max(l.category_code),
       sum(CASE WHEN l.quantity_milli > 0 THEN l.quantity_milli ELSE 0 END),
       sum(CASE WHEN l.quantity_milli < 0 THEN -l.quantity_milli ELSE 0 END),
       sum(l.net)
FROM sale_line l JOIN sale s ON s.id = l.sale_id GROUP BY 1, 2;

INSERT INTO report_staff_day (day, staff_id, documents, net)
SELECT (completed_at + 28800000) / 86400000, staff_id, count(*), sum(total) FROM sale GROUP BY 1, 2;

INSERT INTO report_method_day (day, method, payments, amount)
SELECT (s.completed_at + 28800000) / 86400000, p.method, count(*), sum(p.amount)
FROM payment p JOIN sale s ON s.id = p.sale_id GROUP BY 1, 2;

UPDATE report_rollup_state SET last_sale_id = (SELECT coalesce(max(id), 0) FROM sale);

INSERT INTO setting (key, value) VALUES
  ('shift.blindCount', 'true'),
  ('shift.overShortToleranceCents', '2000');
