-- Why the cloud put each document aside (issue 18: whatever cannot be applied stays visible, with
-- its reason): the QuarantineReason of the push answer (src/shared/quarantine-reasons.ts), listed
-- in the back office's 雲端同步. NULL for rows reported before this version or by an older cloud.
ALTER TABLE sync_quarantine ADD COLUMN reason TEXT;
