-- A register that leaves a shared stocktake (issue 14) says so through its outbox (`count.leave`,
-- after all its entries): when, who, and what became of its entries. `kept`: they stay counted;
-- `withdrawn`: none of them count (it asked while the count was open); `too-late`: it asked to
-- withdraw them after the post, so they stayed counted. Decided under the session's row lock, once.
ALTER TABLE count_participant ADD COLUMN left_at TIMESTAMPTZ;
ALTER TABLE count_participant ADD COLUMN left_by_staff TEXT;
ALTER TABLE count_participant ADD COLUMN left_scans TEXT CHECK (left_scans IN ('kept', 'withdrawn', 'too-late'));
ALTER TABLE count_participant ADD CONSTRAINT count_participant_left CHECK ((left_at IS NULL) = (left_scans IS NULL));
