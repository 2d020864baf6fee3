-- Partial pickup and exchange against a customer order (issue 15).
--
-- A line keeps how much has been handed over (collected) and how much was swapped out for another
-- item (released); what open orders reserve is what is left of their lines. The order keeps how
-- much of what was paid before pickups have used (applied_paid): the rest is the customer's
-- credit. Each pickup is one row, unique per receipt: a register's retry or its outbox replay of
-- a pickup the cloud already took is recognised, never applied twice.

ALTER TABLE customer_order_line ADD COLUMN collected_milli BIGINT NOT NULL DEFAULT 0 CHECK (collected_milli >= 0);
ALTER TABLE customer_order_line ADD COLUMN released_milli BIGINT NOT NULL DEFAULT 0 CHECK (released_milli >= 0);
ALTER TABLE customer_order_line ADD CONSTRAINT customer_order_line_settled CHECK (collected_milli + released_milli <= quantity_milli);
ALTER TABLE customer_order ADD COLUMN applied_paid BIGINT NOT NULL DEFAULT 0 CHECK (applied_paid >= 0);
ALTER TABLE customer_order ADD CONSTRAINT customer_order_applied CHECK (applied_paid <= paid);

CREATE TABLE customer_order_pickup (
  id           BIGSERIAL PRIMARY KEY,
  order_id     BIGINT NOT NULL REFERENCES customer_order (id),
  receipt_no   TEXT NOT NULL,
  register_id  UUID NOT NULL REFERENCES register (id),
  by_name      TEXT NOT NULL,
  -- sha256 of the pickup as parsed (canonical JSON): a replay with other content is refused.
  request_hash BYTEA NOT NULL,
  collect      JSONB NOT NULL,
  release      JSONB NOT NULL,
  applied      BIGINT NOT NULL CHECK (applied >= 0),
  final        BOOLEAN NOT NULL,
  at           TIMESTAMPTZ NOT NULL,
  UNIQUE (order_id, receipt_no)
);
CREATE TRIGGER customer_order_pickup_immutable BEFORE UPDATE OR DELETE ON customer_order_pickup FOR EACH ROW EXECUTE FUNCTION refuse_change();
