package storage

import (
	"context"
	"fmt"
	"time"
)

// JournalUpdate stores a raw inbound update on receipt, before it is
// acknowledged to Telegram. A redelivered update is kept once.
func (db *DB) JournalUpdate(ctx context.Context, updateID int64, raw []byte, now time.Time) error {
	return db.JournalUpdates(ctx, []RawUpdate{{ID: updateID, Raw: raw}}, now)
}

// RawUpdate is an inbound update as received.
type RawUpdate struct {
	ID  int64
	Raw []byte
}

// JournalUpdates stores the updates of one delivery (a getUpdates
// response) in one transaction, which webhook deliveries arriving at once
// share (UpdateShared). A redelivered update is kept once.
func (db *DB) JournalUpdates(ctx context.Context, ups []RawUpdate, now time.Time) error {
	return db.UpdateShared(ctx, func(ctx context.Context, t *Tx) error {
		for _, u := range ups {
			_, err := t.exec(ctx, `INSERT INTO updates (update_id, raw, received_at) VALUES (?, ?, ?)
				ON CONFLICT (update_id) DO NOTHING`, u.ID, string(u.Raw), fmtTime(now))
			if err != nil {
				return fmt.Errorf("journal update %d: %w", u.ID, err)
			}
		}
		return nil
	})
}

// ClaimUpdate marks an update processed in this transaction. It returns
// false when the update was processed before: the caller must then do
// nothing, so a redelivered update has no second effect. The raw update is
// dropped: only its id is needed from now on, and it holds more than the
// hotline keeps (a shared contact's full number, chatter from a group).
func (t *Tx) ClaimUpdate(ctx context.Context, updateID int64, now time.Time) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO updates (update_id, received_at, processed_at) VALUES (?, ?, ?)
		ON CONFLICT (update_id) DO UPDATE SET processed_at = excluded.processed_at, raw = '' WHERE updates.processed_at IS NULL`,
		updateID, fmtTime(now), fmtTime(now))
	if err != nil {
		return false, fmt.Errorf("claim update %d: %w", updateID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim update %d: %w", updateID, err)
	}
	return n == 1, nil
}

// FailUpdate counts a failed attempt at processing an update (its
// transaction rolled back) and returns how many attempts failed so far.
func (t *Tx) FailUpdate(ctx context.Context, updateID int64, reason string, now time.Time) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `INSERT INTO updates (update_id, received_at, attempts, last_error) VALUES (?, ?, 1, ?)
		ON CONFLICT (update_id) DO UPDATE SET attempts = updates.attempts + 1, last_error = excluded.last_error
		RETURNING attempts`, updateID, fmtTime(now), reason).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count failed update %d: %w", updateID, err)
	}
	return n, nil
}

// UnprocessedUpdates returns journalled updates that were never processed
// (the service stopped between receipt and commit, or processing failed),
// oldest first.
func (db *DB) UnprocessedUpdates(ctx context.Context) (ids []int64, raws [][]byte, err error) {
	return db.unprocessed(ctx, false)
}

// FailedUpdates returns the unprocessed updates whose processing failed at
// least once, oldest first. The others are still on their way to the
// handler and must not be taken out of their turn.
func (db *DB) FailedUpdates(ctx context.Context) (ids []int64, raws [][]byte, err error) {
	return db.unprocessed(ctx, true)
}

func (db *DB) unprocessed(ctx context.Context, failedOnly bool) (ids []int64, raws [][]byte, err error) {
	rows, err := db.read.QueryContext(ctx, `SELECT update_id, raw FROM updates
		WHERE processed_at IS NULL AND raw <> '' AND (attempts > 0 OR NOT ?) ORDER BY update_id`, failedOnly)
	if err != nil {
		return nil, nil, fmt.Errorf("read unprocessed updates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, nil, fmt.Errorf("read unprocessed updates: %w", err)
		}
		ids, raws = append(ids, id), append(raws, []byte(raw))
	}
	return ids, raws, rows.Err()
}

// LastUpdateID is the highest update id ever journalled, 0 for none. A
// local Bot API that starts afresh numbers its updates after it, so that
// none of them looks already processed.
func (db *DB) LastUpdateID(ctx context.Context) (int64, error) {
	var id int64
	if err := db.read.QueryRowContext(ctx, `SELECT coalesce(max(update_id), 0) FROM updates`).Scan(&id); err != nil {
		return 0, fmt.Errorf("read last update id: %w", err)
	}
	return id, nil
}
