-- Gift cards and vouchers (issue 13): a card is an account of the same append-only ledger as a
-- member's points and store credit (ledger_account / ledger_entry), so its balance is a sum, every
-- movement carries its document's key, and an overspend made offline is an overdraft exception.

-- One card. Only the hash of its code is kept (src/shared/gift-card.ts giftCardHash): the code is
-- printed once, when the batch is issued. `issued`: printed, worth nothing until a till sells it
-- (the sale activates it) or head office issued it with a value; `void`: refused everywhere.
CREATE TABLE gift_card (
  id            BIGSERIAL PRIMARY KEY,
  merchant_id   BIGINT NOT NULL REFERENCES merchant (id),
  code_hash     TEXT NOT NULL CHECK (code_hash ~ '^gc1:[0-9a-f]{60}$'),
  last4         TEXT NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  status        TEXT NOT NULL CHECK (status IN ('issued', 'active', 'void')),
  batch         TEXT NOT NULL CHECK (length(batch) BETWEEN 1 AND 64),
  issued_at     TIMESTAMPTZ NOT NULL,
  -- the document that sold it (a till), or null for a card head office issued with a value
  sold_on       TEXT,
  activated_at  TIMESTAMPTZ,
  voided_at     TIMESTAMPTZ,
  void_reason   TEXT,
  voided_by     TEXT,
  updated_at    TIMESTAMPTZ NOT NULL,
  UNIQUE (merchant_id, code_hash),
  CHECK ((status = 'void') = (voided_at IS NOT NULL))
);
CREATE INDEX gift_card_merchant ON gift_card (merchant_id, id DESC);
CREATE INDEX gift_card_last4 ON gift_card (merchant_id, last4);

-- A ledger account is a member's (points, credit) or a card's (gift).
ALTER TABLE ledger_account ALTER COLUMN member_id DROP NOT NULL;
ALTER TABLE ledger_account ADD COLUMN gift_card_id BIGINT UNIQUE REFERENCES gift_card (id);
ALTER TABLE ledger_account DROP CONSTRAINT ledger_account_kind_check;
ALTER TABLE ledger_account ADD CONSTRAINT ledger_account_kind_check CHECK (kind IN ('points', 'credit', 'gift'));
ALTER TABLE ledger_account ADD CONSTRAINT ledger_account_owner_check
  CHECK (CASE WHEN kind = 'gift' THEN gift_card_id IS NOT NULL AND member_id IS NULL ELSE member_id IS NOT NULL AND gift_card_id IS NULL END);

-- issue: a card loaded (sold at a till, or issued with a value); void: its balance taken off when it is voided.
ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_reason_check;
ALTER TABLE ledger_entry ADD CONSTRAINT ledger_entry_reason_check
  CHECK (reason IN ('earn', 'reverse', 'redeem', 'refund', 'adjust', 'issue', 'void'));

-- gift_card: a card problem a person must look at that is not an overdraft (a card sold twice, a
-- pushed document naming a card this cloud does not know, a card used after it was voided).
ALTER TABLE ledger_exception DROP CONSTRAINT ledger_exception_kind_check;
ALTER TABLE ledger_exception ADD CONSTRAINT ledger_exception_kind_check CHECK (kind IN ('overdraft', 'unknown_member', 'gift_card'));
ALTER TABLE ledger_exception ADD COLUMN gift_card_id BIGINT REFERENCES gift_card (id);

-- Cards reach registers through the change feed (entity `gift_card`: hash, last 4, status, balance).
ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check
  CHECK (entity IN ('product', 'price', 'promotion', 'member', 'stock', 'transfer', 'store_price', 'staff', 'purchase_order', 'gift_card'));
