-- A stocktake several registers of one store count into (issue 14): the session, opened by one
-- register, and every participant's scans as append-only entries named by (register, entry_seq).
-- Posting is decided once, here, under the session's row lock; it writes the count as a
-- stock_document (doc_id = session_id) with the movements the cloud computed from the union.

CREATE TABLE count_session (
  session_id        UUID PRIMARY KEY,
  merchant_id       BIGINT NOT NULL REFERENCES merchant (id),
  store_id          BIGINT NOT NULL REFERENCES store (id),
  doc_no            TEXT NOT NULL CHECK (length(doc_no) BETWEEN 1 AND 40),
  scope             JSONB NOT NULL,
  blind             BOOLEAN NOT NULL,
  opened_by_register UUID NOT NULL REFERENCES register (id),
  opened_by_staff   TEXT NOT NULL DEFAULT '',
  opened_at         TIMESTAMPTZ NOT NULL,
  status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'posted', 'cancelled')),
  posted_at         TIMESTAMPTZ,
  posted_by_register UUID REFERENCES register (id),
  posted_by_staff   TEXT,
  CHECK ((status = 'posted') = (posted_at IS NOT NULL))
);

CREATE INDEX count_session_open ON count_session (store_id, opened_at) WHERE status = 'open';

-- A register counting into a session (the opener, and every register that joined).
CREATE TABLE count_participant (
  session_id  UUID NOT NULL REFERENCES count_session (session_id),
  register_id UUID NOT NULL REFERENCES register (id),
  joined_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (session_id, register_id)
);

-- One scan (or correction) of one register. `refused_at`: it arrived after the post, is not
-- counted, and its register shows it as such. Never updated or deleted.
CREATE TABLE count_entry (
  session_id     UUID NOT NULL REFERENCES count_session (session_id),
  register_id    UUID NOT NULL REFERENCES register (id),
  entry_seq      BIGINT NOT NULL CHECK (entry_seq >= 1),
  sku            TEXT NOT NULL,
  quantity_milli BIGINT NOT NULL,
  scanned_at     TIMESTAMPTZ NOT NULL,
  staff_name     TEXT NOT NULL DEFAULT '',
  received_at    TIMESTAMPTZ NOT NULL,
  refused_at     TIMESTAMPTZ,
  PRIMARY KEY (session_id, register_id, entry_seq)
);

CREATE TRIGGER count_entry_immutable BEFORE UPDATE OR DELETE ON count_entry FOR EACH ROW EXECUTE FUNCTION refuse_change();
