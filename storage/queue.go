package storage

import (
	"context"
	"fmt"
	"time"

	"hotline/roster"
	"hotline/routing"
	"hotline/taxonomy"
)

// Source is where a ticket came from.
type Source string

// Sources a ticket can have today: a resident wrote to the bot, or
// answered a campaign's check-in (the ticket then carries the campaign).
const (
	SourceTelegram Source = "telegram"
	SourceCheckin  Source = "checkin"
)

// Sources lists the sources in display order.
var Sources = []Source{SourceTelegram, SourceCheckin}

// Valid reports whether s is a known source.
func (s Source) Valid() bool { return s == SourceTelegram || s == SourceCheckin }

// Source is where the ticket came from.
func (t Ticket) Source() Source {
	if t.Campaign != "" {
		return SourceCheckin
	}
	return SourceTelegram
}

// dueExpr is a ticket's next deadline in SQL, as notice.NextDeadline says
// it: accepting while it waits, resolving once taken (and, for a ticket
// already resolved, the deadline it was resolved against). The open-ticket
// index is on exactly this expression.
const dueExpr = `(CASE WHEN state IN ('new', 'assigned') THEN accept_by ELSE resolve_by END)`

// openCond is the open states as the partial index on open tickets says
// them: a query must repeat it word for word for SQLite to use the index.
const openCond = `state IN ('new', 'assigned', 'accepted')`

// Cursor is a position in a list sorted by deadline: the page after it
// starts with the next ticket.
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
// API: a scope, filters and a text search, sorted by deadline (then
// number), a page at a time. Zero fields do not filter.
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
	Source        Source
	CreatedFrom   time.Time // created_at >= CreatedFrom
	CreatedBefore time.Time // created_at < CreatedBefore
	Text          string    // words the resident wrote, see search.go
	After         Cursor    // only tickets after this position
	Limit         int       // 0: no limit
}

// where is q as an SQL condition on tickets, with its arguments.
func (q TicketQuery) where() (string, []any) {
	cond, args := q.Scope.where()
	add := func(c string, vs ...any) {
		cond += " AND " + c
		args = append(args, vs...)
	}
	if len(q.States) > 0 {
		if allOpen(q.States) {
			add(openCond) // lets SQLite use the open-ticket index
		}
		add("state IN (" + placeholders(len(q.States)) + ")")
		for _, s := range q.States {
			args = append(args, s)
		}
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
		add(openCond+" AND "+dueExpr+" < ?", fmtTime(q.Now))
	}
	switch q.Source {
	case SourceTelegram:
		add("campaign = ''")
	case SourceCheckin:
		add("campaign <> ''")
	}
	if !q.CreatedFrom.IsZero() {
		add("created_at >= ?", fmtTime(q.CreatedFrom))
	}
	if !q.CreatedBefore.IsZero() {
		add("created_at < ?", fmtTime(q.CreatedBefore))
	}
	if q.Text != "" {
		c, a := searchCond(q.Text)
		add(c, a...)
	}
	if q.After.ID != 0 {
		add("("+dueExpr+", id) > (?, ?)", fmtTime(q.After.Due), q.After.ID)
	}
	return cond, args
}

func allOpen(states []routing.State) bool {
	for _, s := range states {
		if !s.Open() {
			return false
		}
	}
	return true
}

// QueryTickets lists the tickets q selects, soonest deadline first.
func (t *Tx) QueryTickets(ctx context.Context, q TicketQuery) ([]Ticket, error) {
	cond, args := q.where()
	sql := `SELECT ` + ticketCols + ` FROM tickets WHERE ` + cond + ` ORDER BY ` + dueExpr + `, id`
	if q.Limit > 0 {
		sql += ` LIMIT ?`
		args = append(args, q.Limit)
	}
	return queryAll(ctx, t.tx, "query tickets", scanTicket, sql, args...)
}

// CountTickets counts the tickets q selects, ignoring its cursor and
// limit, but stops at upTo (when > 0): a page says "more than 10,000"
// rather than counting a million rows.
func (t *Tx) CountTickets(ctx context.Context, q TicketQuery, upTo int) (int, error) {
	q.After, q.Limit = Cursor{}, 0
	cond, args := q.where()
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
