-- Catalogue search and barcode keys (issue 3).
--
-- Queries of 3+ characters go to an FTS5 trigram index (substring match, case-insensitive). The
-- trigram tokenizer matches nothing shorter than 3 characters, and most Chinese product words have
-- two, so 1- and 2-character queries go to product_ngram: every 1- and 2-character substring of the
-- Chinese name and the first two letters of every English word, each with a sort key, so the
-- best 20 of thousands of hits are the first 20 rows of one index range.
-- Only active products are indexed: the cashier cannot sell the others. Triggers keep both indexes
-- in step with product; this file indexes the rows 0001 already holds.

-- 1. Full text. Contentless (the text lives in product) with contentless_delete (SQLite 3.43+),
-- so a trigger deletes by rowid without repeating the old text; queries only need rowids.
CREATE VIRTUAL TABLE product_fts USING fts5 (
  name_zh, name_en, sku,
  content = '', contentless_delete = 1, tokenize = 'trigram'
);

-- 2. Short queries. sort_key orders hits best first:
--   class * 1e8 (0: the whole name is the query, 1: the name starts with it, 2: elsewhere)
--   + favourite rank * 1e4 (9999 when not a favourite) + name length (capped at 9999).
-- Grams are ASCII-lowercased (SQLite's lower() folds ASCII only; Chinese has no case).
-- No index by product_id (it would double the table): a product's rows are found again by
-- recomputing them from its current values, in BEFORE triggers, while they are still the old ones.
CREATE TABLE product_ngram (
  gram       TEXT NOT NULL,
  sort_key   INTEGER NOT NULL,
  product_id INTEGER NOT NULL,
  PRIMARY KEY (gram, sort_key, product_id)
) STRICT, WITHOUT ROWID;

-- Every (gram, sort_key, product_id) a product should have; triggers select from it by product_id.
-- Chinese name: every 1- and 2-character substring with a non-ASCII character in it (ASCII runs in
-- a Chinese name, like sizes, are left to the English side and to 3+-character search).
-- English name: the first two letters or digits of every word ("mi" finds Milk Tea; a single
-- ASCII letter is left to the SKU and name prefix search). Whitespace and punctuation are never in
-- a gram. Characters past the 255th of a name are not 1/2-gram indexed (3+-character search still
-- finds them).
CREATE TABLE ngram_position (k INTEGER PRIMARY KEY) STRICT;
INSERT INTO ngram_position (k)
  WITH RECURSIVE pos (k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM pos WHERE k < 255) SELECT k FROM pos;

CREATE VIEW product_ngram_source (gram, sort_key, product_id) AS
SELECT gram, (CASE WHEN gram = name THEN 0 WHEN k = 1 THEN 1 ELSE 2 END) * 100000000 + fav * 10000 + min(length(name), 9999), id
FROM (
  SELECT p.id, lower(p.name_zh) AS name, pos.k, lower(substr(p.name_zh, pos.k, width.n)) AS gram, width.n,
         coalesce(max(0, min(p.favourite_rank, 9998)), 9999) AS fav
  FROM product p CROSS JOIN ngram_position pos ON pos.k <= length(p.name_zh) CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) width
  WHERE p.active = 1
)
WHERE length(gram) = n AND gram GLOB '*[^ -~]*'
  AND gram NOT GLOB '*[ -/:-@[-`{-~]*' AND gram NOT GLOB '*[　、，。：；！？「」『』（）《》〈〉・·]*' AND gram NOT GLOB '*[' || char(9, 10, 13) || ']*'
UNION ALL
SELECT gram, (CASE WHEN gram = name THEN 0 WHEN k = 1 THEN 1 ELSE 2 END) * 100000000 + fav * 10000 + min(length(name), 9999), id
FROM (
  SELECT p.id, lower(p.name_en) AS name, pos.k, lower(substr(p.name_en, pos.k, 2)) AS gram,
         coalesce(max(0, min(p.favourite_rank, 9998)), 9999) AS fav
  FROM product p CROSS JOIN ngram_position pos ON pos.k < length(p.name_en)
  WHERE p.active = 1 AND (pos.k = 1 OR substr(p.name_en, pos.k - 1, 1) NOT GLOB '[0-9A-Za-z]')
)
WHERE gram GLOB '[0-9a-z][0-9a-z]';

-- 3. Prefix ranges for ranking ("the name starts with the query") and SKU prefix search.
CREATE INDEX product_name_zh_lower ON product (lower(name_zh)) WHERE active = 1;
CREATE INDEX product_name_en_lower ON product (lower(name_en)) WHERE active = 1;
CREATE INDEX product_sku_upper ON product (upper(sku)) WHERE active = 1;
CREATE INDEX product_parent ON product (parent_id) WHERE parent_id IS NOT NULL;

-- 4. Triggers. A gram may occur twice in a name: it keeps its best sort key. Rows go out BEFORE a
-- change (computed from the values still in product) and come in AFTER it.
CREATE TRIGGER product_search_insert AFTER INSERT ON product WHEN NEW.active = 1
BEGIN
  INSERT INTO product_fts (rowid, name_zh, name_en, sku) VALUES (NEW.id, NEW.name_zh, NEW.name_en, NEW.sku);
  INSERT INTO product_ngram (gram, sort_key, product_id)
    SELECT gram, min(sort_key), product_id FROM product_ngram_source WHERE product_id = NEW.id GROUP BY gram;
END;

CREATE TRIGGER product_search_before_update BEFORE UPDATE OF id, sku, name_zh, name_en, active, favourite_rank ON product
WHEN OLD.id IS NOT NEW.id OR OLD.sku IS NOT NEW.sku OR OLD.name_zh IS NOT NEW.name_zh OR OLD.name_en IS NOT NEW.name_en
  OR OLD.active IS NOT NEW.active OR OLD.favourite_rank IS NOT NEW.favourite_rank
BEGIN
  DELETE FROM product_ngram WHERE (gram, sort_key, product_id) IN
    (SELECT gram, min(sort_key), product_id FROM product_ngram_source WHERE product_id = OLD.id GROUP BY gram);
END;

CREATE TRIGGER product_search_update AFTER UPDATE OF id, sku, name_zh, name_en, active, favourite_rank ON product
WHEN OLD.id IS NOT NEW.id OR OLD.sku IS NOT NEW.sku OR OLD.name_zh IS NOT NEW.name_zh OR OLD.name_en IS NOT NEW.name_en
  OR OLD.active IS NOT NEW.active OR OLD.favourite_rank IS NOT NEW.favourite_rank
BEGIN
  DELETE FROM product_fts WHERE rowid = OLD.id;
  INSERT INTO product_fts (rowid, name_zh, name_en, sku) SELECT NEW.id, NEW.name_zh, NEW.name_en, NEW.sku WHERE NEW.active = 1;
  INSERT INTO product_ngram (gram, sort_key, product_id)
    SELECT gram, min(sort_key), product_id FROM product_ngram_source WHERE product_id = NEW.id GROUP BY gram;
END;

CREATE TRIGGER product_search_before_delete BEFORE DELETE ON product
BEGIN
  DELETE FROM product_ngram WHERE (gram, sort_key, product_id) IN
    (SELECT gram, min(sort_key), product_id FROM product_ngram_source WHERE product_id = OLD.id GROUP BY gram);
END;

CREATE TRIGGER product_search_delete AFTER DELETE ON product
BEGIN
  DELETE FROM product_fts WHERE rowid = OLD.id;
END;

-- 5. Index what 0001 holds.
INSERT INTO product_fts (rowid, name_zh, name_en, sku) SELECT id, name_zh, name_en, sku FROM product WHERE active = 1;
INSERT INTO product_ngram (gram, sort_key, product_id)
  SELECT gram, min(sort_key), product_id FROM product_ngram_source GROUP BY product_id, gram ORDER BY 1, 2, 3;

-- 6. Barcodes are keyed by their 13-digit GTIN form (src/shared/barcode.ts): UPC-A gains a leading
-- zero, a GTIN-14 with indicator 0 loses it. A row whose key is already taken keeps its old form
-- (UPDATE OR IGNORE); lookup asks for every equivalent form, so it is found either way. 8-digit
-- codes stay as they are: EAN-8 or UPC-E cannot be told apart in SQL, and lookup finds both.
UPDATE OR IGNORE barcode SET code = '0' || code WHERE length(code) = 12 AND code NOT GLOB '*[^0-9]*';
UPDATE OR IGNORE barcode SET code = substr(code, 2) WHERE length(code) = 14 AND code GLOB '0*' AND code NOT GLOB '*[^0-9]*';
