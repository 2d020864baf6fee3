-- A sale's stock movements are keyed `sale:<id>`, the id the same transaction gave the sale:
-- unique by construction (the sale's own UNIQUE receipt number stands behind it). The (source,
-- line) uniqueness that makes a retried admin command or stock document move nothing twice leaves
-- them out of its index: ten index entries fewer a sale. ON CONFLICT names the predicate.
-- (IF EXISTS / IF NOT EXISTS: a development database may have had this as part of 0028 before 0028
-- was released without it.)
ALTER TABLE stock_movement DROP CONSTRAINT IF EXISTS stock_movement_source_line_key;
CREATE UNIQUE INDEX IF NOT EXISTS stock_movement_source_line ON stock_movement (source, line) WHERE source NOT LIKE 'sale:%';
