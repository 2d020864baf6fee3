-- Claim ids (issue 15; cloud/domain/order-claims.ts): a register names the claim its cart made when
-- it asks the cloud to collect an order (or take a pickup of it) before a sale, and names it again
-- in the claim's release. The standing claim keeps its id (a collection: in its event's detail,
-- `claimId`; a pickup: here), so a release undoes that claim only, never a later one on the same
-- order and number; and every id released is kept, so the claim's own request arriving after its
-- release (late on the network, or retried by an HTTP layer) is refused instead of standing.
ALTER TABLE customer_order_pickup ADD COLUMN claim_id TEXT;

CREATE TABLE order_claim_released (
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  register_id UUID NOT NULL REFERENCES register (id),
  claim_id    TEXT NOT NULL,
  order_id    BIGINT NOT NULL REFERENCES customer_order (id),
  receipt_no  TEXT NOT NULL,
  released_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (merchant_id, register_id, claim_id)
);
