-- Enrolment attempts are limited by a token bucket per client address (issue 11 item 9), not by
-- fixed one-minute windows, which let twice the limit through across a minute boundary. The
-- bucket holds up to the limit and refills continuously at the limit per minute.
DROP TABLE enrol_attempt;

CREATE TABLE enrol_bucket (
  client     TEXT PRIMARY KEY,
  tokens     DOUBLE PRECISION NOT NULL,  -- after the last attempt
  admitted   BOOLEAN NOT NULL,           -- whether the last attempt was let through
  updated_ms BIGINT NOT NULL             -- when the last attempt came (ms since the epoch)
);

CREATE INDEX enrol_bucket_updated ON enrol_bucket (updated_ms);
