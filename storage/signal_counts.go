package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hotline/taxonomy"
)

// NewTicket is what the signal job counts of a ticket.
type NewTicket struct {
	ID        TicketID
	Village   string
	Category  taxonomy.Category
	CreatedAt time.Time
}

// TicketsAfter lists up to limit tickets with an id above after, by id:
// a range of the primary key, however many tickets there are.
func (t *Tx) TicketsAfter(ctx context.Context, after TicketID, limit int) ([]NewTicket, error) {
	return queryAll(ctx, t.tx, "list new tickets", func(sc scanner) (NewTicket, error) {
		var n NewTicket
		var created sql.NullString
		err := sc.Scan(&n.ID, &n.Village, &n.Category, &created)
		n.CreatedAt = parseTime(created)
		return n, err
	}, `SELECT id, village, category, created_at FROM tickets WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
}

// LastTicketBefore is the id of the last ticket created before at (0 for
// none), where a count that starts at at begins.
func (t *Tx) LastTicketBefore(ctx context.Context, at time.Time) (TicketID, error) {
	var id sql.NullInt64
	err := t.tx.QueryRowContext(ctx, `SELECT max(id) FROM tickets WHERE id < coalesce(
		(SELECT id FROM tickets WHERE created_at >= ? ORDER BY created_at LIMIT 1), (SELECT max(id) + 1 FROM tickets))`,
		fmtTime(at)).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find the first ticket since %s: %w", fmtTime(at), err)
	}
	return TicketID(id.Int64), nil
}

// DayCount is the tickets of one village and category on one UTC day.
type DayCount struct {
	Village  string
	Category taxonomy.Category
	Day      string // YYYY-MM-DD
	N        int
}

// AddDayCounts adds counts to the per-day tallies.
func (t *Tx) AddDayCounts(ctx context.Context, counts []DayCount) error {
	for _, c := range counts {
		if _, err := t.exec(ctx, `INSERT INTO ticket_day_counts (village, category, day, n) VALUES (?, ?, ?, ?)
			ON CONFLICT (village, category, day) DO UPDATE SET n = n + excluded.n`, c.Village, c.Category, c.Day, c.N); err != nil {
			return fmt.Errorf("count tickets of %s %s on %s: %w", c.Village, c.Category, c.Day, err)
		}
	}
	return nil
}

// DayCountSum sums the tallies of a village and category over the days
// [from, to) (YYYY-MM-DD).
func (t *Tx) DayCountSum(ctx context.Context, village string, category taxonomy.Category, from, to string) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM ticket_day_counts
		WHERE village = ? AND category = ? AND day >= ? AND day < ?`, village, category, from, to).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sum tickets of %s %s: %w", village, category, err)
	}
	return n, nil
}

// JobPosition is the last ticket id a job that reads by id has handled;
// ok is false before its first pass.
func (t *Tx) JobPosition(ctx context.Context, job string) (TicketID, bool, error) {
	var id TicketID
	err := t.tx.QueryRowContext(ctx, `SELECT last_id FROM job_cursors WHERE job = ?`, job).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read position of %s: %w", job, err)
	}
	return id, true, nil
}

// SetJobPosition stores the last ticket id a job handled, in the
// transaction that recorded what it did with them.
func (t *Tx) SetJobPosition(ctx context.Context, job string, id TicketID) error {
	_, err := t.exec(ctx, `INSERT INTO job_cursors (job, last_id) VALUES (?, ?)
		ON CONFLICT (job) DO UPDATE SET last_id = excluded.last_id`, job, id)
	if err != nil {
		return fmt.Errorf("store position of %s: %w", job, err)
	}
	return nil
}

// Cluster is the tickets of one village and category in a window.
type Cluster struct {
	Village  string
	Category taxonomy.Category
	N        int
}

// Clusters counts the tickets created in [from, to) by village and
// category, keeping groups of at least min tickets with a village.
func (t *Tx) Clusters(ctx context.Context, from, to time.Time, min int) ([]Cluster, error) {
	return queryAll(ctx, t.tx, "find clusters", func(sc scanner) (Cluster, error) {
		var c Cluster
		err := sc.Scan(&c.Village, &c.Category, &c.N)
		return c, err
	}, `SELECT village, category, count(*) FROM tickets WHERE created_at >= ? AND created_at < ? AND village <> ''
		GROUP BY village, category HAVING count(*) >= ? ORDER BY min(id)`, fmtTime(from), fmtTime(to), min)
}
