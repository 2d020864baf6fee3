-- Transfers other stores sent this one (issue 14), as the cloud's change feed says: in transit
-- until a transfer-in document here (or at another register of the store) posts what arrived.
CREATE TABLE inbound_transfer (
  doc_id          TEXT PRIMARY KEY,                -- the sending document's UUID
  doc_no          TEXT NOT NULL,
  from_store_code TEXT NOT NULL,
  sent_at         INTEGER NOT NULL,
  complete        INTEGER NOT NULL CHECK (complete IN (0, 1)),  -- every part of it reached the cloud
  received        INTEGER NOT NULL DEFAULT 0 CHECK (received IN (0, 1)),
  lines           TEXT NOT NULL CHECK (json_valid(lines))       -- [{ sku, quantityMilli }] as sent
) STRICT;
