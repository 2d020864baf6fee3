-- A stocktake shared by the store's registers through the cloud (issue 14, src/shared/count-session.ts).
-- A shared count is a stock_document like any count (doc_id = the cloud's session id), opened here
-- or joined from another register's; its scans travel as count.entry outbox rows (the scan's id is
-- the entry's number), and the cloud, not this register, posts it and moves stock.
ALTER TABLE stock_document ADD COLUMN shared_role TEXT CHECK (shared_role IS NULL OR shared_role IN ('opener', 'joined'));
-- the register that opened it (its code), and, once the cloud posted it, who did (`MK01-01 Amy`)
ALTER TABLE stock_document ADD COLUMN shared_opened_by TEXT;
ALTER TABLE stock_document ADD COLUMN shared_posted_by TEXT;
-- a scan of a shared count the cloud refused (it arrived after the count was posted): not counted
ALTER TABLE stock_scan ADD COLUMN refused_at INTEGER;
