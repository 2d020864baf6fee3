-- The register's identity, staff and catalogue. Money is integer HKD cents.

CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

CREATE TABLE store (
  id       INTEGER PRIMARY KEY,
  code     TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 16),
  name_zh  TEXT NOT NULL,
  name_en  TEXT NOT NULL,
  address_zh TEXT NOT NULL DEFAULT '',
  address_en TEXT NOT NULL DEFAULT '',
  phone    TEXT NOT NULL DEFAULT ''
) STRICT;

-- One row: this register. Receipt numbers are {store.code}-{register.code}-{seq}.
CREATE TABLE this_register (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  store_id  INTEGER NOT NULL REFERENCES store (id),
  code      TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 8),
  name      TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name_zh     TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
  pin_hash    TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_pins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER            -- ms since the epoch; NULL when not locked
) STRICT;

CREATE TABLE category (
  id      INTEGER PRIMARY KEY,
  code    TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  sort    INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE product (
  id          INTEGER PRIMARY KEY,
  sku         TEXT NOT NULL UNIQUE,
  parent_id   INTEGER REFERENCES product (id),
  category_id INTEGER REFERENCES category (id),
  name_zh     TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  price       INTEGER NOT NULL CHECK (price >= 0),
  tax_class   TEXT NOT NULL DEFAULT 'none',
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  favourite_rank INTEGER          -- position on the quick-key grid; NULL when not a favourite
) STRICT;

CREATE INDEX product_category ON product (category_id);
CREATE INDEX product_favourite ON product (favourite_rank) WHERE favourite_rank IS NOT NULL;

CREATE TABLE barcode (
  code       TEXT PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES product (id)
) STRICT, WITHOUT ROWID;

CREATE INDEX barcode_product ON barcode (product_id);
