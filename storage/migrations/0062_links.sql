-- One problem, many requesters: a report that is very likely the same
-- problem as an open ticket of its village and category is linked to it
-- (state 'linked', linked_to the primary) instead of getting a handler
-- of its own; the primary counts its requesters for the handler's card.
-- Both stay rows, so every requester keeps their words and rates alone.
ALTER TABLE tickets ADD COLUMN linked_to INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN requesters INTEGER NOT NULL DEFAULT 1;
-- Whether another report could be the same problem as this one: it names
-- a thing neighbours share and is not about the requester's own home. Set
-- when the words or the category change.
ALTER TABLE tickets ADD COLUMN matchable INTEGER NOT NULL DEFAULT 0;

-- The duplicate check runs on every intake: the open, matchable tickets
-- of one village and category. Partial, so only those have an entry: an
-- index written on every intake cost a fifth of the intake rate in
-- tickets' benchmark (each entry dirties a page of its own), while a
-- report about one's home, a pension or a question never needs one.
CREATE INDEX tickets_open_problem ON tickets(village, category)
    WHERE matchable = 1 AND state IN ('new', 'assigned', 'accepted');
-- Only linked tickets have an entry: nothing to write for the others.
CREATE INDEX tickets_linked ON tickets(linked_to) WHERE linked_to <> 0;
