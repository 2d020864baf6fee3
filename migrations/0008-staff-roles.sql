-- Roles become rows: the four built-in roles plus any custom role a manager adds, each with its
-- manual discount limit (moved here from the setting checkout.discountLimitBasisPoints) and its
-- permissions (role_permission). staff.role becomes a reference to a role; SQLite cannot alter
-- the old CHECK, so the staff table is rebuilt with the same ids, PIN hashes and lockout state.
-- Clock in/out events for timesheets.

CREATE TABLE role (
  code      TEXT PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 32),
  name_zh   TEXT NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 40),
  name_en   TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 40),
  built_in  INTEGER NOT NULL DEFAULT 0 CHECK (built_in IN (0, 1)),
  discount_limit_bp INTEGER NOT NULL CHECK (discount_limit_bp BETWEEN 0 AND 10000),
  sort      INTEGER NOT NULL DEFAULT 100
) STRICT;

CREATE TABLE role_permission (
  role_code  TEXT NOT NULL REFERENCES role (code) ON DELETE CASCADE,
  permission TEXT NOT NULL,
  PRIMARY KEY (role_code, permission)
) STRICT, WITHOUT ROWID;

-- Permissions whose defaults (src/main/staff/roles.ts) were already granted to the built-in
-- roles. A permission new in a later version gets its defaults once; a manager's edits then stay.
CREATE TABLE permission_seen (
  permission TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

INSERT INTO role (code, name_zh, name_en, built_in, discount_limit_bp, sort) VALUES
  ('cashier', '收銀員', 'Cashier', 1,
    coalesce((SELECT json_extract(value, '$.cashier') FROM setting WHERE key = 'checkout.discountLimitBasisPoints'), 1000), 10),
  ('supervisor', '主管', 'Supervisor', 1,
    max(2000, coalesce((SELECT json_extract(value, '$.cashier') FROM setting WHERE key = 'checkout.discountLimitBasisPoints'), 1000)), 20),
  ('manager', '經理', 'Manager', 1,
    coalesce((SELECT json_extract(value, '$.manager') FROM setting WHERE key = 'checkout.discountLimitBasisPoints'), 10000), 30),
  ('admin', '系統管理員', 'Administrator', 1, 10000, 40);

DELETE FROM setting WHERE key = 'checkout.discountLimitBasisPoints';

-- The rebuild. Other tables reference staff (id): with foreign keys on, dropping staff counts
-- their rows as (deferred) violations, and putting the same ids back into the new staff table
-- clears them again before the commit.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE staff_copy AS SELECT id, code, name_zh, name_en, role, pin_hash, active, failed_pins, locked_until FROM staff;
DROP TABLE staff;

CREATE TABLE staff (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name_zh     TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  role        TEXT NOT NULL REFERENCES role (code),
  pin_hash    TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_pins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER            -- ms since the epoch; NULL when not locked
) STRICT;

INSERT INTO staff (id, code, name_zh, name_en, role, pin_hash, active, failed_pins, locked_until)
  SELECT id, code, name_zh, name_en, role, pin_hash, active, failed_pins, locked_until FROM staff_copy ORDER BY id;
DROP TABLE staff_copy;

CREATE INDEX staff_role ON staff (role);

CREATE TABLE clock_event (
  id       INTEGER PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff (id),
  kind     TEXT NOT NULL CHECK (kind IN ('in', 'out')),
  at       INTEGER NOT NULL             -- ms since the epoch
) STRICT;

CREATE INDEX clock_event_staff ON clock_event (staff_id, at);
