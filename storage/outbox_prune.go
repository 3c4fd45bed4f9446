package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline/routing"
)

// pruneChunk is how many ids one pruning transaction looks at: small
// enough that intake waits for it no longer than for one of its own.
const pruneChunk = 500

// PruneOutbox deletes the sent and failed rows created before before and
// returns how many went. It keeps what the history still needs: the card
// of every ticket not yet closed (its buttons are edited as the ticket
// moves, and a resolved ticket can be reopened) and every row an edit row
// names. The newest row always stays, so that an id is never handed out
// twice (SQLite reuses the highest rowid once it is deleted).
//
// It walks the oldest rows in id order, a chunk per short transaction, and
// stops at the first chunk that is all younger than before: ids grow with
// time, so no younger row is ever read.
func (db *DB) PruneOutbox(ctx context.Context, before time.Time) (int, error) {
	head, err := db.Head(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := fmtTime(before)
	total := 0
	for last := int64(0); ; {
		var hi sql.NullInt64
		var oldest sql.NullString
		err := db.read.QueryRowContext(ctx, `SELECT max(id), min(created_at) FROM
			(SELECT id, created_at FROM outbox WHERE id > ? AND id < ? ORDER BY id LIMIT ?)`,
			last, head, pruneChunk).Scan(&hi, &oldest)
		if err != nil {
			return total, fmt.Errorf("prune outbox: %w", err)
		}
		if !hi.Valid || oldest.String >= cutoff {
			return total, nil
		}
		err = db.Update(ctx, func(t *Tx) error {
			res, err := t.exec(ctx, `DELETE FROM outbox WHERE id > ? AND id <= ? AND created_at < ?
				AND status IN (?, ?)
				AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.edit_ref = outbox.id AND e.edit_ref != 0)
				AND NOT EXISTS (SELECT 1 FROM tickets k WHERE k.id = outbox.ticket_id
					AND k.card_outbox = outbox.id AND k.state != ?)`,
				last, hi.Int64, cutoff, OutboxSent, OutboxFailed, routing.Closed)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			total += int(n)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("prune outbox: %w", err)
		}
		last = hi.Int64
	}
}
