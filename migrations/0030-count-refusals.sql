-- A shared count the cloud refused (src/main/stock/count-refusals.ts): its post answered 409
-- COUNT_ID_TAKEN, or the cloud no longer has the count (404: COUNT_NOT_IN_CLOUD). Kept on the count
-- as JSON { code, at, detail, dismissedAt, dismissedBy } so the status bar shows it until the count is
-- closed here or a manager dismisses it.
ALTER TABLE stock_document ADD COLUMN cloud_refusal TEXT CHECK (cloud_refusal IS NULL OR json_valid(cloud_refusal));
-- The status bar reads the refused ones after every sale: by this index, never the whole table.
CREATE INDEX stock_document_cloud_refusal ON stock_document (id) WHERE cloud_refusal IS NOT NULL;
