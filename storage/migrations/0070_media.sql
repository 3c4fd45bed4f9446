-- What a resident sends besides words (issue 10): the place of a report, a
-- voice message, photos; a life-safety situation found in it; and why a
-- resident said a result did not solve the problem.
--
-- The place a resident shared (Telegram's WGS-84 coordinates); NULL when
-- none was.
ALTER TABLE tickets ADD COLUMN place_lat REAL;
ALTER TABLE tickets ADD COLUMN place_lon REAL;
-- The life-safety situation the report was found to be (gas, fire, ...);
-- '' for none. Its advice went to the resident and the centre was told.
ALTER TABLE tickets ADD COLUMN emergency TEXT NOT NULL DEFAULT '';
-- Seconds of the voice message a ticket was opened from; 0 for a ticket
-- opened from words.
ALTER TABLE tickets ADD COLUMN voice INTEGER NOT NULL DEFAULT 0;
-- On a ticket the resident sent back with 未解决: the result note they
-- rejected, and what they said was still wrong (optional).
ALTER TABLE tickets ADD COLUMN reopen_note TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN reopen_reason TEXT NOT NULL DEFAULT '';

-- Photos and voice messages of a ticket, as the chat has them: the file id
-- (for the desk and for downloading) and the message in the resident's
-- chat, which the handler is sent a copy of after each card.
CREATE TABLE ticket_media (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
    kind         TEXT NOT NULL,               -- photo, voice
    file_id      TEXT NOT NULL,
    file_unique_id TEXT NOT NULL DEFAULT '',
    chat_id      INTEGER NOT NULL,            -- where it was sent
    message_id   INTEGER NOT NULL,
    duration     INTEGER NOT NULL DEFAULT 0,  -- seconds, for a voice message
    caption      TEXT NOT NULL DEFAULT '',
    added_at     TEXT NOT NULL
);
-- Only tickets with media have entries: intake of a plain text writes none.
CREATE INDEX ticket_media_ticket ON ticket_media(ticket_id, id);

-- Photos, places and voice messages waiting for the ticket they belong to:
-- sent before the resident registered, or on their own before saying what
-- the problem is. text_id is the pending text they came with (a photo's
-- caption, or a place sent right after), 0 for none.
CREATE TABLE pending_media (
    id           INTEGER PRIMARY KEY,
    resident_id  INTEGER NOT NULL REFERENCES residents(telegram_id),
    kind         TEXT NOT NULL,               -- photo, voice, location
    file_id      TEXT NOT NULL DEFAULT '',
    file_unique_id TEXT NOT NULL DEFAULT '',
    chat_id      INTEGER NOT NULL,
    message_id   INTEGER NOT NULL,
    duration     INTEGER NOT NULL DEFAULT 0,
    caption      TEXT NOT NULL DEFAULT '',
    latitude     REAL,
    longitude    REAL,
    transcript   TEXT NOT NULL DEFAULT '',    -- a voice message's text, when it was transcribed
    text_id      INTEGER NOT NULL DEFAULT 0,
    received_at  TEXT NOT NULL
);
CREATE INDEX pending_media_resident ON pending_media(resident_id, id);

-- An outbox row with method 'copy' sends a copy of a message from another
-- chat (a resident's photo or voice to the handler): Bot API copyMessage.
ALTER TABLE outbox ADD COLUMN from_chat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN from_message_id INTEGER NOT NULL DEFAULT 0;
