-- What each ledger exception is about, as facts (the case, the amounts and their unit, the balance
-- before and after, the original receipt, the member code, the gift card's case …) in the shape of
-- LedgerExceptionFacts (cloud/hq/contract.ts), so the console says it in the reader's language.
-- `detail` stays the English technical line the admin CLI and older tooling read. Rows written
-- before this migration have no facts (null): the console shows their detail as the cloud wrote it.
ALTER TABLE ledger_exception ADD COLUMN facts JSONB;
