-- When a ticket first missed its accept and its resolve deadline (its
-- first sla_missed event of each kind), kept on the ticket row so that the
-- reports judge a missed deadline from the row, through the rollup,
-- instead of joining a period's events to their tickets (see
-- storage/rollup.go). Written with the event (storage.Tx.AddEvents).
ALTER TABLE tickets ADD COLUMN accept_missed_at TEXT;
ALTER TABLE tickets ADD COLUMN resolve_missed_at TEXT;

UPDATE tickets SET
    accept_missed_at = (SELECT min(e.at) FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.kind = 'sla_missed'
        AND json_extract(e.data, '$.deadline') = 'accept'),
    resolve_missed_at = (SELECT min(e.at) FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.kind = 'sla_missed'
        AND json_extract(e.data, '$.deadline') = 'resolve')
WHERE id IN (SELECT ticket_id FROM ticket_events INDEXED BY ticket_events_sla_missed WHERE kind = 'sla_missed');

-- settled_at now waits for the missed deadlines too (the definition of
-- 0091 otherwise).
DROP INDEX tickets_settling;
ALTER TABLE tickets DROP COLUMN settled_at;
ALTER TABLE tickets ADD COLUMN settled_at TEXT GENERATED ALWAYS AS (max(
    min(coalesce(accepted_at, accept_by), accept_by),
    coalesce(resolved_at, resolve_by),
    coalesce(contacted_at, ''),
    coalesce(resolved_at, reply_by, ''),
    coalesce(accept_missed_at, ''),
    coalesce(resolve_missed_at, ''))) VIRTUAL;
CREATE INDEX tickets_settling ON tickets(settled_at, created_at) WHERE NOT state IN ('new', 'assigned', 'accepted');

-- The open tickets are judged from their index: it carries the new columns.
DROP INDEX tickets_open;
CREATE INDEX tickets_open ON tickets(wake_at, handler_id, area, village, state, accept_by, resolve_by, category,
    urgency, source, created_at, handler_name, rating, reopened, campaign, linked_to, accepted_at, resolved_at,
    outcome, contacted_at, reply_by, accept_missed_at, resolve_missed_at) WHERE state IN ('new', 'assigned', 'accepted');

-- What the missed deadlines change in the rates (storage.RateCounts, not
-- Held): due once missed, never on time.
ALTER TABLE ticket_rollup ADD COLUMN miss_acc_due INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_rollup ADD COLUMN miss_acc_ok INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_rollup ADD COLUMN miss_res_due INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_rollup ADD COLUMN miss_res_ok INTEGER NOT NULL DEFAULT 0;
-- Recounted at the next open (storage.Open rebuilds an empty rollup).
DELETE FROM ticket_rollup;
