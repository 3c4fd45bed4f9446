-- The roster in force. Replaced whole by an import.
CREATE TABLE villages (
    name       TEXT PRIMARY KEY,
    area       TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT 'village',
    size       TEXT NOT NULL DEFAULT 'small',
    aliases    TEXT NOT NULL DEFAULT '',      -- ';'-separated
    households INTEGER NOT NULL DEFAULT 0,
    position   INTEGER NOT NULL               -- order in the file
);

CREATE TABLE staff (
    telegram_id INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    villages    TEXT NOT NULL DEFAULT '',     -- ';'-separated
    area        TEXT NOT NULL DEFAULT '',
    departments TEXT NOT NULL DEFAULT '',     -- ';'-separated category ids
    phone       TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
);

CREATE TABLE roster_imports (
    id          INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    source      TEXT NOT NULL,
    villages    INTEGER NOT NULL,
    staff       INTEGER NOT NULL
);

-- Every Telegram chat that has talked to the bot: residents and staff.
-- Conversation state lives here so that it survives restarts.
CREATE TABLE chats (
    chat_id     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL DEFAULT '',
    started_at  TEXT,                         -- sent /start: the bot may write to it
    blocked_at  TEXT,                         -- 403 from Telegram: unreachable
    state       TEXT NOT NULL DEFAULT '',     -- conversation step, e.g. "await_note"
    state_data  TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);

CREATE TABLE residents (
    telegram_id   INTEGER PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    village       TEXT NOT NULL DEFAULT '',   -- '' until registered
    phone         TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '',   -- ';'-separated: alone, electric_heating
    opted_out     INTEGER NOT NULL DEFAULT 0, -- /stop: no campaigns
    registered_at TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX residents_village ON residents(village);

-- Texts a resident sent before registering, kept until a ticket takes them.
CREATE TABLE pending_texts (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(telegram_id),
    text        TEXT NOT NULL,
    received_at TEXT NOT NULL
);

CREATE TABLE ticket_numbers (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE tickets (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,       -- 2026-000123
    resident_id   INTEGER REFERENCES residents(telegram_id),
    text          TEXT NOT NULL,
    category      TEXT NOT NULL,
    urgency       TEXT NOT NULL,
    village       TEXT NOT NULL DEFAULT '',
    area          TEXT NOT NULL DEFAULT '',
    confidence    REAL NOT NULL DEFAULT 0,
    classifier    TEXT NOT NULL DEFAULT '',   -- which classifier decided
    state         TEXT NOT NULL,
    handler_id    INTEGER NOT NULL DEFAULT 0,
    handler_name  TEXT NOT NULL DEFAULT '',
    handler_role  TEXT NOT NULL DEFAULT '',
    level         INTEGER NOT NULL DEFAULT 0, -- escalation level: 0 first handler, 1 area leader, 2 centre
    accept_by     TEXT NOT NULL,
    resolve_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    accepted_at   TEXT,
    resolved_at   TEXT,
    closed_at     TEXT,
    result_note   TEXT NOT NULL DEFAULT '',
    rating        INTEGER,                    -- 1..5, once
    reopened      INTEGER NOT NULL DEFAULT 0,
    campaign      TEXT NOT NULL DEFAULT '',   -- outreach campaign that caused it
    card_chat     INTEGER NOT NULL DEFAULT 0, -- the handler's card, to edit it
    card_outbox   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tickets_resident ON tickets(resident_id, id);
CREATE INDEX tickets_handler ON tickets(handler_id, state);
CREATE INDEX tickets_state ON tickets(state, resolve_by);
CREATE INDEX tickets_village ON tickets(village, category, created_at);
CREATE INDEX tickets_created ON tickets(created_at);

-- Append-only history of every ticket.
CREATE TABLE ticket_events (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,                 -- created, classified, assigned, accepted, ...
    actor_id   INTEGER NOT NULL DEFAULT 0,    -- Telegram id, 0 for the system
    from_state TEXT NOT NULL DEFAULT '',
    to_state   TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL DEFAULT '{}'     -- JSON details
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);
CREATE INDEX ticket_events_kind ON ticket_events(kind, at);

-- Messages to send, written in the same transaction as the change that
-- caused them. The sender drains it; a row is sent only after Telegram's OK.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    method          TEXT NOT NULL DEFAULT 'send', -- send, edit
    text            TEXT NOT NULL,
    buttons         TEXT NOT NULL DEFAULT '',     -- JSON [][]{text,data}
    edit_message_id INTEGER NOT NULL DEFAULT 0,
    edit_ref        INTEGER NOT NULL DEFAULT 0,   -- outbox id of the message to edit
    ticket_id       INTEGER,
    kind            TEXT NOT NULL DEFAULT '',     -- what it is, for reports and tests
    dedupe_key      TEXT UNIQUE,                  -- at most one message per key
    status          TEXT NOT NULL DEFAULT 'pending', -- pending, sent, failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    tg_message_ids  TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);

-- Inbound updates: the raw update is journalled on receipt; processed_at is
-- set in the same transaction as the update's effects, so a redelivered or
-- replayed update has no second effect.
CREATE TABLE updates (
    update_id    INTEGER PRIMARY KEY,
    raw          TEXT NOT NULL DEFAULT '',
    received_at  TEXT NOT NULL,
    processed_at TEXT
);
