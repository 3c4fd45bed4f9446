-- The sender's flood limiter outlives a restart: the messages Telegram
-- accepted in the last minute (the longest window it limits, a group's)
-- and the global rate it settled on after 429s. Without them a restarted
-- sender starts with full buckets and its first second bursts into 429s.
CREATE TABLE sender_sends (
    id      INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX sender_sends_at ON sender_sends(at);

CREATE TABLE sender_rate (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    rate REAL NOT NULL,                        -- messages per second
    at   TEXT NOT NULL
);
