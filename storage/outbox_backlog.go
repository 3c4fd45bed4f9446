package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// assumedRate is the sender's global rate in messages a second (the
// default of bot.DefaultLimits) until it has saved the rate it runs at.
const assumedRate = 25

// Backlog is how far behind the sender is.
type Backlog struct {
	// Pending is how many rows of each lane wait.
	Pending map[Lane]int
	// OldestDue is the age of each lane's oldest row that is due (not
	// backing off); 0 when none is.
	OldestDue map[Lane]time.Duration
	// AheadOfTickets estimates how long a ticket row queued now waits
	// for the rows ahead of it: the ticket lane's pending rows at the
	// sender's current global rate. Campaign rows are never ahead of it.
	AheadOfTickets time.Duration
}

// OutboxBacklog measures the backlog at now. It counts the pending index
// only, so it is cheap enough for every /metrics scrape.
func (db *DB) OutboxBacklog(ctx context.Context, now time.Time) (Backlog, error) {
	b := Backlog{Pending: map[Lane]int{}, OldestDue: map[Lane]time.Duration{}}
	rate := float64(assumedRate)
	err := db.View(ctx, func(t *Tx) error {
		for _, lane := range []Lane{LaneTicket, LaneCampaign} {
			var n int
			if err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE lane = ? AND status = 'pending'`,
				lane).Scan(&n); err != nil {
				return fmt.Errorf("count pending %s rows: %w", lane, err)
			}
			b.Pending[lane] = n
			var created sql.NullString
			err := t.tx.QueryRowContext(ctx, `SELECT created_at FROM outbox WHERE lane = ? AND status = 'pending'
				AND next_attempt_at <= ? ORDER BY id LIMIT 1`, lane, fmtTime(now)).Scan(&created)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				b.OldestDue[lane] = 0
			case err != nil:
				return fmt.Errorf("read oldest due %s row: %w", lane, err)
			default:
				b.OldestDue[lane] = max(now.Sub(parseTime(created)), 0)
			}
		}
		var saved float64
		err := t.tx.QueryRowContext(ctx, `SELECT rate FROM sender_rate WHERE id = 1`).Scan(&saved)
		switch {
		case err == nil && saved > 0:
			rate = saved
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("read send rate: %w", err)
		}
		return nil
	})
	if err != nil {
		return Backlog{}, err
	}
	b.AheadOfTickets = time.Duration(float64(b.Pending[LaneTicket]) / rate * float64(time.Second))
	return b, nil
}
