-- Sales by product per calendar month of the store (issue 18: the reports screen over a year).
-- A year's report by product and by category read every product-day of the year (about 500,000
-- rows at a busy shop, sorted to group them: ~0.9 s). Whole months inside the range are now read
-- from this roll-up (12 × the products sold) and only the days at either end from
-- report_product_day. `month` is the day number (days since 1970-01-01) of the month's first day in
-- the store's calendar, so it compares with report_product_day.day. Folded with the other roll-ups
-- (src/main/reports/rollup.ts), from the same documents.
CREATE TABLE report_product_month (
  month          INTEGER NOT NULL,
  product_id     INTEGER NOT NULL,
  sku            TEXT NOT NULL,
  name_zh        TEXT NOT NULL,
  name_en        TEXT NOT NULL,
  category_code  TEXT,
  sold_milli     INTEGER NOT NULL DEFAULT 0,
  returned_milli INTEGER NOT NULL DEFAULT 0,
  net            INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (month, product_id)
) STRICT, WITHOUT ROWID;

-- The history already rolled up by day, once: its days are the store's, so their months are too.
INSERT INTO report_product_month (month, product_id, sku, name_zh, name_en, category_code, sold_milli, returned_milli, net)
SELECT CAST(julianday(date(day * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER), product_id,
       max(sku), max(name_zh), max(name_en), max(category_code), sum(sold_milli), sum(returned_milli), sum(net)
FROM report_product_day GROUP BY 1, 2;
