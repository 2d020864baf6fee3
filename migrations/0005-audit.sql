-- The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained. Each row's
-- hash is an HMAC, keyed by a secret kept beside the database (secrets/audit-key), over the
-- previous row's hash and this row's content, so editing, deleting or inserting a row anywhere
-- breaks the chain from that row on, even for someone who can drop the triggers.

CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,            -- ms since the epoch
  kind        TEXT NOT NULL,
  staff_id    INTEGER,                     -- who did it (NULL: the system, or nobody logged in)
  approver_id INTEGER,                     -- the manager whose PIN allowed it, if any
  subject     TEXT,                        -- what it was about: a receipt number, a staff id …
  detail      TEXT NOT NULL CHECK (json_valid(detail)),
  hash        TEXT NOT NULL
) STRICT;

CREATE INDEX audit_log_staff ON audit_log (staff_id, at);
CREATE INDEX audit_log_kind ON audit_log (kind, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
