-- A return whose points wait for an original that will never come (the register that sold it was
-- lost, the receipt number was mistyped) is closed by head office with a reason (the console's
-- 會員 › 未能入帳, or `cloud:admin -- close-return-points`): it then takes no points, ever. Who
-- closed it (a console user; null: the admin CLI) and when are kept with the reason, and the hq_audit
-- entry commits with the close. If the original does arrive after all, its push takes nothing and
-- notes when it came (original_arrived_at), so the row's history says so.
ALTER TABLE pending_return_points ADD COLUMN closed_at TIMESTAMPTZ;
ALTER TABLE pending_return_points ADD COLUMN closed_by BIGINT REFERENCES hq_user (id);
ALTER TABLE pending_return_points ADD COLUMN close_reason TEXT;
ALTER TABLE pending_return_points ADD COLUMN original_arrived_at TIMESTAMPTZ;
-- one outcome per row: the points were taken, or it was closed (and then never takes them)
ALTER TABLE pending_return_points ADD CONSTRAINT pending_return_points_one_outcome CHECK (applied_at IS NULL OR closed_at IS NULL);
ALTER TABLE pending_return_points ADD CONSTRAINT pending_return_points_close_reason CHECK ((closed_at IS NULL) = (close_reason IS NULL));
ALTER TABLE pending_return_points ADD CONSTRAINT pending_return_points_arrived_closed CHECK (original_arrived_at IS NULL OR closed_at IS NOT NULL);
