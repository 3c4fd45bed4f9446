-- Where each request came from. Until now every ticket came through the
-- bot: a campaign's answer (campaign set, except the "not fixed" follow-up
-- of a resident's own ticket) is a check-in, everything else the
-- resident's own message.
ALTER TABLE tickets ADD COLUMN source TEXT NOT NULL DEFAULT 'telegram';
UPDATE tickets SET source = 'checkin' WHERE campaign <> '' AND campaign <> 'fixed-followup';

-- A requester with no chat with the bot (a phone call, a visit, a 12345
-- order) is known by name and phone only; the handler phones them.
ALTER TABLE tickets ADD COLUMN requester_name TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN requester_phone TEXT NOT NULL DEFAULT '';
-- The staff member who opened the ticket on someone's behalf; 0 when the
-- requester opened it.
ALTER TABLE tickets ADD COLUMN opened_by INTEGER NOT NULL DEFAULT 0;
-- The order's number on an outside platform (12345 工单编号).
ALTER TABLE tickets ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
-- A reply promised to the requester ("本周内给予答复"), when one was.
ALTER TABLE tickets ADD COLUMN reply_by TEXT;

-- Partial: only tickets with an outside number have an entry, so intake
-- writes no page for it.
CREATE UNIQUE INDEX tickets_external ON tickets(source, external_id) WHERE external_id <> '';

-- The desk's queue of open tickets filters by source from its covering
-- index (migration 0051), which carried the campaign for want of a source:
-- it now carries the source instead.
DROP INDEX tickets_open;
CREATE INDEX tickets_open ON tickets(wake_at, handler_id, area, village, state, accept_by, resolve_by, category,
    urgency, source, created_at) WHERE state IN ('new', 'assigned', 'accepted');
