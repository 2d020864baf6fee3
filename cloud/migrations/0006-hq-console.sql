-- The head office console (issue 16): merchant users (not register staff), their sessions, the
-- stores a store manager may see, and the audit trail of everything done in the console.

CREATE TABLE hq_user (
  id              BIGSERIAL PRIMARY KEY,
  merchant_id     BIGINT NOT NULL REFERENCES merchant (id),
  -- Stored lower-cased and trimmed: one person, one address, however it is typed.
  email           TEXT NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role            TEXT NOT NULL CHECK (role IN ('owner', 'hq_manager', 'store_manager', 'viewer')),
  -- scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64> (cloud/hq/passwords.ts)
  password_hash   TEXT NOT NULL,
  -- RFC 6238 secret (base32); enabled once the user has proved one code from it.
  totp_secret     TEXT,
  totp_enabled    BOOLEAN NOT NULL DEFAULT false,
  -- The last 30-second step a code was accepted for: a code is good once.
  totp_last_step  BIGINT NOT NULL DEFAULT 0,
  -- Attempts are counted here before the password is checked (one UPDATE), cleared only by a
  -- successful login or an owner's unlock.
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until    TIMESTAMPTZ,
  active          BOOLEAN NOT NULL DEFAULT true,
  created_at      TIMESTAMPTZ NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL,
  CHECK (NOT totp_enabled OR totp_secret IS NOT NULL)
);

-- An address belongs to one console user across all merchants: login names no merchant.
CREATE UNIQUE INDEX hq_user_email ON hq_user (email);

-- The stores a store manager may see and act on (other roles see every store of the merchant).
CREATE TABLE hq_user_store (
  user_id  BIGINT NOT NULL REFERENCES hq_user (id) ON DELETE CASCADE,
  store_id BIGINT NOT NULL REFERENCES store (id),
  PRIMARY KEY (user_id, store_id)
);

CREATE TABLE hq_session (
  -- sha256 of the cookie's random value; the value itself is never stored.
  token_hash   BYTEA PRIMARY KEY,
  user_id      BIGINT NOT NULL REFERENCES hq_user (id) ON DELETE CASCADE,
  -- Sent back in X-CSRF-Token on every write; the page reads it from GET /hq/api/session.
  csrf_token   TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  -- Idle expiry, pushed forward as the session is used; never past created_at + the absolute limit.
  expires_at   TIMESTAMPTZ NOT NULL,
  revoked_at   TIMESTAMPTZ
);

CREATE INDEX hq_session_user ON hq_session (user_id);

-- Who did what in the console, with the state before and after. Append-only.
CREATE TABLE hq_audit (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  user_id     BIGINT REFERENCES hq_user (id),
  user_email  TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  target      TEXT NOT NULL DEFAULT '',
  before      JSONB,
  after       JSONB,
  address     TEXT NOT NULL DEFAULT '',
  at          TIMESTAMPTZ NOT NULL
);

CREATE INDEX hq_audit_merchant ON hq_audit (merchant_id, id DESC);
CREATE TRIGGER hq_audit_immutable BEFORE UPDATE OR DELETE ON hq_audit FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- A quarantined document dismissed in the console keeps why and by whom.
ALTER TABLE quarantine ADD COLUMN resolution TEXT;
ALTER TABLE quarantine ADD COLUMN resolved_by BIGINT REFERENCES hq_user (id);
