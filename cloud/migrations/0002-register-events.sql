-- Register events that are not sales documents nor stock (shift opened/closed, cash paid in or
-- out, the day closed, a cart voided…): kept whole, per register and seq, for head office's
-- reports. Which kinds are accepted is listed in cloud/domain/register-events.ts.
CREATE TABLE register_event (
  register_id UUID NOT NULL REFERENCES register (id),
  seq         BIGINT NOT NULL CHECK (seq >= 1),
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  store_id    BIGINT NOT NULL REFERENCES store (id),
  kind        TEXT NOT NULL,
  ref         TEXT NOT NULL,
  payload     JSONB NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (register_id, seq)
);

CREATE INDEX register_event_kind ON register_event (merchant_id, kind, received_at);
