-- Members at the till (issue 13).

-- The pulled member list: balances as the cloud settled them, and the phone as the till keys it
-- (8 digits, whatever head office stored), for lookup by phone. A member with no phone is kept all
-- the same and found by its code.
ALTER TABLE cloud_member ADD COLUMN points INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cloud_member ADD COLUMN store_credit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cloud_member ADD COLUMN phone_key TEXT;
CREATE INDEX cloud_member_phone_key ON cloud_member (phone_key) WHERE phone_key IS NOT NULL;

-- Provisional codes tills gave a member when enrolling it offline, as the cloud reports them.
CREATE TABLE cloud_member_alias (
  code      TEXT PRIMARY KEY,
  member_id INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX cloud_member_alias_member ON cloud_member_alias (member_id);

-- Members enrolled at this till, online or offline, with a provisional code until the cloud's
-- member list carries it as an alias. Written with the outbox row (kind member.enrolled) that
-- sends it. Never an HKID number.
CREATE TABLE member_enrolment (
  id               INTEGER PRIMARY KEY,
  provisional_code TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  phone            TEXT NOT NULL CHECK (length(phone) = 8),
  email            TEXT,
  birth_month      INTEGER CHECK (birth_month BETWEEN 1 AND 12),
  consent_given    INTEGER NOT NULL CHECK (consent_given IN (0, 1)),
  consent_wording  TEXT NOT NULL,
  consent_at       INTEGER NOT NULL,
  staff_id         INTEGER NOT NULL REFERENCES staff (id),
  enrolled_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX member_enrolment_phone ON member_enrolment (phone);

-- The member on the open cart (its code, or a provisional one), and on the document as the
-- receipt showed it (JSON: code, name, masked phone, tier, points earned and balance).
ALTER TABLE cart ADD COLUMN member_code TEXT;
ALTER TABLE sale ADD COLUMN member TEXT CHECK (member IS NULL OR json_valid(member));
CREATE INDEX sale_member ON sale (json_extract(member, '$.code')) WHERE member IS NOT NULL;
