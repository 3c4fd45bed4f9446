package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"hotline/taxonomy"
)

// OpenProblem is what the duplicate check reads of an open ticket: no
// more than it compares, so the check stays cheap on every intake.
type OpenProblem struct {
	ID         TicketID
	Text       string
	ResidentID int64
	CreatedAt  time.Time
	Place      Place // where the resident said it is, if they did
}

// OpenProblems lists the open, matchable tickets of a village and
// category created since since, newest first: the candidates a new report
// may duplicate. It reads a partial index that holds only those.
func (t *Tx) OpenProblems(ctx context.Context, village string, category taxonomy.Category, since time.Time) ([]OpenProblem, error) {
	return queryAll(ctx, t.tx, "list open problems", func(sc scanner) (OpenProblem, error) {
		var p OpenProblem
		var created sql.NullString
		err := sc.Scan(&p.ID, &p.Text, &p.ResidentID, &created, &p.Place.Lat, &p.Place.Lon)
		p.CreatedAt = parseTime(created)
		return p, err
	}, `SELECT id, text, coalesce(resident_id, 0), created_at, coalesce(place_lat, 0), coalesce(place_lon, 0)
		FROM tickets INDEXED BY tickets_open_problem
		WHERE village = ? AND category = ? AND matchable = 1 AND state IN ('new', 'assigned', 'accepted') AND created_at >= ?
		ORDER BY id DESC LIMIT 50`, village, category, fmtTime(since))
}

// LinkedTickets lists the tickets linked to primary, oldest first.
func (t *Tx) LinkedTickets(ctx context.Context, primary TicketID) ([]Ticket, error) {
	return queryAll(ctx, t.tx, "list linked tickets", scanTicket,
		`SELECT `+ticketCols+` FROM tickets WHERE linked_to = ? AND linked_to <> 0 ORDER BY id`, primary)
}

// RelinkTickets moves the tickets linked to from onto to, when from is
// itself linked by hand to another ticket.
func (t *Tx) RelinkTickets(ctx context.Context, from, to TicketID) error {
	ids, err := queryAll(ctx, t.tx, fmt.Sprintf("list tickets linked to %d", from), func(sc scanner) (TicketID, error) {
		var id TicketID
		err := sc.Scan(&id)
		return id, err
	}, `SELECT id FROM tickets WHERE linked_to = ? AND linked_to <> 0`, from)
	if err != nil || len(ids) == 0 {
		return err
	}
	names := make([]string, len(ids))
	named := make([]any, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		names[i], named[i], args[i] = fmt.Sprintf(":l%d", i), sql.Named(fmt.Sprintf("l%d", i), id), id
	}
	return t.changeTickets(ctx, func() error {
		if _, err := t.exec(ctx, `UPDATE tickets SET linked_to = ? WHERE id IN (`+placeholders(len(ids))+`)`, append([]any{to}, args...)...); err != nil {
			return fmt.Errorf("move tickets linked to %d onto %d: %w", from, to, err)
		}
		return nil
	}, "k.id IN ("+strings.Join(names, ", ")+")", named...)
}

// IsRequester reports whether a resident reported the problem of ticket
// id: its own requester, or the requester of a ticket linked to it.
func (t *Tx) IsRequester(ctx context.Context, id TicketID, residentID int64) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE resident_id = ? AND (id = ? OR linked_to = ?)`,
		residentID, id, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("requesters of ticket %d: %w", id, err)
	}
	return n > 0, nil
}

// AddRequesters counts n more (or fewer) requesters on a ticket. It writes
// that one column: a whole-row save would rewrite the indexes of every
// column it sets, on each report linked on intake.
func (t *Tx) AddRequesters(ctx context.Context, id TicketID, n int) (int, error) {
	var total int
	err := t.tx.QueryRowContext(ctx, `UPDATE tickets SET requesters = requesters + ? WHERE id = ? RETURNING requesters`, n, id).Scan(&total)
	if err != nil {
		return 0, fmt.Errorf("count requesters of ticket %d: %w", id, err)
	}
	return total, nil
}
