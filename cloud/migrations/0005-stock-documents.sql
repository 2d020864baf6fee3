-- Stock documents from registers (issue 14): goods received, stocktakes, transfers, adjustments.
-- The cloud keeps each document's lines as it applied them, with what it computed itself (a count's
-- expected on-hand at each line's count time and the movement that follows); registers send
-- counted quantities, never variances.

-- When a movement happened, where that is not when the cloud took it (a count line's scan time, a
-- document's posting time). Sales use their sale's completed_at; older rows their created_at.
ALTER TABLE stock_movement ADD COLUMN occurred_at TIMESTAMPTZ;

CREATE TABLE stock_document (
  doc_id          UUID PRIMARY KEY,
  merchant_id     BIGINT NOT NULL REFERENCES merchant (id),
  store_id        BIGINT NOT NULL REFERENCES store (id),
  register_id     UUID REFERENCES register (id),
  kind            TEXT NOT NULL CHECK (kind IN ('receive', 'adjust', 'count', 'transfer-out', 'transfer-in')),
  doc_no          TEXT NOT NULL,
  parts           INTEGER NOT NULL CHECK (parts >= 1),
  staff_name      TEXT NOT NULL DEFAULT '',
  reason_code     TEXT,
  note            TEXT NOT NULL DEFAULT '',
  supplier_ref    TEXT NOT NULL DEFAULT '',
  to_store_id     BIGINT REFERENCES store (id),
  transfer_doc_id UUID,
  posted_at       TIMESTAMPTZ NOT NULL,
  received_at     TIMESTAMPTZ NOT NULL
);

CREATE INDEX stock_document_store ON stock_document (store_id, posted_at);

CREATE TABLE stock_document_line (
  doc_id         UUID NOT NULL REFERENCES stock_document (doc_id),
  line           INTEGER NOT NULL CHECK (line >= 1),
  sku            TEXT NOT NULL,
  quantity_milli BIGINT NOT NULL,
  expected_milli BIGINT,
  movement_milli BIGINT NOT NULL,
  counted_at     TIMESTAMPTZ,
  cost_cents     BIGINT,
  PRIMARY KEY (doc_id, line)
);

CREATE TRIGGER stock_document_line_immutable BEFORE UPDATE OR DELETE ON stock_document_line FOR EACH ROW EXECUTE FUNCTION refuse_change();
