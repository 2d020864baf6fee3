-- A claim a cart made in the cloud for the order it collects (issue 15; src/main/orders/order-claims.ts).
-- Before a sale that pays an order commits, the cloud is asked to collect it (or take the cart's
-- pickup) on the receipt number the sale will take. Should that sale never be written (the cart is
-- voided, or another sale takes the number), the claim is released: an `order.claim-released` outbox
-- row, and this register's copy of the order as it was before the claim.
-- cart.order_claim: JSON { orderNo, receiptNo, before } while the claim stands.
ALTER TABLE cart ADD COLUMN order_claim TEXT CHECK (order_claim IS NULL OR json_valid(order_claim));
-- customer_order.released_claim: the receipt number of a claim released here that the cloud may
-- still list (until its release is pulled back): a pull showing the order claimed on it is not taken.
ALTER TABLE customer_order ADD COLUMN released_claim TEXT;
-- Every sale looks for claims other carts made on its number: by this index, never the whole table.
CREATE INDEX cart_order_claim ON cart (id) WHERE order_claim IS NOT NULL;
