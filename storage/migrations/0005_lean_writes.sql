-- Every page a transaction touches is written to the WAL. These indexes
-- cost a page or more on each intake and paid for nothing on the hot path:
-- reports by period scan tickets (a township has tens of thousands), and
-- only missed deadlines are looked up by event kind.
DROP INDEX tickets_created;
DROP INDEX ticket_events_kind;
CREATE INDEX ticket_events_sla_missed ON ticket_events(at) WHERE kind = 'sla_missed';

-- Only campaign rows carry a dedupe key; the others need no index entry.
-- SQLite cannot drop a column's UNIQUE, so the table is rebuilt.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    method          TEXT NOT NULL DEFAULT 'send',
    text            TEXT NOT NULL,
    buttons         TEXT NOT NULL DEFAULT '',
    edit_message_id INTEGER NOT NULL DEFAULT 0,
    edit_ref        INTEGER NOT NULL DEFAULT 0,
    ticket_id       INTEGER,
    kind            TEXT NOT NULL DEFAULT '',
    dedupe_key      TEXT,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    tg_message_ids  TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT ''
);
INSERT INTO outbox_new (id, chat_id, method, text, buttons, edit_message_id, edit_ref, ticket_id, kind,
    dedupe_key, status, attempts, next_attempt_at, created_at, sent_at, tg_message_ids, last_error)
SELECT id, chat_id, method, text, buttons, edit_message_id, edit_ref, ticket_id, kind,
    dedupe_key, status, attempts, next_attempt_at, created_at, sent_at, tg_message_ids, last_error FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE UNIQUE INDEX outbox_dedupe ON outbox(dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);
CREATE INDEX outbox_chat_pending ON outbox(chat_id, status, id);
