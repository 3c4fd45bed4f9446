-- How many tickets were accepted and resolved each day and month (in the
-- township's zone, +8 hours: storage.rollupZone), by the keys a report's
-- scope reads: counting a month's acceptances reads a month's rows
-- instead of some 70,000 index entries (storage.Tx.CountAccepted). Kept
-- by the triggers below, so every write to a ticket, by hand too, keeps
-- it; they do nothing while a ticket was never accepted nor resolved (a
-- new ticket, its routing), and only when a counted column changes.
CREATE TABLE ticket_done (
    kind       TEXT NOT NULL,    -- accepted or resolved
    grain      TEXT NOT NULL,    -- day or month
    day        TEXT NOT NULL,    -- YYYY-MM-DD (YYYY-MM) of accepted_at or resolved_at in the township's zone
    village    TEXT NOT NULL,
    area       TEXT NOT NULL,
    category   TEXT NOT NULL,
    handler_id INTEGER NOT NULL,
    n          INTEGER NOT NULL, -- rows whose tickets all moved hold 0
    PRIMARY KEY (kind, grain, day, village, area, category, handler_id)
) WITHOUT ROWID;

INSERT INTO ticket_done (kind, grain, day, village, area, category, handler_id, n)
SELECT d.kind, g.grain, CASE g.grain WHEN 'day' THEN d.d ELSE substr(d.d, 1, 7) END AS dd, d.village, d.area, d.category, d.handler_id, count(*)
FROM (SELECT 'accepted' AS kind, date(accepted_at, '+28800 seconds') AS d, village, area, category, handler_id
        FROM tickets WHERE accepted_at IS NOT NULL
      UNION ALL
      SELECT 'resolved', date(resolved_at, '+28800 seconds'), village, area, category, handler_id
        FROM tickets WHERE resolved_at IS NOT NULL) d
    JOIN (SELECT 'day' AS grain UNION ALL SELECT 'month') g
GROUP BY d.kind, g.grain, dd, d.village, d.area, d.category, d.handler_id;

CREATE TRIGGER tickets_done_insert AFTER INSERT ON tickets
WHEN new.accepted_at IS NOT NULL OR new.resolved_at IS NOT NULL
BEGIN
    INSERT INTO ticket_done (kind, grain, day, village, area, category, handler_id, n)
    SELECT c.kind, g.grain, CASE g.grain WHEN 'day' THEN c.d ELSE substr(c.d, 1, 7) END, new.village, new.area, new.category, new.handler_id, 1
    FROM (SELECT 'accepted' AS kind, date(new.accepted_at, '+28800 seconds') AS d WHERE new.accepted_at IS NOT NULL
          UNION ALL SELECT 'resolved', date(new.resolved_at, '+28800 seconds') WHERE new.resolved_at IS NOT NULL) c
        JOIN (SELECT 'day' AS grain UNION ALL SELECT 'month') g
    WHERE true
    ON CONFLICT (kind, grain, day, village, area, category, handler_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_done_update AFTER UPDATE OF accepted_at, resolved_at, village, area, category, handler_id ON tickets
WHEN (old.accepted_at IS NOT NULL OR old.resolved_at IS NOT NULL OR new.accepted_at IS NOT NULL OR new.resolved_at IS NOT NULL)
    AND (old.accepted_at IS NOT new.accepted_at OR old.resolved_at IS NOT new.resolved_at OR old.village IS NOT new.village
        OR old.area IS NOT new.area OR old.category IS NOT new.category OR old.handler_id IS NOT new.handler_id)
BEGIN
    INSERT INTO ticket_done (kind, grain, day, village, area, category, handler_id, n)
    SELECT c.kind, g.grain, CASE g.grain WHEN 'day' THEN c.d ELSE substr(c.d, 1, 7) END, c.village, c.area, c.category, c.handler_id, c.n
    FROM (SELECT 'accepted' AS kind, date(old.accepted_at, '+28800 seconds') AS d, old.village AS village, old.area AS area,
                old.category AS category, old.handler_id AS handler_id, -1 AS n WHERE old.accepted_at IS NOT NULL
          UNION ALL SELECT 'resolved', date(old.resolved_at, '+28800 seconds'), old.village, old.area, old.category, old.handler_id, -1
            WHERE old.resolved_at IS NOT NULL
          UNION ALL SELECT 'accepted', date(new.accepted_at, '+28800 seconds'), new.village, new.area, new.category, new.handler_id, 1
            WHERE new.accepted_at IS NOT NULL
          UNION ALL SELECT 'resolved', date(new.resolved_at, '+28800 seconds'), new.village, new.area, new.category, new.handler_id, 1
            WHERE new.resolved_at IS NOT NULL) c
        JOIN (SELECT 'day' AS grain UNION ALL SELECT 'month') g
    WHERE true
    ON CONFLICT (kind, grain, day, village, area, category, handler_id) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER tickets_done_delete AFTER DELETE ON tickets
WHEN old.accepted_at IS NOT NULL OR old.resolved_at IS NOT NULL
BEGIN
    INSERT INTO ticket_done (kind, grain, day, village, area, category, handler_id, n)
    SELECT c.kind, g.grain, CASE g.grain WHEN 'day' THEN c.d ELSE substr(c.d, 1, 7) END, old.village, old.area, old.category, old.handler_id, -1
    FROM (SELECT 'accepted' AS kind, date(old.accepted_at, '+28800 seconds') AS d WHERE old.accepted_at IS NOT NULL
          UNION ALL SELECT 'resolved', date(old.resolved_at, '+28800 seconds') WHERE old.resolved_at IS NOT NULL) c
        JOIN (SELECT 'day' AS grain UNION ALL SELECT 'month') g
    WHERE true
    ON CONFLICT (kind, grain, day, village, area, category, handler_id) DO UPDATE SET n = n - 1;
END;
