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
// [from, before), by id, for the "has it been fixed?" follow-up; the
// partial index over resolved_at makes it read only those.
func (t *Tx) TicketsResolvedBetween(ctx context.Context, from, before time.Time) ([]Ticket, error) {
	return queryAll(ctx, t.tx, "list resolved tickets", scanTicket, `SELECT `+ticketCols+` FROM tickets INDEXED BY tickets_resolved
		WHERE resident_id IS NOT NULL AND resolved_at >= ? AND resolved_at < ? ORDER BY id`, fmtTime(from), fmtTime(before))
}

// DueTickets lists the open tickets the deadline job must look at by now
// (their wake_at has come), soonest first: a small range of the index over
// open tickets, however many tickets there are.
func (t *Tx) DueTickets(ctx context.Context, now time.Time) ([]Ticket, error) {
	return queryAll(ctx, t.tx, "list due tickets", scanTicket, `SELECT `+ticketCols+` FROM tickets INDEXED BY tickets_open
		WHERE `+openTerm+` AND wake_at <= ? ORDER BY wake_at, id`, fmtTime(now))
}

// SetTicketWake records when the deadline job must next look at a ticket;
// zero for not until it changes.
func (t *Tx) SetTicketWake(ctx context.Context, id TicketID, at time.Time) error {
	if _, err := t.exec(ctx, `UPDATE tickets SET wake_at = ? WHERE id = ?`, nullTime(at), id); err != nil {
		return fmt.Errorf("set wake of ticket %d: %w", id, err)
	}
	return nil
}

// JobCursor returns how far a job that reads by time has got; ok is false
// before its first pass.
func (t *Tx) JobCursor(ctx context.Context, job string) (time.Time, bool, error) {
	return queryTime(ctx, t.tx, "read cursor of "+job, `SELECT at FROM job_cursors WHERE job = ? AND at <> ''`, job)
}

// SetJobCursor stores how far a job got, in the transaction that did the
// work up to there.
func (t *Tx) SetJobCursor(ctx context.Context, job string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO job_cursors (job, at) VALUES (?, ?)
		ON CONFLICT (job) DO UPDATE SET at = excluded.at`, job, fmtTime(at))
	if err != nil {
		return fmt.Errorf("store cursor of %s: %w", job, err)
	}
	return nil
}
