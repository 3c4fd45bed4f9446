-- A place a resident shared is kept as a media item of the report it
-- belongs to, like a photo or a voice message: each report of a problem
-- keeps its own, with when it came, and the desk lists them together. The
-- ticket's place_lat/place_lon stay what its card shows. Telegram gives a
-- venue (a place picked from the map's list) a title and an address.
ALTER TABLE ticket_media ADD COLUMN latitude REAL;
ALTER TABLE ticket_media ADD COLUMN longitude REAL;
ALTER TABLE ticket_media ADD COLUMN place_title TEXT NOT NULL DEFAULT '';
ALTER TABLE ticket_media ADD COLUMN place_address TEXT NOT NULL DEFAULT '';
ALTER TABLE pending_media ADD COLUMN place_title TEXT NOT NULL DEFAULT '';
ALTER TABLE pending_media ADD COLUMN place_address TEXT NOT NULL DEFAULT '';

-- Places shared before: one item each, at the time the place was added
-- (its event), else when the ticket was opened with it.
INSERT INTO ticket_media (ticket_id, kind, file_id, chat_id, message_id, latitude, longitude, added_at)
SELECT t.id, 'location', '', coalesce(t.resident_id, 0), 0, t.place_lat, t.place_lon,
       coalesce((SELECT min(e.at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'place_added'), t.created_at)
FROM tickets t
WHERE t.place_lat IS NOT NULL;
