-- Members and stored value (issue 13): enrolment details and consent, and append-only ledgers for
-- points and store credit settled by the cloud.

-- The phone as the till types it (8 digits in Hong Kong), whatever head office stored
-- ('+852 9123 4567' and '91234567' are one number): the lookup and merge key.
ALTER TABLE member ADD COLUMN phone_key TEXT GENERATED ALWAYS AS (nullif(right(regexp_replace(coalesce(phone, ''), '\D', '', 'g'), 8), '')) STORED;
ALTER TABLE member ADD COLUMN email TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);
ALTER TABLE member ADD COLUMN birth_month SMALLINT CHECK (birth_month BETWEEN 1 AND 12);
-- Where the member was enrolled: 'admin', or 'register:<uuid>' for an enrolment at a till.
ALTER TABLE member ADD COLUMN enrolled_via TEXT NOT NULL DEFAULT 'admin';
CREATE INDEX member_phone_key ON member (merchant_id, phone_key) WHERE phone_key IS NOT NULL;

-- A code a register gave a member it enrolled offline, and the member it became: the member the
-- cloud created, or the one that already had that phone number (a merge). Documents naming the
-- provisional code count for that member.
CREATE TABLE member_alias (
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  member_id   BIGINT NOT NULL REFERENCES member (id),
  merged      BOOLEAN NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (merchant_id, code)
);
CREATE INDEX member_alias_member ON member_alias (member_id);

-- Direct-marketing consent as given, with its time and the wording shown (PDPO): never updated,
-- the latest row per member is the current choice.
CREATE TABLE member_consent (
  id              BIGSERIAL PRIMARY KEY,
  member_id       BIGINT NOT NULL REFERENCES member (id),
  marketing       BOOLEAN NOT NULL,
  wording_version TEXT NOT NULL CHECK (length(wording_version) BETWEEN 1 AND 32),
  given_at        TIMESTAMPTZ NOT NULL,
  source          TEXT NOT NULL,
  recorded_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX member_consent_member ON member_consent (member_id, id);
CREATE TRIGGER member_consent_immutable BEFORE UPDATE OR DELETE ON member_consent FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Earn and redeem rules, one row per merchant (defaults when there is none).
CREATE TABLE member_rules (
  merchant_id          BIGINT PRIMARY KEY REFERENCES merchant (id),
  -- HK$1 (100 cents) of eligible spend earns one point, times the tier's multiplier
  earn_cents_per_point INTEGER NOT NULL DEFAULT 100 CHECK (earn_cents_per_point BETWEEN 1 AND 1000000),
  tier_multipliers     JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(tier_multipliers) = 'object'),
  excluded_categories  TEXT[] NOT NULL DEFAULT '{}',
  -- 100 points pay HK$1
  points_per_dollar    INTEGER NOT NULL DEFAULT 100 CHECK (points_per_dollar BETWEEN 1 AND 1000000),
  -- what a register may spend offline per account per day (cents)
  offline_limit_cents  BIGINT NOT NULL DEFAULT 50000 CHECK (offline_limit_cents >= 0),
  updated_at           TIMESTAMPTZ NOT NULL
);

-- One account per member and kind. The balance is never stored on it: it is the running sum of the
-- account's entries. The row is what concurrent movements lock (SELECT … FOR UPDATE) to take turns.
CREATE TABLE ledger_account (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  member_id   BIGINT NOT NULL REFERENCES member (id),
  kind        TEXT NOT NULL CHECK (kind IN ('points', 'credit')),
  created_at  TIMESTAMPTZ NOT NULL,
  UNIQUE (member_id, kind)
);

-- Every movement, once: `idem_key` names the document or request it belongs to, so a retried push
-- or request finds the entry it already made. `balance_after` is the running sum (the previous
-- entry's plus `amount`, written under the account's lock), so reading a balance is one index probe
-- and the sum of the amounts always equals it (tests/node/cloud/member-ledgers.test.ts).
CREATE TABLE ledger_entry (
  id            BIGSERIAL PRIMARY KEY,
  merchant_id   BIGINT NOT NULL REFERENCES merchant (id),
  account_id    BIGINT NOT NULL REFERENCES ledger_account (id),
  idem_key      TEXT NOT NULL CHECK (length(idem_key) BETWEEN 1 AND 200),
  amount        BIGINT NOT NULL CHECK (amount <> 0),
  balance_after BIGINT NOT NULL,
  reason        TEXT NOT NULL CHECK (reason IN ('earn', 'reverse', 'redeem', 'refund', 'adjust')),
  document      TEXT,
  source        TEXT NOT NULL,
  note          TEXT,
  -- A movement that had to be recorded although the balance did not cover it (spent offline at two
  -- registers, or points reversed after they were spent): how far below zero it took the account.
  overdraft     BIGINT NOT NULL DEFAULT 0 CHECK (overdraft >= 0),
  created_at    TIMESTAMPTZ NOT NULL,
  UNIQUE (merchant_id, idem_key),
  CHECK (balance_after >= 0 OR overdraft > 0)
);
CREATE INDEX ledger_entry_account ON ledger_entry (account_id, id DESC);
CREATE TRIGGER ledger_entry_immutable BEFORE UPDATE OR DELETE ON ledger_entry FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- What a person must look at (cloud:admin -- list-ledger-exceptions): an overdraft, or a paid
-- document naming a member this cloud does not know (the sale is kept; its points are not given).
CREATE TABLE ledger_exception (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  entry_id    BIGINT UNIQUE REFERENCES ledger_entry (id),
  kind        TEXT NOT NULL CHECK (kind IN ('overdraft', 'unknown_member')),
  amount      BIGINT NOT NULL CHECK (amount >= 0),
  document    TEXT,
  detail      TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  CHECK ((kind = 'overdraft') = (entry_id IS NOT NULL)),
  resolved_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX ledger_exception_unknown_once ON ledger_exception (merchant_id, document) WHERE kind = 'unknown_member';
CREATE INDEX ledger_exception_open ON ledger_exception (merchant_id, created_at) WHERE resolved_at IS NULL;
