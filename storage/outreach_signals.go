package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline/taxonomy"
)

// LastSignal returns when the last alert for a village and category was
// raised; ok is false when never.
func (t *Tx) LastSignal(ctx context.Context, village string, category taxonomy.Category) (time.Time, bool, error) {
	var s sql.NullString
	err := t.tx.QueryRowContext(ctx, `SELECT max(at) FROM outreach_signals WHERE village = ? AND category = ?`,
		village, category).Scan(&s)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read last signal: %w", err)
	}
	return parseTime(s), s.Valid, nil
}

// AddSignal records an alert and returns its id.
func (t *Tx) AddSignal(ctx context.Context, village string, category taxonomy.Category, tickets int, at time.Time) (int64, error) {
	res, err := t.exec(ctx, `INSERT INTO outreach_signals (village, category, at, tickets) VALUES (?, ?, ?, ?)`,
		village, category, fmtTime(at), tickets)
	if err != nil {
		return 0, fmt.Errorf("record signal: %w", err)
	}
	return res.LastInsertId()
}

// TicketsResolvedBetween lists tickets with a resident resolved in
// [from, before), by id, for the "has it been fixed?" follow-up.
func (t *Tx) TicketsResolvedBetween(ctx context.Context, from, before time.Time) ([]Ticket, error) {
	return queryAll(ctx, t.tx, "list resolved tickets", scanTicket, `SELECT `+ticketCols+` FROM tickets WHERE resident_id IS NOT NULL
		AND resolved_at >= ? AND resolved_at < ? ORDER BY id`, fmtTime(from), fmtTime(before))
}

// DueTickets lists open tickets whose accept or resolve deadline is before
// horizon, for SLA reminders and escalations.
func (t *Tx) DueTickets(ctx context.Context, horizon time.Time) ([]Ticket, error) {
	h := fmtTime(horizon)
	return queryAll(ctx, t.tx, "list due tickets", scanTicket, `SELECT `+ticketCols+` FROM tickets WHERE
		(state = 'assigned' AND accept_by < ?) OR (state IN ('assigned', 'accepted') AND resolve_by < ?) ORDER BY id`, h, h)
}
