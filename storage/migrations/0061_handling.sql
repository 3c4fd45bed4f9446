-- The 12345 way of handling a ticket. After taking it the handler phones
-- the requester first (先行联系) and records when; at resolution they say
-- whether the problem was solved (solved, partly, unsolved); and they may
-- ask the centre for more time (延期) or to take the ticket back as not
-- theirs (退单), which the centre approves or refuses.
ALTER TABLE tickets ADD COLUMN contacted_at TEXT;
ALTER TABLE tickets ADD COLUMN outcome TEXT NOT NULL DEFAULT '';

CREATE TABLE ticket_requests (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
    kind         TEXT NOT NULL,                 -- extend, return
    reason       TEXT NOT NULL,
    deadline     TEXT,                          -- extend: the resolve deadline asked for
    requested_by INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    decision     TEXT NOT NULL DEFAULT '',      -- '' pending, approved, refused
    decided_by   INTEGER NOT NULL DEFAULT 0,
    decided_at   TEXT,
    note         TEXT NOT NULL DEFAULT ''       -- the centre's word on its decision
);
CREATE INDEX ticket_requests_ticket ON ticket_requests(ticket_id, id);
CREATE INDEX ticket_requests_pending ON ticket_requests(requested_at) WHERE decision = '';
