-- Online redemptions the register asked the cloud for (issue 13): points, store credit or a gift
-- card taken under the account's lock before the sale is written. The row is committed BEFORE the
-- request goes out, under the movement's key (random per cart, sent as the cloud's idempotency key),
-- so whatever happens to the answer the register knows it may owe the account:
--   asked     sent (or about to be); the cloud may have taken it
--   refused   the cloud said no (not enough, a card not active): nothing was taken
--   settled   the sale's document carries this key (in the sale's transaction): the cloud's redeem
--             entry is that document's movement
--   released  the sale will not carry it (the tender removed, the completion failed, the cart
--             voided): a `stored-value.released` outbox row written in the same transaction asks the
--             cloud to give it back (idempotent there by the key)
CREATE TABLE stored_value_redemption (
  id          INTEGER PRIMARY KEY,
  idem_key    TEXT NOT NULL UNIQUE,
  cart_id     INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('points', 'credit', 'gift')),
  member_code TEXT,
  card_hash   TEXT,
  value       INTEGER NOT NULL CHECK (value > 0),
  outcome     TEXT NOT NULL DEFAULT 'asked' CHECK (outcome IN ('asked', 'refused', 'settled', 'released')),
  receipt_no  TEXT,
  asked_at    INTEGER NOT NULL,
  closed_at   INTEGER,
  CHECK ((kind = 'gift') = (card_hash IS NOT NULL)),
  CHECK ((kind = 'gift') = (member_code IS NULL)),
  CHECK ((outcome = 'settled') = (receipt_no IS NOT NULL))
) STRICT;
CREATE INDEX stored_value_redemption_cart ON stored_value_redemption (cart_id) WHERE outcome = 'asked';
