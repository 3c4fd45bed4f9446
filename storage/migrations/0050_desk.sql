-- The desk's credentials: the one-time sign-in links /web sends (kind
-- 'link', ten minutes, single use), the browser sessions they open
-- ('session', twelve hours) and the API tokens of other systems ('token',
-- until revoked). Each is "id.secret": the id finds the row, and only a
-- SHA-256 of the secret is kept, so a copy of the database signs nobody in.
CREATE TABLE credentials (
    id         TEXT PRIMARY KEY,             -- the public half
    kind       TEXT NOT NULL,                -- link, session, token
    hash       BLOB NOT NULL,                -- SHA-256 of the secret half
    staff_id   INTEGER NOT NULL,             -- whose rights it carries
    note       TEXT NOT NULL DEFAULT '',     -- tokens: what it is for
    created_at TEXT NOT NULL,
    expires_at TEXT,                         -- NULL: until revoked
    ended_at   TEXT                          -- used, signed out or revoked
);
CREATE INDEX credentials_kind ON credentials(kind, created_at);

-- Full-text search over what residents wrote. SQLite's FTS3/4 is compiled
-- into go-sqlite3 by default (FTS5 needs a build tag), and its tokenizers
-- do not split Chinese, so the indexer writes each text as overlapping
-- character bigrams ("路灯坏了" → "路灯 灯坏 坏了 了") and a query becomes
-- a phrase of its bigrams: a substring match. Contentless: the text stays
-- in tickets. It is filled beside intake, not in its transaction (see
-- storage/search.go), up to search_state.indexed.
CREATE VIRTUAL TABLE ticket_search USING fts4(content="", bigrams);
CREATE TABLE search_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    indexed INTEGER NOT NULL                 -- every ticket id <= this is indexed
);
INSERT INTO search_state (id, indexed) VALUES (1, 0);
