-- A member's purchases from every store and channel (issue 13, the till's member panel): documents
-- carry their member as `document.member.code` (the member's code or a till's provisional one), so
-- the history is one index probe per code, whatever the sale table's size.
CREATE INDEX sale_member_code ON sale (merchant_id, (document -> 'member' ->> 'code'), completed_at DESC)
  WHERE document -> 'member' ->> 'code' IS NOT NULL;
