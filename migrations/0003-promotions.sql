-- Promotion definitions, as head office (or the demo seed) defines them. The pricing engine reads
-- the active ones through src/main/pricing/promotion-repo.ts, which parses each row with zod.
--
-- `kind` is deliberately not limited to today's kinds: a kind that a newer head office introduces
-- is stored and then skipped (and reported) by an older register, instead of failing the pull.
-- Its `params` must be a JSON object; its shape per kind is checked when the row is read.
CREATE TABLE promotion (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
  name_zh    TEXT NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
  name_en    TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  kind       TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
  params     TEXT NOT NULL CHECK (json_valid(params) AND json_type(params) = 'object'),
  -- Breaks ties between equal savings: higher first, then the lower id.
  priority   INTEGER NOT NULL DEFAULT 0,
  -- ms since the epoch; in effect when starts_at <= now < ends_at; NULL is open-ended.
  starts_at  INTEGER,
  ends_at    INTEGER,
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
) STRICT;

-- loadActivePromotions: the active ones, then the window.
CREATE INDEX promotion_active ON promotion (active, starts_at);
