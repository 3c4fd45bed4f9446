-- Proactive outreach: the last scheduled fire time of every campaign (so
-- missed runs can be caught up after downtime), the runs themselves with
-- their fan-out cursor, who was asked in each run and what they answered,
-- the cadres' visit lists and the alerts raised by ticket clusters.
CREATE TABLE outreach_schedules (
    campaign       TEXT PRIMARY KEY,
    last_scheduled TEXT NOT NULL               -- last *scheduled* fire time handled
);

CREATE TABLE outreach_runs (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT NOT NULL,
    slot        TEXT NOT NULL,                 -- the scheduled time this run is for
    kind        TEXT NOT NULL,                 -- checkin, notice, yearend, visit, wednesday, digest
    segment     TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT '',
    actor_id    INTEGER NOT NULL DEFAULT 0,    -- who asked for it; 0 for the scheduler
    status      TEXT NOT NULL,                 -- running, done, skipped
    note        TEXT NOT NULL DEFAULT '',
    cursor      INTEGER NOT NULL DEFAULT 0,    -- fan-out: last resident id handled
    recipients  INTEGER NOT NULL DEFAULT 0,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (campaign, slot)
);
CREATE INDEX outreach_runs_status ON outreach_runs(status);

CREATE TABLE outreach_recipients (
    run_id      INTEGER NOT NULL REFERENCES outreach_runs(id),
    chat_id     INTEGER NOT NULL,
    village     TEXT NOT NULL DEFAULT '',
    asked_at    TEXT NOT NULL,
    answer      TEXT NOT NULL DEFAULT '',      -- ok, bad, text, or 1..5 for year-end
    answered_at TEXT,
    ticket_id   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, chat_id)
) WITHOUT ROWID;
CREATE INDEX outreach_recipients_chat ON outreach_recipients(chat_id, asked_at);
CREATE INDEX outreach_recipients_open ON outreach_recipients(answer, asked_at);

-- Residents who did not answer a check-in: their cadre visits them.
CREATE TABLE outreach_visits (
    resident_id INTEGER NOT NULL,
    run_id      INTEGER NOT NULL,
    village     TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (resident_id, run_id)
);
CREATE INDEX outreach_visits_village ON outreach_visits(village, added_at);

-- Clusters of same-category tickets from one village.
CREATE TABLE outreach_signals (
    id       INTEGER PRIMARY KEY,
    village  TEXT NOT NULL,
    category TEXT NOT NULL,
    at       TEXT NOT NULL,
    tickets  INTEGER NOT NULL
);
CREATE INDEX outreach_signals_key ON outreach_signals(village, category, at);
