-- Gift cards and vouchers (issue 13): sold as a line (the sale activates the card), spent as a
-- tender, bounded offline exactly like store credit. Only the hash of a card's code is ever
-- stored (src/shared/gift-card.ts).

-- The pulled cards: status and balance as the cloud's ledger settled them (cents).
CREATE TABLE cloud_gift_card (
  hash    TEXT PRIMARY KEY CHECK (hash GLOB 'gc1:*'),
  last4   TEXT NOT NULL CHECK (length(last4) = 4),
  status  TEXT NOT NULL CHECK (status IN ('issued', 'active', 'void')),
  balance INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The method a card pays with. Its kind column says 'reference' (payment_method's CHECK predates
-- it, like the member tenders of 0017); the register reads it as 'stored-value' by its code.
INSERT INTO payment_method (code, name_zh, name_en, kind, sort, active) VALUES
  ('gift-card', '禮品卡', 'Gift card', 'reference', 10, 1)
ON CONFLICT (code) DO NOTHING;

-- The card a gift card line of the open cart sells (scanned or typed at the till): one card per line.
CREATE TABLE cart_gift_card (
  cart_line_id INTEGER PRIMARY KEY REFERENCES cart_line (id) ON DELETE CASCADE,
  hash         TEXT NOT NULL,
  last4        TEXT NOT NULL
) STRICT;
CREATE INDEX cart_gift_card_hash ON cart_gift_card (hash);

-- Cards a document sold (activated: +value) or took back (a return of the selling line: the card
-- is void here at once, and at the cloud when the document lands). Written in the sale's transaction.
CREATE TABLE gift_card_line (
  receipt_no    TEXT NOT NULL,
  position      INTEGER NOT NULL,
  hash          TEXT NOT NULL,
  last4         TEXT NOT NULL,
  action        TEXT NOT NULL CHECK (action IN ('activate', 'void')),
  value         INTEGER NOT NULL CHECK (value > 0),
  balance_after INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (receipt_no, position)
) STRICT;
CREATE INDEX gift_card_line_hash ON gift_card_line (hash);

-- stored_value_movement also carries gift card tenders: the card's hash instead of a member. A
-- table's CHECK cannot be altered in SQLite, so it is rebuilt (nothing references it).
CREATE TABLE stored_value_movement_next (
  id            INTEGER PRIMARY KEY,
  receipt_no    TEXT NOT NULL,
  position      INTEGER NOT NULL,
  member_code   TEXT,
  card_hash     TEXT,
  card_last4    TEXT,
  kind          TEXT NOT NULL CHECK (kind IN ('points', 'credit', 'gift')),
  units         INTEGER NOT NULL CHECK (units <> 0),
  value         INTEGER NOT NULL,
  idem_key      TEXT NOT NULL UNIQUE,
  decided_by    TEXT NOT NULL CHECK (decided_by IN ('cloud', 'register')),
  balance_after INTEGER NOT NULL,
  store_day     TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (receipt_no, position),
  CHECK (CASE WHEN kind = 'gift' THEN card_hash IS NOT NULL AND card_last4 IS NOT NULL ELSE member_code IS NOT NULL END)
) STRICT;
INSERT INTO stored_value_movement_next (id, receipt_no, position, member_code, kind, units, value, idem_key, decided_by, balance_after, store_day, created_at)
  SELECT id, receipt_no, position, member_code, kind, units, value, idem_key, decided_by, balance_after, store_day, created_at FROM stored_value_movement;
DROP TABLE stored_value_movement;
ALTER TABLE stored_value_movement_next RENAME TO stored_value_movement;
CREATE INDEX stored_value_movement_member ON stored_value_movement (member_code, kind);
CREATE INDEX stored_value_movement_card ON stored_value_movement (card_hash) WHERE card_hash IS NOT NULL;
