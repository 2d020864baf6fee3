-- The merchant's earn and redeem rules are head office's, sent to registers (issue 13): every change
-- is a new version with the moment it took force, kept for ever, so the points of a sale are worked
-- out with the rules in force when it was made, however late it is pushed (cloud/domain/member-mutations.ts).
-- `member_rules` stays the current row, now with its version.

ALTER TABLE member_rules ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);

CREATE TABLE member_rules_version (
  merchant_id    BIGINT NOT NULL REFERENCES merchant (id),
  version        INTEGER NOT NULL CHECK (version >= 1),
  -- src/shared/member-rules.ts MemberRules
  rules          JSONB NOT NULL CHECK (jsonb_typeof(rules) = 'object'),
  effective_from TIMESTAMPTZ NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (merchant_id, version)
);
CREATE TRIGGER member_rules_version_immutable BEFORE UPDATE OR DELETE ON member_rules_version FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Rules set before versions existed: version 1, in force for every sale before the next change.
INSERT INTO member_rules_version (merchant_id, version, rules, effective_from, created_at)
SELECT merchant_id, 1,
       jsonb_build_object('earnCentsPerPoint', earn_cents_per_point, 'pointsPerDollar', points_per_dollar,
                          'offlineLimitCents', offline_limit_cents, 'tierMultipliers', tier_multipliers,
                          'excludedCategories', to_jsonb(excluded_categories)),
       'epoch', updated_at
FROM member_rules;

-- Registers pull them as `member_rules` changes; and a refund to points or store credit beyond what the
-- original sale paid with them is cut to that and listed (`refund_over`). Both checks are extended from
-- what they are now, so another migration's entities and kinds stay allowed.
DO $$
DECLARE
  def TEXT;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint WHERE conrelid = 'change_log'::regclass AND conname = 'change_log_entity_check';
  EXECUTE 'ALTER TABLE change_log DROP CONSTRAINT change_log_entity_check';
  EXECUTE 'ALTER TABLE change_log ADD CONSTRAINT change_log_entity_check ' || replace(def, 'ARRAY[', 'ARRAY[''member_rules''::text, ');
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint WHERE conrelid = 'ledger_exception'::regclass AND conname = 'ledger_exception_kind_check';
  EXECUTE 'ALTER TABLE ledger_exception DROP CONSTRAINT ledger_exception_kind_check';
  EXECUTE 'ALTER TABLE ledger_exception ADD CONSTRAINT ledger_exception_kind_check ' || replace(def, 'ARRAY[', 'ARRAY[''refund_over''::text, ');
END $$;
