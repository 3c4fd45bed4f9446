-- The reports' per-day rollup (see storage/rollup.go).
--
-- settled_at is the instant from which the reports judge a ticket as they
-- would judge it at any later instant, given the row as it is: accepted
-- (or its accept deadline passed), resolved (or, unresolved, its resolve
-- deadline passed), contacted, and its promised reply given or due. A
-- report judged at an instant before it must look at the ticket itself;
-- after it, the rollup's counts are the ticket's. It is a maximum, so it is
-- never too early; NULL times never win (coalesce to '').
ALTER TABLE tickets ADD COLUMN settled_at TEXT GENERATED ALWAYS AS (max(
    min(coalesce(accepted_at, accept_by), accept_by),
    coalesce(resolved_at, resolve_by),
    coalesce(contacted_at, ''),
    coalesce(resolved_at, reply_by, ''))) VIRTUAL;

-- The tickets that are no longer open yet not settled at an instant: at
-- the present, a handful. Open tickets have no entry, so intake writes
-- nothing here.
CREATE INDEX tickets_settling ON tickets(settled_at, created_at) WHERE NOT state IN ('new', 'assigned', 'accepted');

-- The open tickets (a few thousand) are judged live: their index carries
-- every column the reports judge a ticket by, so that they are judged
-- from it without reading the tickets.
DROP INDEX tickets_open;
CREATE INDEX tickets_open ON tickets(wake_at, handler_id, area, village, state, accept_by, resolve_by, category,
    urgency, source, created_at, handler_name, rating, reopened, campaign, linked_to, accepted_at, resolved_at,
    outcome, contacted_at, reply_by) WHERE state IN ('new', 'assigned', 'accepted');

-- What the tickets that are no longer open count in the reports, judged
-- as if at the end of time, by the keys the reports group and scope by:
-- per day of creation (township time) and again per month, so that a
-- month's report reads a month's rows. Kept in the transaction of every
-- change to a ticket (storage.Tx.InsertTicket, SaveTicket, RelinkTickets);
-- filled from the tickets when empty (storage.Open, hotline rollup
-- rebuild). Rows are never deleted: a row whose tickets all moved to
-- another key holds zeros.
CREATE TABLE ticket_rollup (
    grain        TEXT NOT NULL,             -- day or month
    day          TEXT NOT NULL,             -- YYYY-MM-DD (YYYY-MM) of created_at in the township's zone
    village      TEXT NOT NULL,
    area         TEXT NOT NULL,
    category     TEXT NOT NULL,
    handler_id   INTEGER NOT NULL,
    handler_name TEXT NOT NULL,
    source       TEXT NOT NULL,
    n            INTEGER NOT NULL DEFAULT 0, -- tickets, linked ones too
    prob         INTEGER NOT NULL DEFAULT 0, -- not linked to another: the problems
    acc_due      INTEGER NOT NULL DEFAULT 0,
    acc_ok       INTEGER NOT NULL DEFAULT 0,
    res_due      INTEGER NOT NULL DEFAULT 0,
    res_ok       INTEGER NOT NULL DEFAULT 0,
    rated        INTEGER NOT NULL DEFAULT 0,
    satisfied    INTEGER NOT NULL DEFAULT 0,
    rating_sum   INTEGER NOT NULL DEFAULT 0,
    reopened     INTEGER NOT NULL DEFAULT 0,
    proactive    INTEGER NOT NULL DEFAULT 0,
    contact_due  INTEGER NOT NULL DEFAULT 0,
    contacted    INTEGER NOT NULL DEFAULT 0,
    solved       INTEGER NOT NULL DEFAULT 0,
    partly       INTEGER NOT NULL DEFAULT 0,
    unsolved     INTEGER NOT NULL DEFAULT 0,
    res_reopened INTEGER NOT NULL DEFAULT 0,
    overdue      INTEGER NOT NULL DEFAULT 0,
    basic        INTEGER NOT NULL DEFAULT 0,
    dissatisfied INTEGER NOT NULL DEFAULT 0,
    promised     INTEGER NOT NULL DEFAULT 0,
    kept         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, day, village, area, category, handler_id, handler_name, source)
) WITHOUT ROWID;

-- Counting what was accepted or resolved in a period within a scope reads
-- the index alone.
DROP INDEX tickets_accepted;
CREATE INDEX tickets_accepted ON tickets(accepted_at, area, village, category, handler_id) WHERE accepted_at IS NOT NULL;
DROP INDEX tickets_resolved;
CREATE INDEX tickets_resolved ON tickets(resolved_at, area, village, category, handler_id) WHERE resolved_at IS NOT NULL;
