-- Sync without blind spots (issue 18).

-- Changes pulled from the cloud that this register could not apply (an entity or a shape this
-- version does not know, a row the database refused). Kept for retry at every pull and counted in
-- the sync status until they apply or a newer change to the same thing supersedes them.
CREATE TABLE sync_held_change (
  id         INTEGER PRIMARY KEY,
  version    INTEGER NOT NULL,            -- the change-log version (the snapshot's for a snapshot item)
  entity     TEXT NOT NULL,
  op         TEXT NOT NULL,
  change_key TEXT,                        -- src/shared/change-feed.ts feedChangeKey; NULL when unreadable
  data       TEXT NOT NULL CHECK (json_valid(data)),
  error      TEXT NOT NULL,
  held_at    INTEGER NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX sync_held_change_key ON sync_held_change (change_key, version);

-- Head office may keep a member without a phone: the cloud sends phone null.
CREATE TABLE cloud_member_new (
  id     INTEGER PRIMARY KEY,
  code   TEXT NOT NULL UNIQUE,
  name   TEXT NOT NULL,
  phone  TEXT,
  tier   TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
INSERT INTO cloud_member_new (id, code, name, phone, tier, active) SELECT id, code, name, nullif(phone, ''), tier, active FROM cloud_member;
DROP TABLE cloud_member;
ALTER TABLE cloud_member_new RENAME TO cloud_member;

-- Documents made before enrolment are renumbered into the enrolled register's series before the
-- first push (src/main/sync/renumber.ts); the number the customer holds stays findable here.
ALTER TABLE sale ADD COLUMN printed_receipt_no TEXT;
CREATE UNIQUE INDEX sale_printed_receipt_no ON sale (printed_receipt_no) WHERE printed_receipt_no IS NOT NULL;

-- The highest outbox seq the worker has put in a push request, whatever came back: rows up to it
-- may have reached an earlier enrolment, so they keep their number.
ALTER TABLE sync_health ADD COLUMN offered_through_seq INTEGER NOT NULL DEFAULT 0;
