-- Chain-scale ingest (issue 18). A sale writes ~10 lines, 2 payments and ~10 stock movements, and
-- each row's foreign key was checked one row at a time: a query per row that also takes a FOR KEY
-- SHARE lock on the parent. Every batch of every register locks the same hot product and store
-- rows, so PostgreSQL builds multixacts and dirties those rows' pages: a third of its CPU per sale.
-- The references are now checked once per statement, on the distinct keys it inserted, without
-- locks. Locks are not needed: the parents are never deleted (sales are append-only; products and
-- stores refuse DELETE below) and their keys never change.

ALTER TABLE sale_line DROP CONSTRAINT sale_line_sale_id_fkey;
ALTER TABLE sale_payment DROP CONSTRAINT sale_payment_sale_id_fkey;
ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_store_id_fkey;
ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_merchant_id_sku_fkey;

-- `(SELECT 1 …) IS NULL` is a subplan per distinct key: an index probe each, whatever the size of
-- the parent table (a NOT EXISTS may become an anti-join that scans a million products).
CREATE FUNCTION check_sale_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT sale_id FROM new_rows) n WHERE (SELECT 1 FROM sale s WHERE s.id = n.sale_id) IS NULL) THEN
    RAISE EXCEPTION '% rows must belong to a sale', TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER sale_line_of_sale AFTER INSERT ON sale_line REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION check_sale_children();
CREATE TRIGGER sale_payment_of_sale AFTER INSERT ON sale_payment REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION check_sale_children();

CREATE FUNCTION check_stock_movement_refs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT merchant_id, sku FROM new_rows) n
             WHERE (SELECT 1 FROM product p WHERE p.merchant_id = n.merchant_id AND p.sku = n.sku) IS NULL) THEN
    RAISE EXCEPTION 'A stock movement names a product the catalogue does not have' USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT store_id FROM new_rows) n WHERE (SELECT 1 FROM store s WHERE s.id = n.store_id) IS NULL) THEN
    RAISE EXCEPTION 'A stock movement names a store that does not exist' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER stock_movement_refs AFTER INSERT ON stock_movement REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION check_stock_movement_refs();

-- What the foreign keys also promised: a product or a store that sales and movements name stays.
CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never deleted: sales and stock movements name them', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER product_kept BEFORE DELETE ON product FOR EACH ROW EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER store_kept BEFORE DELETE ON store FOR EACH ROW EXECUTE FUNCTION refuse_delete();

-- A sale's document (~3 KB as jsonb for ten lines) was compressed with pglz on every insert, the
-- most expensive step of writing the row. Stored out of line uncompressed instead: about twice the
-- disk for documents, ~10 % less PostgreSQL CPU per sale. Rows already written keep their form.
ALTER TABLE sale ALTER COLUMN document SET STORAGE EXTERNAL;
