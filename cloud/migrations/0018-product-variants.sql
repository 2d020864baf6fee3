-- Products with variants (issue 16): a size or a colour of a product is a product of its own (its
-- own SKU, barcodes and prices, per store too) that names its parent and carries an option label in
-- both languages (尺碼 M / Size M). One level only: a parent is never itself a variant, so a chain
-- of parents, and with it a cycle, cannot exist. The domain checks this first with messages a person
-- can act on (src/shared/product-variants.ts); the trigger below is the last word.
ALTER TABLE product
  ADD COLUMN parent_sku TEXT,
  ADD COLUMN option_zh  TEXT NOT NULL DEFAULT '' CHECK (length(option_zh) <= 100),
  ADD COLUMN option_en  TEXT NOT NULL DEFAULT '' CHECK (length(option_en) <= 100),
  ADD CONSTRAINT product_not_own_parent CHECK (parent_sku IS DISTINCT FROM sku),
  ADD CONSTRAINT product_parent FOREIGN KEY (merchant_id, parent_sku) REFERENCES product (merchant_id, sku);

CREATE INDEX product_variants ON product (merchant_id, parent_sku) WHERE parent_sku IS NOT NULL;

-- Runs after each statement's rows are written (an import writes all its products in one
-- statement), only for rows that are variants: a product that is not a variant needs no check.
CREATE FUNCTION product_variant_one_level() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  current_parent TEXT;
BEGIN
  SELECT parent_sku INTO current_parent FROM product WHERE merchant_id = NEW.merchant_id AND sku = NEW.sku;
  IF current_parent IS NULL THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM product WHERE merchant_id = NEW.merchant_id AND sku = current_parent AND parent_sku IS NOT NULL) THEN
    RAISE EXCEPTION 'product %: its parent % is itself a variant', NEW.sku, current_parent
      USING ERRCODE = 'check_violation', CONSTRAINT = 'product_variant_one_level';
  END IF;
  IF EXISTS (SELECT 1 FROM product WHERE merchant_id = NEW.merchant_id AND parent_sku = NEW.sku) THEN
    RAISE EXCEPTION 'product % has variants, so it cannot be a variant', NEW.sku
      USING ERRCODE = 'check_violation', CONSTRAINT = 'product_variant_one_level';
  END IF;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER product_variant_one_level AFTER INSERT OR UPDATE OF parent_sku ON product
  FOR EACH ROW WHEN (NEW.parent_sku IS NOT NULL) EXECUTE FUNCTION product_variant_one_level();

-- The catalogue CSV import's optional parent_sku, option_zh and option_en columns. A file without
-- them keeps every product's parent and option label (variant_columns false).
ALTER TABLE catalogue_import ADD COLUMN variant_columns BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE catalogue_import_row
  ADD COLUMN parent_sku TEXT,
  ADD COLUMN option_zh  TEXT NOT NULL DEFAULT '',
  ADD COLUMN option_en  TEXT NOT NULL DEFAULT '';
