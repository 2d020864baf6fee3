-- What each register last said about itself (issue 16), for the console's dashboard and register
-- list: its app version and its outbox (documents not yet acknowledged; documents the cloud put
-- aside) as of reported_at, since when its queue has not been empty, and when it last pulled
-- (last_push_at stays the time of the last push that brought something new).
ALTER TABLE register
  ADD COLUMN app_version TEXT CHECK (length(app_version) <= 64),
  ADD COLUMN queue_depth INTEGER CHECK (queue_depth >= 0),
  ADD COLUMN quarantined_count INTEGER CHECK (quarantined_count >= 0),
  ADD COLUMN queue_since TIMESTAMPTZ,
  ADD COLUMN reported_at TIMESTAMPTZ,
  ADD COLUMN last_pull_at TIMESTAMPTZ;
