-- Head office console, part two (issue 16): the catalogue CSV import and the mall turnover export.

-- A CSV file uploaded in chunks, checked (every bad row recorded with its reason), then applied in
-- one transaction from its staged rows, or not at all.
CREATE TABLE catalogue_import (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  user_id     BIGINT REFERENCES hq_user (id),
  file_name   TEXT NOT NULL DEFAULT '' CHECK (length(file_name) <= 200),
  status      TEXT NOT NULL CHECK (status IN ('uploading', 'checked', 'applied')),
  -- characters received so far; chunks arrive in seq order
  chars       BIGINT NOT NULL DEFAULT 0,
  chunks      INTEGER NOT NULL DEFAULT 0,
  row_count   INTEGER,
  error_count INTEGER,
  -- what applying would do (after the check) or did (after the apply): new, changed, unchanged, prices
  summary     JSONB,
  created_at  TIMESTAMPTZ NOT NULL,
  checked_at  TIMESTAMPTZ,
  applied_at  TIMESTAMPTZ
);

CREATE INDEX catalogue_import_merchant ON catalogue_import (merchant_id, id DESC);

CREATE TABLE catalogue_import_chunk (
  import_id BIGINT NOT NULL REFERENCES catalogue_import (id) ON DELETE CASCADE,
  seq       INTEGER NOT NULL CHECK (seq >= 0),
  text      TEXT NOT NULL,
  PRIMARY KEY (import_id, seq)
);

-- The checked rows, as the apply reads them. UNLOGGED (fast to fill, emptied by a crash): the apply
-- counts them against row_count first, so rows lost to a crash are a refusal, never a partial apply.
CREATE UNLOGGED TABLE catalogue_import_row (
  import_id     BIGINT NOT NULL,
  row_no        INTEGER NOT NULL,
  sku           TEXT NOT NULL,
  name_zh       TEXT NOT NULL,
  name_en       TEXT NOT NULL,
  category_code TEXT,
  active        BOOLEAN NOT NULL,
  -- sorted, no duplicates: compared as a set with the product's barcodes
  barcodes      TEXT[] NOT NULL,
  -- cents; NULL keeps the current price
  price         BIGINT,
  PRIMARY KEY (import_id, row_no)
);

CREATE TABLE catalogue_import_error (
  import_id   BIGINT NOT NULL REFERENCES catalogue_import (id) ON DELETE CASCADE,
  -- the spreadsheet's row number (the header is row 1); 0 for the file as a whole
  row_no      INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  code        TEXT NOT NULL,
  message_zh  TEXT NOT NULL,
  message_en  TEXT NOT NULL
);

CREATE INDEX catalogue_import_error_row ON catalogue_import_error (import_id, row_no);

-- Mall turnover export: per store, the mall's tenant code and the file template; the scheduler
-- sends the previous business day at send_at (HH:MM in the merchant's time zone).
CREATE TABLE mall_export (
  id          BIGSERIAL PRIMARY KEY,
  merchant_id BIGINT NOT NULL REFERENCES merchant (id),
  store_id    BIGINT NOT NULL UNIQUE REFERENCES store (id),
  tenant_code TEXT NOT NULL CHECK (length(tenant_code) BETWEEN 1 AND 32),
  template    JSONB NOT NULL CHECK (jsonb_typeof(template) = 'object'),
  send_at     TEXT CHECK (send_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  sender      TEXT NOT NULL DEFAULT 'folder' CHECK (sender IN ('folder', 'sftp')),
  -- host, port, user, directory (never a password or key: those stay in the server's environment)
  sftp        JSONB,
  enabled     BOOLEAN NOT NULL DEFAULT true,
  updated_at  TIMESTAMPTZ NOT NULL
);

-- What was sent (or failed to be), with the exact bytes, so any file can be looked at again.
CREATE TABLE mall_export_log (
  id           BIGSERIAL PRIMARY KEY,
  merchant_id  BIGINT NOT NULL REFERENCES merchant (id),
  export_id    BIGINT NOT NULL REFERENCES mall_export (id),
  store_id     BIGINT NOT NULL REFERENCES store (id),
  business_day DATE NOT NULL,
  trigger      TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  user_email   TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
  file_name    TEXT NOT NULL DEFAULT '',
  content      BYTEA,
  sha256       TEXT,
  destination  TEXT NOT NULL DEFAULT '',
  error        TEXT,
  created_at   TIMESTAMPTZ NOT NULL,
  finished_at  TIMESTAMPTZ
);

CREATE INDEX mall_export_log_export ON mall_export_log (export_id, id DESC);
-- The scheduler sends each business day once, across instances: claiming the day is this insert.
CREATE UNIQUE INDEX mall_export_log_scheduled_once ON mall_export_log (export_id, business_day)
  WHERE trigger = 'schedule' AND status IN ('sending', 'sent');
