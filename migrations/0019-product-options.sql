-- A variant's option label (issue 16): 尺碼 M / Size M, pulled from head office with the variant
-- (parent_id, since 0001, says whose variant it is). The till offers a parent's variants by it.
ALTER TABLE product ADD COLUMN option_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE product ADD COLUMN option_en TEXT NOT NULL DEFAULT '';
