-- A return by receipt whose original sale this cloud does not have yet (sold on another register
-- that has not pushed) cannot take its returned lines' points back from the original's member: the
-- cloud does not know who that is. The reversal waits here, with what it needs to be applied later
-- exactly as it would have been (cloud/domain/pending-return-points.ts), until the original arrives
-- in any push of the merchant; it is then applied in that push's transaction and kept, marked
-- applied with the points it took, for audit. Until then head office sees it listed.
CREATE TABLE pending_return_points (
  id                  BIGSERIAL PRIMARY KEY,
  merchant_id         BIGINT NOT NULL REFERENCES merchant (id),
  return_receipt_no   TEXT NOT NULL,
  original_receipt_no TEXT NOT NULL,
  -- the returned lines as the cloud knew them: [{ "sku", "net" (cents, < 0), "categoryCode" }]
  lines               JSONB NOT NULL,
  -- when the return was made (its completion time, never later than when the cloud took it)
  returned_at         TIMESTAMPTZ NOT NULL,
  register_id         UUID NOT NULL REFERENCES register (id),
  created_at          TIMESTAMPTZ NOT NULL,
  applied_at          TIMESTAMPTZ,
  points_taken        BIGINT CHECK (points_taken >= 0),
  CHECK ((applied_at IS NULL) = (points_taken IS NULL)),
  UNIQUE (merchant_id, return_receipt_no)
);
-- a push probes its receipt numbers against the reversals still waiting: one index probe each
CREATE INDEX pending_return_points_waiting ON pending_return_points (merchant_id, original_receipt_no) WHERE applied_at IS NULL;
