-- Online redemptions a register asked for (issue 13): the cloud took points, store credit or a gift
-- card under the account's lock before the sale was written. One row per register key
-- (`register:<id>:<key>`, the redeem entry's idem_key), locked by the redemption, the document that
-- settles it and the release that gives it back, so the three take turns:
--   entry_id           the redeem entry (NULL: a release came first and closed the key: nothing taken)
--   settled_*          the register's document carrying the key (its movement is that entry)
--   released_*         the register released it (no sale carries it): a `release` entry gave it back
-- A row with an entry and neither is open; past a bound it is listed as a `redemption_open` exception.
CREATE TABLE online_redemption (
  merchant_id      BIGINT NOT NULL REFERENCES merchant (id),
  idem_key         TEXT NOT NULL CHECK (length(idem_key) BETWEEN 1 AND 200),
  source           TEXT NOT NULL,
  entry_id         BIGINT UNIQUE REFERENCES ledger_entry (id),
  created_at       TIMESTAMPTZ NOT NULL,
  settled_document TEXT,
  settled_at       TIMESTAMPTZ,
  release_entry_id BIGINT UNIQUE REFERENCES ledger_entry (id),
  released_at      TIMESTAMPTZ,
  release_reason   TEXT,
  PRIMARY KEY (merchant_id, idem_key),
  CHECK ((settled_document IS NULL) = (settled_at IS NULL)),
  CHECK (settled_at IS NULL OR released_at IS NULL),
  CHECK (release_entry_id IS NULL OR released_at IS NOT NULL)
);
CREATE INDEX online_redemption_open ON online_redemption (merchant_id, created_at)
  WHERE entry_id IS NOT NULL AND settled_at IS NULL AND released_at IS NULL;

-- release: what an online redemption took, given back because no sale carries it.
DO $$
DECLARE
  def TEXT;
  name TEXT;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint WHERE conrelid = 'ledger_entry'::regclass AND conname = 'ledger_entry_reason_check';
  EXECUTE 'ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_reason_check';
  EXECUTE 'ALTER TABLE ledger_entry ADD CONSTRAINT ledger_entry_reason_check ' || replace(def, 'ARRAY[', 'ARRAY[''release''::text, ');
  -- redemption_open: an online redemption with neither a sale nor a release past the bound (its entry named)
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint WHERE conrelid = 'ledger_exception'::regclass AND conname = 'ledger_exception_kind_check';
  EXECUTE 'ALTER TABLE ledger_exception DROP CONSTRAINT ledger_exception_kind_check';
  EXECUTE 'ALTER TABLE ledger_exception ADD CONSTRAINT ledger_exception_kind_check ' || replace(def, 'ARRAY[', 'ARRAY[''redemption_open''::text, ');
  SELECT conname INTO name FROM pg_constraint
    WHERE conrelid = 'ledger_exception'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%overdraft%entry_id IS NOT NULL%';
  EXECUTE format('ALTER TABLE ledger_exception DROP CONSTRAINT %I', name);
END $$;
ALTER TABLE ledger_exception ADD CONSTRAINT ledger_exception_entry_when
  CHECK ((kind IN ('overdraft', 'redemption_open')) = (entry_id IS NOT NULL));
