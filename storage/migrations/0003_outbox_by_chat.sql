-- Due() holds back a chat's later messages while an earlier one backs off;
-- this index makes that check a lookup.
CREATE INDEX outbox_chat_pending ON outbox(chat_id, status, id);
