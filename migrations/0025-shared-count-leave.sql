-- A register leaving a shared count (issue 14) tells the cloud through its outbox (`count.leave`,
-- after all its scans) and chooses what becomes of its scans: `kept` (they stay counted) or
-- `withdrawn` (taken out of the count while it is open). NULL: it did not leave.
ALTER TABLE stock_document ADD COLUMN shared_left TEXT CHECK (shared_left IS NULL OR shared_left IN ('kept', 'withdrawn'));
-- The registers counting into it as the cloud last said (JSON, CountParticipant[] of
-- src/shared/stock-schemas.ts): kept at each pull and refresh, so every register shows who left.
ALTER TABLE stock_document ADD COLUMN shared_participants TEXT;
-- A count left before this version (closed here, neither posted nor cancelled in the cloud) kept its scans.
UPDATE stock_document SET shared_left = 'kept'
 WHERE shared_role IS NOT NULL AND status = 'cancelled' AND shared_posted_by IS NULL;
