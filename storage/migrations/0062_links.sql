-- One problem, many requesters: a report that is very likely the same
-- problem as an open ticket of its village and category is linked to it
-- (state 'linked', linked_to the primary) instead of getting a handler
-- of its own; the primary counts its requesters for the handler's card.
-- Both stay rows, so every requester keeps their words and rates alone.
ALTER TABLE tickets ADD COLUMN linked_to INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN requesters INTEGER NOT NULL DEFAULT 1;

-- The duplicate check runs on every intake: the open tickets of one
-- village and category. Partial, so only open tickets have an entry (a
-- township has a few hundred open at a time); this is one more index
-- page written per intake, measured in tickets' intake benchmark.
CREATE INDEX tickets_open_problem ON tickets(village, category, created_at) WHERE linked_to = 0 AND state IN ('new', 'assigned', 'accepted');
-- Only linked tickets have an entry: nothing to write for the others.
CREATE INDEX tickets_linked ON tickets(linked_to) WHERE linked_to <> 0;
