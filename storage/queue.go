package storage

import (
	"context"
	"fmt"
	"time"

	"hotline/roster"
	"hotline/routing"
	"hotline/taxonomy"
)

// dueExpr is a ticket's next deadline in SQL, as notice.NextDeadline says
// it: accepting while it waits, resolving once taken (and, for a ticket
// already resolved, the deadline it was resolved against).
const dueExpr = `(CASE WHEN state IN ('new', 'assigned') THEN accept_by ELSE resolve_by END)`

// Order is how a list of tickets is sorted.
type Order int

// Orders. Work still open is sorted by its next deadline, the soonest
// first; a list that includes finished tickets, newest first (the deadline
// of a closed ticket says nothing, and the newest are the ones asked for).
const (
	ByDeadline Order = iota
	NewestFirst
)

// Cursor is a position in a list: the page after it starts with the next
// ticket. Due is used by deadline order only.
type Cursor struct {
	Due time.Time
	ID  TicketID
}

// CursorOf is the position of t.
func CursorOf(t Ticket) Cursor {
	due := t.ResolveBy
	if t.State == routing.StateNew || t.State == routing.Assigned {
		due = t.AcceptBy
	}
	return Cursor{Due: due, ID: t.ID}
}

// TicketQuery selects tickets for the desk's queue, its export and the
// API: a scope, filters and a text search, in an order, a page at a time.
// Zero fields do not filter.
type TicketQuery struct {
	Scope         Scope
	States        []routing.State // any of these
	Area          string
	Village       string
	Category      taxonomy.Category
	Urgency       taxonomy.Urgency
	HandlerID     roster.StaffID
	Overdue       bool      // open and past its next deadline at Now
	Now           time.Time // for Overdue
	Source        taxonomy.Source
	CreatedFrom   time.Time // created_at >= CreatedFrom
	CreatedBefore time.Time // created_at < CreatedBefore
	Text          string    // words the resident wrote, see search.go
	Order         Order
	After         Cursor // only tickets after this position
	Limit         int    // 0: no limit
}

// OpenOnly reports whether q selects open tickets only, the queue's
// working view: it is read from the index of open tickets alone.
func (q TicketQuery) OpenOnly() bool {
	if q.Overdue {
		return true
	}
	if len(q.States) == 0 {
		return false
	}
	for _, s := range q.States {
		if !s.Open() {
			return false
		}
	}
	return true
}

// Bounded reports whether counting q's tickets reads a bounded part of the
// history (the open ones, or a date range) rather than all of it.
func (q TicketQuery) Bounded() bool {
	return q.OpenOnly() || !q.CreatedFrom.IsZero()
}

// where is q's filters as an SQL condition on tickets, with its arguments;
// the text search and the cursor are the callers'.
func (q TicketQuery) where() (string, []any) {
	cond, args := q.Scope.where()
	add := func(c string, vs ...any) {
		cond += " AND " + c
		args = append(args, vs...)
	}
	if q.OpenOnly() {
		add(openTerm) // the partial index's own words, or SQLite would not use it
	}
	if len(q.States) > 0 {
		add("state IN ("+placeholders(len(q.States))+")", anys(q.States)...)
	}
	for _, f := range []struct {
		col string
		v   any
		set bool
	}{
		{"area", q.Area, q.Area != ""},
		{"village", q.Village, q.Village != ""},
		{"category", q.Category, q.Category != ""},
		{"urgency", q.Urgency, q.Urgency != ""},
		{"handler_id", q.HandlerID, q.HandlerID != 0},
	} {
		if f.set {
			add(f.col+" = ?", f.v)
		}
	}
	if q.Overdue {
		add(dueExpr+" < ?", fmtTime(q.Now))
	}
	if q.Source != "" {
		add("source = ?", q.Source)
	}
	if !q.CreatedFrom.IsZero() {
		add("created_at >= ?", fmtTime(q.CreatedFrom))
	}
	if !q.CreatedBefore.IsZero() {
		add("created_at < ?", fmtTime(q.CreatedBefore))
	}
	return cond, args
}

func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// page is the cursor and order of q as SQL: the condition that starts
// after the cursor, and the ORDER BY.
func (q TicketQuery) page() (after string, args []any, order string) {
	if q.Order == NewestFirst {
		if q.After.ID != 0 {
			return " AND id < ?", []any{q.After.ID}, " ORDER BY id DESC"
		}
		return "", nil, " ORDER BY id DESC"
	}
	if q.After.ID != 0 {
		return " AND (" + dueExpr + ", id) > (?, ?)", []any{fmtTime(q.After.Due), q.After.ID}, " ORDER BY " + dueExpr + ", id"
	}
	return "", nil, " ORDER BY " + dueExpr + ", id"
}

// QueryTickets lists the tickets q selects, in q's order. Open tickets are
// picked and ordered in the index of open tickets and only the page is
// read; a text search over the history walks the search index newest first
// (searchNewest); anything else reads the rows newest first, stopping at
// the page's end.
func (t *Tx) QueryTickets(ctx context.Context, q TicketQuery) ([]Ticket, error) {
	if q.Text != "" && !q.OpenOnly() && q.Order == NewestFirst {
		return t.searchNewest(ctx, q)
	}
	sql, args := q.listSQL()
	return queryAll(ctx, t.tx, "query tickets", scanTicket, sql, args...)
}

// listSQL is the query of a list, but for a search over the history.
func (q TicketQuery) listSQL() (string, []any) {
	cond, args := q.where()
	if q.Text != "" {
		c, a := searchCond(q.Text)
		cond, args = cond+" AND +"+c, append(args, a...) // +: never drive the list from the ids
	}
	after, afterArgs, order := q.page()
	cond, args = cond+after, append(args, afterArgs...)
	limit := ""
	if q.Limit > 0 {
		limit, args = " LIMIT ?", append(args, q.Limit)
	}
	if q.Limit <= 0 {
		return `SELECT ` + ticketCols + ` FROM tickets WHERE ` + cond + order + limit, args
	}
	// Pick the page's ids first, from an index alone where one covers the
	// filters (the open tickets; a date range of the whole township), and
	// read only those rows: sorting ids costs little, reading rows a lot.
	return `SELECT ` + ticketCols + ` FROM tickets WHERE id IN (SELECT id FROM tickets WHERE ` + cond + order + limit + `)` + order, args
}

// CountTickets counts the tickets q selects, ignoring its cursor and
// limit, but stops at upTo (when > 0): a page says "more than 10,000"
// rather than counting a million rows.
func (t *Tx) CountTickets(ctx context.Context, q TicketQuery, upTo int) (int, error) {
	cond, args := q.where()
	if q.Text != "" {
		c, a := searchCond(q.Text)
		cond, args = cond+" AND +"+c, append(args, a...)
	}
	sql := `SELECT count(*) FROM tickets WHERE ` + cond
	if upTo > 0 {
		sql = `SELECT count(*) FROM (SELECT 1 FROM tickets WHERE ` + cond + ` LIMIT ?)`
		args = append(args, upTo)
	}
	var n int
	if err := t.tx.QueryRowContext(ctx, sql, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count tickets: %w", err)
	}
	return n, nil
}

// CountEvents counts a ticket's events of one kind, e.g. how often it was
// urged.
func (t *Tx) CountEvents(ctx context.Context, ticketID TicketID, kind string) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM ticket_events WHERE ticket_id = ? AND kind = ?`, ticketID, kind).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count %s events of ticket %d: %w", kind, ticketID, err)
	}
	return n, nil
}
