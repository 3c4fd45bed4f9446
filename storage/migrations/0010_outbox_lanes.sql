-- Priority lanes: ticket traffic (receipts, cards, answers) is sent before
-- campaign traffic (campaigns, broadcasts, signals, digests, lists).
ALTER TABLE outbox ADD COLUMN lane TEXT NOT NULL DEFAULT 'ticket';

-- The sender reads each lane's pending rows in id order from where it last
-- read. Both old indexes covered every row ever sent (the outbox is most
-- of the database) and made the due query read each pending row's earlier
-- rows of its chat; a partial index over pending rows only is small,
-- answers the read in the time of the rows it returns, whether 40 or
-- 40,000 wait, and a row leaves it when it is sent.
DROP INDEX outbox_due;
DROP INDEX outbox_chat_pending;
-- It carries chat_id so that a 403, which fails the chat's pending rows,
-- finds them in the index alone (rare enough not to pay for an index of
-- its own on every row queued).
CREATE INDEX outbox_pending ON outbox(lane, id, chat_id) WHERE status = 'pending';

-- Pruning keeps the rows an edit names; only edits have an edit_ref.
CREATE INDEX outbox_edit_ref ON outbox(edit_ref) WHERE edit_ref != 0;
