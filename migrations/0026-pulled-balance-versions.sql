-- The change-log version a pulled balance is as of (issue 18). A redemption the cloud takes online
-- answers the version its change was written at, and the till keeps the balance with it; a pull the
-- cloud read before that redemption (an older version) then cannot put the older balance back.
-- 0: as of no known version (pulled before this migration, demo data): any change replaces it.
ALTER TABLE cloud_gift_card ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
-- A member's two balances move apart (a till writes only the one it redeemed): one version each.
ALTER TABLE cloud_member ADD COLUMN points_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cloud_member ADD COLUMN store_credit_version INTEGER NOT NULL DEFAULT 0;
