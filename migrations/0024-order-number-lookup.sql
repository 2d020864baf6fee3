-- The till finds an order by its number as typed or scanned, in any case (order-repo.ts findOrder:
-- `order_no = ? COLLATE NOCASE`). The primary key is BINARY, so that lookup read every order the
-- register holds: once per scan, move and pulled order, slower with every order the store took.
CREATE INDEX IF NOT EXISTS customer_order_no_nocase ON customer_order (order_no COLLATE NOCASE);
