-- What each ledger exception is about, as facts (the case, the amounts and their unit, the balance
-- before and after, the original receipt, the member code, the gift card's case …) in the shape of
-- LedgerExceptionFacts (cloud/hq/contract.ts), so the console says it in the reader's language.
-- `detail` stays the English technical line the admin CLI and older tooling read. Rows written
-- before this migration have no facts (null): the console shows their detail as the cloud wrote it.
ALTER TABLE ledger_exception ADD COLUMN facts JSONB;
-- The same for what the cloud itself writes beside a movement (ledger_entry.note: the batch a card
-- was issued in, the return that took a card back, a sale that paid other than what was taken online,
-- a register's release) and on a card a return voided (gift_card.void_reason), in the shape of
-- LedgerNoteFacts. A note or void reason a person typed has none: the console shows it as typed.
ALTER TABLE ledger_entry ADD COLUMN note_facts JSONB;
ALTER TABLE gift_card ADD COLUMN void_facts JSONB;
