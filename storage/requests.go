package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hotline/roster"
)

// RequestKind is what a handler asks the centre for.
type RequestKind string

// Kinds of requests.
const (
	Extend RequestKind = "extend" // 延期: a later resolve deadline
	Return RequestKind = "return" // 退单: the ticket is not ours; the centre takes it back
)

// Decisions on a request.
const (
	Pending  = ""
	Approved = "approved"
	Refused  = "refused"
)

// Request is a handler's request to the centre about a ticket, and the
// centre's decision.
type Request struct {
	ID          int64
	TicketID    TicketID
	Kind        RequestKind
	Reason      string
	Deadline    time.Time // Extend: the resolve deadline asked for
	RequestedBy roster.StaffID
	RequestedAt time.Time
	Decision    string // Pending, Approved or Refused
	DecidedBy   roster.StaffID
	DecidedAt   time.Time
	Note        string
}

const requestCols = `id, ticket_id, kind, reason, deadline, requested_by, requested_at, decision, decided_by, decided_at, note`

func scanRequest(sc scanner) (Request, error) {
	var r Request
	var deadline, requested, decided sql.NullString
	err := sc.Scan(&r.ID, &r.TicketID, &r.Kind, &r.Reason, &deadline, &r.RequestedBy, &requested, &r.Decision,
		&r.DecidedBy, &decided, &r.Note)
	if err != nil {
		return Request{}, err
	}
	r.Deadline, r.RequestedAt, r.DecidedAt = parseTime(deadline), parseTime(requested), parseTime(decided)
	if r.Kind != Extend && r.Kind != Return {
		return Request{}, fmt.Errorf("request %d: unknown kind %q", r.ID, r.Kind)
	}
	return r, nil
}

// AddRequest stores a new pending request, filling in its ID.
func (t *Tx) AddRequest(ctx context.Context, r *Request) error {
	res, err := t.exec(ctx, `INSERT INTO ticket_requests (ticket_id, kind, reason, deadline, requested_by, requested_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.TicketID, r.Kind, r.Reason, nullTime(r.Deadline), r.RequestedBy, fmtTime(r.RequestedAt))
	if err != nil {
		return fmt.Errorf("add %s request: %w", r.Kind, err)
	}
	r.ID, err = res.LastInsertId()
	return err
}

// Request returns a request by id, or ErrNotFound.
func (t *Tx) Request(ctx context.Context, id int64) (Request, error) {
	r, err := scanRequest(t.tx.QueryRowContext(ctx, `SELECT `+requestCols+` FROM ticket_requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, ErrNotFound
	}
	if err != nil {
		return Request{}, fmt.Errorf("read request %d: %w", id, err)
	}
	return r, nil
}

// PendingRequest returns the ticket's undecided request; ok is false when
// there is none.
func (t *Tx) PendingRequest(ctx context.Context, ticketID TicketID) (Request, bool, error) {
	r, err := scanRequest(t.tx.QueryRowContext(ctx, `SELECT `+requestCols+` FROM ticket_requests
		WHERE ticket_id = ? AND decision = '' ORDER BY id DESC LIMIT 1`, ticketID))
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, false, nil
	}
	if err != nil {
		return Request{}, false, fmt.Errorf("read pending request of ticket %d: %w", ticketID, err)
	}
	return r, true, nil
}

// DecideRequest records the decision on a pending request; ok is false
// when it was already decided.
func (t *Tx) DecideRequest(ctx context.Context, r Request) (bool, error) {
	res, err := t.exec(ctx, `UPDATE ticket_requests SET decision = ?, decided_by = ?, decided_at = ?, note = ?
		WHERE id = ? AND decision = ''`, r.Decision, r.DecidedBy, fmtTime(r.DecidedAt), r.Note, r.ID)
	if err != nil {
		return false, fmt.Errorf("decide request %d: %w", r.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Requests lists a ticket's requests, oldest first, or with ticketID 0
// every pending request of an open ticket, for the centre's desk (a
// request lapses when its ticket is resolved meanwhile).
func (t *Tx) Requests(ctx context.Context, ticketID TicketID) ([]Request, error) {
	if ticketID == 0 {
		return queryAll(ctx, t.tx, "list pending requests", scanRequest,
			`SELECT `+prefixed("r.", requestCols)+` FROM ticket_requests r JOIN tickets t ON t.id = r.ticket_id
			WHERE r.decision = '' AND t.state IN ('new', 'assigned', 'accepted') ORDER BY r.requested_at, r.id`)
	}
	return queryAll(ctx, t.tx, "list requests", scanRequest,
		`SELECT `+requestCols+` FROM ticket_requests WHERE ticket_id = ? ORDER BY id`, ticketID)
}
