-- A register's push answer names why each document it sent was quarantined, a replay's too (the
-- reason it was first given: cloud/domain/mutations.ts): found by register and seq, not by a scan.
CREATE INDEX quarantine_register_seq ON quarantine (register_id, seq);
