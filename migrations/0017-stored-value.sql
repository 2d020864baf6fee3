-- Stored value as tenders (issue 13): a member's points and store credit pay part of a sale, and a
-- return pays them back to the same account.

-- The two methods. Their kind column says 'reference' because payment_method's CHECK predates
-- them (a parent table cannot be rebuilt under the payment rows' foreign keys); the register reads
-- them as kind 'stored-value' by their codes (src/shared/stored-value.ts storedValueKindOf).
INSERT INTO payment_method (code, name_zh, name_en, kind, sort, active) VALUES
  ('member-points', '積分', 'Points', 'reference', 8, 1),
  ('member-credit', '儲值額', 'Store credit', 'reference', 9, 1)
ON CONFLICT (code) DO NOTHING;

-- A random key per cart, made the first time the cart pays with stored value: the ledger's
-- idempotency key for its movements (with the kind and the units), so a completion retried after
-- a lost answer asks the cloud for the same movement, and a restored database never reuses one.
ALTER TABLE cart ADD COLUMN stored_value_key TEXT;

-- Every stored-value movement a document made, written in the sale's transaction: spent (units
-- < 0) or paid back by a return (units > 0). `decided_by` cloud: the cloud took it online under the
-- account's lock (its balance is in cloud_member already); register: this register's offline bound
-- (or a refund) decided it, and it counts against the pulled balance until the cloud acknowledges
-- the document. `store_day` (the store's date) counts the offline limit per account per day.
CREATE TABLE stored_value_movement (
  id            INTEGER PRIMARY KEY,
  receipt_no    TEXT NOT NULL,
  position      INTEGER NOT NULL,
  member_code   TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('points', 'credit')),
  units         INTEGER NOT NULL CHECK (units <> 0),
  value         INTEGER NOT NULL,
  idem_key      TEXT NOT NULL UNIQUE,
  decided_by    TEXT NOT NULL CHECK (decided_by IN ('cloud', 'register')),
  balance_after INTEGER NOT NULL,
  store_day     TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (receipt_no, position)
) STRICT;
CREATE INDEX stored_value_movement_member ON stored_value_movement (member_code, kind);
