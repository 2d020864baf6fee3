-- A register's claim undone (issue 15; cloud/domain/order-claims.ts): a pickup taken for a sale that
-- was never written (the cart voided, its number taken by another sale) is marked released, never
-- deleted: it no longer counts, and the same receipt number may take a pickup of the order again.
ALTER TABLE customer_order_pickup ADD COLUMN released_at TIMESTAMPTZ;
ALTER TABLE customer_order_pickup DROP CONSTRAINT customer_order_pickup_order_id_receipt_no_key;
CREATE UNIQUE INDEX customer_order_pickup_taken ON customer_order_pickup (order_id, receipt_no) WHERE released_at IS NULL;

-- Still append-only, but for that one mark, set once.
DROP TRIGGER customer_order_pickup_immutable ON customer_order_pickup;
CREATE FUNCTION customer_order_pickup_release_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.released_at IS NULL AND NEW.released_at IS NOT NULL
     AND to_jsonb(OLD) - 'released_at' = to_jsonb(NEW) - 'released_at' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only (a pickup is only marked released)', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER customer_order_pickup_immutable BEFORE UPDATE OR DELETE ON customer_order_pickup
  FOR EACH ROW EXECUTE FUNCTION customer_order_pickup_release_only();
