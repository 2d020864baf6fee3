-- A shared stocktake cancelled as a whole (issue 14): by the register that opened it, or by a
-- manager at any register counting into it. Every register's pull then closes its copy and shows
-- who cancelled it and why; scans that arrive after are kept, refused, as after a post.
ALTER TABLE count_session ADD COLUMN cancelled_at TIMESTAMPTZ;
ALTER TABLE count_session ADD COLUMN cancelled_by_register UUID REFERENCES register (id);
ALTER TABLE count_session ADD COLUMN cancelled_by_staff TEXT;
ALTER TABLE count_session ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '' CHECK (length(cancel_reason) <= 200);
ALTER TABLE count_session ADD CONSTRAINT count_session_cancelled CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL));
