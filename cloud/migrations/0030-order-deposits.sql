-- What each register document took from a customer order's prepayment (已付訂金, payment method
-- `deposit`), and what each hand-over slip used of it: one row per document, keyed by the register
-- and receipt that took it, so a replay of the same document books nothing twice. The deposits
-- booked against an order never add up to more than the order was prepaid (`paid`): the cloud
-- decides each on the order's row lock (cloud/domain/order-deposits.ts).

CREATE TABLE order_deposit (
  merchant_id BIGINT NOT NULL,
  register_id UUID NOT NULL,
  receipt_no  TEXT NOT NULL,
  order_id    BIGINT NOT NULL REFERENCES customer_order (id),
  amount      BIGINT NOT NULL CHECK (amount > 0),
  at          TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (merchant_id, register_id, receipt_no)
);
CREATE INDEX order_deposit_order ON order_deposit (order_id);
CREATE TRIGGER order_deposit_immutable BEFORE UPDATE OR DELETE ON order_deposit FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- What was taken before this migration: register sales that paid with `deposit` and name an order
-- of their merchant, and hand-over slips (`{store}-{register}-P{seq}`) that used a prepayment.
-- Only the few deposit payments are read (no index on method: one pass over sale_payment), then
-- their sales' documents.
INSERT INTO order_deposit (merchant_id, register_id, receipt_no, order_id, amount, at)
SELECT s.merchant_id, s.register_id, s.receipt_no, o.id, d.amount, s.received_at
FROM (SELECT sale_id, sum(amount) AS amount FROM sale_payment WHERE method = 'deposit' GROUP BY sale_id) d
JOIN sale s ON s.id = d.sale_id
JOIN customer_order o ON o.merchant_id = s.merchant_id AND o.order_no = s.document -> 'order' ->> 'orderNo'
WHERE s.channel = 'register' AND d.amount > 0
ON CONFLICT DO NOTHING;

INSERT INTO order_deposit (merchant_id, register_id, receipt_no, order_id, amount, at)
SELECT o.merchant_id, p.register_id, p.receipt_no, p.order_id, p.applied, p.at
FROM customer_order_pickup p JOIN customer_order o ON o.id = p.order_id
WHERE p.receipt_no ~ '-P[0-9]+$' AND p.applied > 0
ON CONFLICT DO NOTHING;

-- A prepaid order handed over whole (no pickups) took what was left of its prepayment.
INSERT INTO order_deposit (merchant_id, register_id, receipt_no, order_id, amount, at)
SELECT o.merchant_id, o.final_register_id, o.final_receipt_no, o.id,
  o.paid - coalesce((SELECT sum(d.amount) FROM order_deposit d WHERE d.order_id = o.id), 0), coalesce(o.final_at, o.updated_at)
FROM customer_order o
WHERE o.status = 'collected' AND o.paid = o.total AND o.final_register_id IS NOT NULL AND o.final_receipt_no IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM customer_order_pickup p WHERE p.order_id = o.id)
  AND o.paid > coalesce((SELECT sum(d.amount) FROM order_deposit d WHERE d.order_id = o.id), 0)
ON CONFLICT DO NOTHING;
