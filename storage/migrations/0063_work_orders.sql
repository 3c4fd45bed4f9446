-- 12345 work orders imported from the district platform's exports. Each
-- order is one ticket (source '12345', external_id its number); the row
-- keeps the order as last imported and its fingerprint, so a re-import of
-- the same file changes nothing and a re-export with changes updates the
-- ticket and records what changed.
CREATE TABLE work_orders (
    number        TEXT PRIMARY KEY,               -- 工单编号
    ticket_id     INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
    fields        TEXT NOT NULL,                  -- JSON: the order's columns as last imported
    fingerprint   TEXT NOT NULL,                  -- hash of fields
    dispatched_at TEXT,                           -- 派单时间 (else 受理时间)
    order_type    TEXT NOT NULL DEFAULT '',       -- 咨询, 求助, 投诉, 举报, 建议
    supervised    INTEGER NOT NULL DEFAULT 0,     -- 督办标志
    imported_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    source_file   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX work_orders_dispatched ON work_orders(dispatched_at);
