-- Reports, digests and the minute jobs read only what they need, however
-- many tickets there are (a busy year is a million):
--
-- A period's tickets by creation time, with their category so that the
-- previous period's counts by category read the index alone. Tickets are
-- created in time order: an intake adds one entry at the right edge (an
-- accept or a resolve rewrites it, as it saves the category).
CREATE INDEX tickets_created ON tickets(created_at, category);

-- Accepted and resolved in a period. Partial: a new ticket has neither, so
-- intake writes nothing here; accepting and resolving write one entry.
CREATE INDEX tickets_accepted ON tickets(accepted_at) WHERE accepted_at IS NOT NULL;
CREATE INDEX tickets_resolved ON tickets(resolved_at) WHERE resolved_at IS NOT NULL;

-- The open tickets only (thousands, not a million), keyed by when the
-- deadline job must next look at each (wake_at: before a reminder or a
-- deadline; NULL when nothing is left to do until the ticket changes).
-- It serves the deadline job, every /tasks (the centre's, an area
-- leader's, a handler's: a handler's few are filtered from the open ones)
-- and the open and overdue counts. It replaces tickets_handler, which held
-- every ticket ever, so intake writes one index page more than before, not
-- two. Queries spell the state list exactly so.
ALTER TABLE tickets ADD COLUMN wake_at TEXT;
UPDATE tickets SET wake_at = created_at WHERE state IN ('new', 'assigned', 'accepted');
-- The handler, 片区 and village ride along, so that a cadre's or an area
-- leader's list is filtered in the index and reads only its own rows.
CREATE INDEX tickets_open ON tickets(wake_at, handler_id, area, village) WHERE state IN ('new', 'assigned', 'accepted');
DROP INDEX tickets_handler;

-- Where a job that reads by time got to (the "fixed?" question, the
-- unanswered check-ins) or by ticket id (the signal job's counts), so that
-- each pass reads only what fell due or arrived since.
CREATE TABLE job_cursors (
    job     TEXT PRIMARY KEY,
    at      TEXT NOT NULL DEFAULT '',
    last_id INTEGER NOT NULL DEFAULT 0
);

-- Tickets per village, category and (UTC) day, kept by the signal job as
-- it reads the new tickets: a village's usual pace for a category is a sum
-- over a few dozen rows, not a scan of a month of tickets.
CREATE TABLE ticket_day_counts (
    village  TEXT NOT NULL,
    category TEXT NOT NULL,
    day      TEXT NOT NULL,                 -- YYYY-MM-DD, UTC
    n        INTEGER NOT NULL,
    PRIMARY KEY (village, category, day)
) WITHOUT ROWID;
