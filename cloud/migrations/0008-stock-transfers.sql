-- Transfers between stores (issue 14): registers pull the transfers sent to their store as
-- `transfer` changes (in transit, then received), so the change log takes that entity too.
ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check
  CHECK (entity IN ('product', 'price', 'promotion', 'member', 'stock', 'transfer'));

-- One receipt per transfer: the receiving document names the transfer it receives.
CREATE UNIQUE INDEX stock_document_transfer_received ON stock_document (transfer_doc_id) WHERE kind = 'transfer-in';
