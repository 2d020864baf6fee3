-- Sync with the cloud (issue 5): the enrolment, the push and pull cursors, what the cloud says
-- about this register, and the pulled data the catalogue tables have no column for. The outbox
-- itself (0004) is unchanged: the worker marks rows acked_at.

-- One row while the register is enrolled; none before enrolment or after "forget".
-- The token is NOT here (a copied register.db must not carry it): see src/main/sync/token-vault.ts.
CREATE TABLE sync_enrolment (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  cloud_url      TEXT NOT NULL,
  register_id    TEXT NOT NULL,
  register_code  TEXT NOT NULL,
  store_code     TEXT NOT NULL,
  merchant_name  TEXT NOT NULL,
  -- The cloud numbers this register's mutations from 1; outbox seq = cloud seq + seq_offset, so
  -- the rows committed under an earlier enrolment are never sent to the new one.
  seq_offset     INTEGER NOT NULL CHECK (seq_offset >= 0),
  enrolled_at    INTEGER NOT NULL,
  -- The change-log version applied so far (GET /v1/changes?since=).
  changes_cursor INTEGER NOT NULL DEFAULT 0 CHECK (changes_cursor >= 0)
) STRICT;

-- What the worker last learned; one row, kept across enrolments (cleared by a new enrolment).
CREATE TABLE sync_health (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  -- 1 when the last request reached the cloud and got an answer, 0 when it did not.
  reachable           INTEGER NOT NULL DEFAULT 0 CHECK (reachable IN (0, 1)),
  last_sync_at        INTEGER,          -- the last push or pull that completed
  last_attempt_at     INTEGER,
  -- NULL, or why a person must act: token-revoked | token-invalid | update-required
  attention           TEXT,
  attention_detail    TEXT,
  clock_skew_ms       INTEGER,          -- server time − register time at the last answer
  last_error          TEXT,
  duplicates_absorbed INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO sync_health (id) VALUES (1);

-- Outbox rows the cloud put in quarantine (they were acked: the queue went on). Cleared by a
-- manager once head office has dealt with them.
CREATE TABLE sync_quarantine (
  seq             INTEGER PRIMARY KEY REFERENCES outbox (seq),
  reported_at     INTEGER NOT NULL,
  acknowledged_at INTEGER
) STRICT;

-- Prices head office scheduled for later: applied to product.price when their time comes.
CREATE TABLE scheduled_price (
  sku        TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  price      INTEGER NOT NULL CHECK (price >= 0),
  PRIMARY KEY (sku, valid_from)
) STRICT, WITHOUT ROWID;

-- The cloud's on-hand for this register's store, as of the last pull. The register's own
-- unsynced documents are added to it to show local on-hand (src/main/sync/stock-view.ts).
CREATE TABLE cloud_stock (
  sku           TEXT PRIMARY KEY,
  on_hand_milli INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Members as head office keeps them, for whatever reads members on the register.
CREATE TABLE cloud_member (
  id     INTEGER PRIMARY KEY,         -- the cloud's id
  code   TEXT NOT NULL UNIQUE,
  name   TEXT NOT NULL,
  phone  TEXT NOT NULL DEFAULT '',
  tier   TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

-- The worker reads the unacked head of the queue on every push.
CREATE INDEX outbox_unacked ON outbox (seq) WHERE acked_at IS NULL;
