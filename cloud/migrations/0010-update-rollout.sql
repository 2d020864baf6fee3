-- Staged rollout of register updates (issue 17): head office says which app version the registers
-- of a store may take. A store's own setting wins; otherwise the merchant's; NULL on both: any
-- version the update feed offers.
ALTER TABLE merchant ADD COLUMN update_version TEXT
  CHECK (update_version ~ '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$');
ALTER TABLE store ADD COLUMN update_version TEXT
  CHECK (update_version ~ '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$');
