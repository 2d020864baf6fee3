-- What each online shop order earned and gave back (issue 13), one row per call of
-- POST /v1/shop/members/earn (its idem_key, the ledger entry's when points moved):
--   eligible_cents  as the shop sent it: positive an order (or part of one) earning, negative a return
--   points          what the cloud gave (positive) or took back (negative); 0: nothing written
-- A return takes back, in proportion to the cents returned, the points the order itself earned (its
-- own rows), whatever the rules or the member's tier are now, and never more in total; the member's
-- history lists the orders and returns from here with the cents the shop declared.
CREATE TABLE shop_order_points (
  merchant_id     BIGINT NOT NULL REFERENCES merchant (id),
  idem_key        TEXT NOT NULL,
  order_no        TEXT NOT NULL CHECK (length(order_no) BETWEEN 1 AND 40),
  member_id       BIGINT NOT NULL REFERENCES member (id),
  eligible_cents  BIGINT NOT NULL CHECK (eligible_cents <> 0),
  points          BIGINT NOT NULL CHECK (points = 0 OR sign(points) = sign(eligible_cents)),
  entry_id        BIGINT UNIQUE REFERENCES ledger_entry (id),
  created_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (merchant_id, idem_key),
  CHECK ((entry_id IS NULL) = (points = 0))
);
CREATE INDEX shop_order_points_order ON shop_order_points (merchant_id, order_no, member_id);
CREATE TRIGGER shop_order_points_immutable BEFORE UPDATE OR DELETE ON shop_order_points FOR EACH ROW EXECUTE FUNCTION refuse_change();
