-- A ledger exception head office has looked into (the console's 會員 › 未能入帳): who marked it
-- resolved (resolved_at, 0004, says when) and the note they left. It stays, listed as resolved.
ALTER TABLE ledger_exception ADD COLUMN resolved_by BIGINT REFERENCES hq_user (id);
ALTER TABLE ledger_exception ADD COLUMN resolution TEXT;
ALTER TABLE ledger_exception ADD CONSTRAINT ledger_exception_resolution_when CHECK (resolution IS NULL OR resolved_at IS NOT NULL);
