package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hotline/routing"
)

// Overdue counts the open tickets past a deadline.
type Overdue struct {
	Accept  int // waiting to be accepted after their accept-by time
	Resolve int // open after their resolve-by time
}

// CountOverdue counts the open tickets past their deadlines at now, for
// /metrics. It reads on the read pool and never holds up a writer. With no
// index on state it scans the tickets table (a township's year is tens of
// thousands of rows; at a million it is a fraction of a second), so its
// caller caches the answer rather than asking on every scrape.
func (db *DB) CountOverdue(ctx context.Context, now time.Time) (Overdue, error) {
	at := fmtTime(now)
	args := []any{routing.StateNew, routing.Assigned, at, at}
	for _, s := range routing.OpenStates {
		args = append(args, s)
	}
	var o Overdue
	err := db.read.QueryRowContext(ctx, `SELECT
		coalesce(sum(state IN (?, ?) AND accept_by < ?), 0),
		coalesce(sum(resolve_by < ?), 0)
		FROM tickets WHERE state IN (?`+strings.Repeat(",?", len(routing.OpenStates)-1)+`)`, args...).Scan(&o.Accept, &o.Resolve)
	if err != nil {
		return Overdue{}, fmt.Errorf("count overdue tickets: %w", err)
	}
	return o, nil
}
