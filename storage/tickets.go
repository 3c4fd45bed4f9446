package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hotline/roster"
	"hotline/routing"
	"hotline/taxonomy"
)

// TicketID is a ticket's row id. People see its Number instead.
type TicketID int64

// Ticket is one resident request and where it stands.
type Ticket struct {
	ID          TicketID
	Number      string // 2026-000123
	ResidentID  int64  // 0 when no resident is linked
	Text        string
	Category    taxonomy.Category
	Urgency     taxonomy.Urgency
	Village     string
	Area        string
	Confidence  float64
	Classifier  string
	State       routing.State
	HandlerID   roster.StaffID
	HandlerName string
	HandlerRole roster.Role
	Level       int
	AcceptBy    time.Time
	ResolveBy   time.Time
	CreatedAt   time.Time
	AcceptedAt  time.Time
	ResolvedAt  time.Time
	ClosedAt    time.Time
	ResultNote  string
	Rating      int // 0 = not rated
	Reopened    int
	Campaign    string
	CardChat    int64
	CardOutbox  int64
	// WakeAt is when the deadline job must next look at the ticket (a
	// reminder or a deadline may fall due then); zero when nothing will
	// until the ticket changes. The lifecycle keeps it.
	WakeAt time.Time

	Source         taxonomy.Source
	RequesterName  string          // a requester with no chat (ResidentID 0): their name
	RequesterPhone string          // ... and phone; shown masked except to the handler who must call
	OpenedBy       roster.StaffID  // staff who opened it on someone's behalf; 0 when the requester did
	ExternalID     string          // the order's number on the 12345 platform
	ReplyBy        time.Time       // a reply promised to the requester; zero when none was
	ContactedAt    time.Time       // the handler phoned the requester first (先行联系); zero until then
	Outcome        routing.Outcome // what the handler said became of the problem; "" until resolved
	LinkedTo       TicketID        // the open ticket with the same problem this one follows; 0 for none
	Requesters     int             // on a primary: how many people reported the problem (1 alone)
	Matchable      bool            // another report may be the same problem (see package sameproblem)

	Place     Place  // where the resident said it is; zero for nowhere
	Emergency string // the life-safety situation it reports (intents.EmergencyKind); "" for none
	Voice     int    // seconds of the voice message it was opened from; 0 for words
	// On a ticket sent back with 未解决: the result note the resident
	// rejected, and what they said is still wrong.
	ReopenNote, ReopenReason string
}

// Place is a point a resident shared (WGS-84, as Telegram gives it). The
// zero Place is none: (0, 0) is in the Gulf of Guinea, where no township
// of this hotline lies.
type Place struct{ Lat, Lon float64 }

// Known reports whether p is a place.
func (p Place) Known() bool { return p != Place{} }

// column is a coordinate of p as stored: NULL for no place.
func (p Place) column(lat bool) any {
	switch {
	case !p.Known():
		return nil
	case lat:
		return p.Lat
	}
	return p.Lon
}

// HasChat reports whether the requester can be written to through the
// bot; otherwise the handler phones them.
func (t Ticket) HasChat() bool { return t.ResidentID != 0 }

const ticketCols = `id, number, coalesce(resident_id, 0), text, category, urgency, village, area, confidence, classifier,
	state, handler_id, handler_name, handler_role, level, accept_by, resolve_by, created_at, accepted_at,
	resolved_at, closed_at, result_note, coalesce(rating, 0), reopened, campaign, card_chat, card_outbox, wake_at,
	coalesce(place_lat, 0), coalesce(place_lon, 0), emergency, voice, reopen_note, reopen_reason,
	source, requester_name, requester_phone, opened_by, external_id, reply_by, contacted_at, outcome, linked_to, requesters, matchable`

func scanTicket(sc scanner) (Ticket, error) {
	var t Ticket
	var acceptBy, resolveBy, created, accepted, resolved, closed, wake, replyBy, contacted sql.NullString
	err := sc.Scan(&t.ID, &t.Number, &t.ResidentID, &t.Text, &t.Category, &t.Urgency, &t.Village, &t.Area,
		&t.Confidence, &t.Classifier, &t.State, &t.HandlerID, &t.HandlerName, &t.HandlerRole, &t.Level,
		&acceptBy, &resolveBy, &created, &accepted, &resolved, &closed, &t.ResultNote, &t.Rating, &t.Reopened,
		&t.Campaign, &t.CardChat, &t.CardOutbox, &wake,
		&t.Place.Lat, &t.Place.Lon, &t.Emergency, &t.Voice, &t.ReopenNote, &t.ReopenReason,
		&t.Source, &t.RequesterName, &t.RequesterPhone, &t.OpenedBy, &t.ExternalID, &replyBy, &contacted, &t.Outcome,
		&t.LinkedTo, &t.Requesters, &t.Matchable)
	if err != nil {
		return Ticket{}, err
	}
	t.AcceptBy, t.ResolveBy, t.CreatedAt = parseTime(acceptBy), parseTime(resolveBy), parseTime(created)
	t.AcceptedAt, t.ResolvedAt, t.ClosedAt = parseTime(accepted), parseTime(resolved), parseTime(closed)
	t.WakeAt = parseTime(wake)
	t.ReplyBy, t.ContactedAt = parseTime(replyBy), parseTime(contacted)
	return t, t.check()
}

// check refuses a row whose domain values this version does not know, so
// that no caller acts on a state or category it cannot handle.
func (t Ticket) check() error {
	switch {
	case !t.Category.Valid():
		return fmt.Errorf("ticket %d: unknown category %q", t.ID, t.Category)
	case !t.Urgency.Valid():
		return fmt.Errorf("ticket %d: unknown urgency %q", t.ID, t.Urgency)
	case !t.State.Valid():
		return fmt.Errorf("ticket %d: unknown state %q", t.ID, t.State)
	case t.HandlerRole != "" && !t.HandlerRole.Valid():
		return fmt.Errorf("ticket %d: unknown handler role %q", t.ID, t.HandlerRole)
	case !t.Source.Valid():
		return fmt.Errorf("ticket %d: unknown source %q", t.ID, t.Source)
	case t.Outcome != "" && !t.Outcome.Valid():
		return fmt.Errorf("ticket %d: unknown outcome %q", t.ID, t.Outcome)
	}
	return nil
}

// nextTicketNumber allocates the next human-friendly number of the year.
func (t *Tx) nextTicketNumber(ctx context.Context, year int) (string, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `INSERT INTO ticket_numbers (year, last) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last`, year).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("allocate ticket number: %w", err)
	}
	return fmt.Sprintf("%d-%06d", year, n), nil
}

// InsertTicket stores a new ticket, filling in its ID and Number. A ticket
// without a Source is a resident's own message (telegram); an unknown one
// is refused.
func (t *Tx) InsertTicket(ctx context.Context, tk *Ticket) error {
	num, err := t.nextTicketNumber(ctx, tk.CreatedAt.In(numberZone).Year())
	if err != nil {
		return err
	}
	var resident any
	if tk.ResidentID != 0 {
		resident = tk.ResidentID
	}
	if tk.Source == "" {
		tk.Source = taxonomy.Telegram // as for every ticket from before sources were recorded
	}
	if !tk.Source.Valid() {
		return fmt.Errorf("insert ticket: unknown source %q", tk.Source)
	}
	res, err := t.exec(ctx, `INSERT INTO tickets (number, resident_id, text, category, urgency, village, area,
		confidence, classifier, state, handler_id, handler_name, handler_role, level, accept_by, resolve_by,
		created_at, campaign, wake_at, place_lat, place_lon, emergency, voice,
		source, requester_name, requester_phone, opened_by, external_id, reply_by, linked_to, matchable)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		num, resident, tk.Text, tk.Category, tk.Urgency, tk.Village, tk.Area, tk.Confidence, tk.Classifier,
		tk.State, tk.HandlerID, tk.HandlerName, tk.HandlerRole, tk.Level, fmtTime(tk.AcceptBy),
		fmtTime(tk.ResolveBy), fmtTime(tk.CreatedAt), tk.Campaign, nullTime(tk.WakeAt),
		tk.Place.column(true), tk.Place.column(false), tk.Emergency, tk.Voice,
		tk.Source, tk.RequesterName, tk.RequesterPhone, tk.OpenedBy, tk.ExternalID, nullTime(tk.ReplyBy), tk.LinkedTo, tk.Matchable)
	if err != nil {
		return fmt.Errorf("insert ticket: %w", unique(err))
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("insert ticket: %w", err)
	}
	tk.ID, tk.Number, tk.Requesters = TicketID(id), num, 1
	if t.sawOpen(*tk) {
		return nil // the rollup counts tickets once they are no longer open
	}
	return t.rollupTicket(ctx, 1, TicketID(id))
}

// numberZone is the zone whose calendar year starts a new ticket sequence.
var numberZone = time.FixedZone("CST", 8*3600)

// SaveTicket writes back every mutable field of tk, and moves its counts
// in the reports' rollup.
func (t *Tx) SaveTicket(ctx context.Context, tk Ticket) error {
	if !t.open[tk.ID] {
		if err := t.rollupTicket(ctx, -1, tk.ID); err != nil {
			return err
		}
	}
	if err := t.saveTicket(ctx, tk); err != nil || t.sawOpen(tk) {
		return err // an open ticket is not in the rollup
	}
	return t.rollupTicket(ctx, 1, tk.ID)
}

// sawOpen notes whether tk, as just read or written, is open, and says so.
func (t *Tx) sawOpen(tk Ticket) bool {
	if !tk.State.Open() {
		delete(t.open, tk.ID)
		return false
	}
	if t.open == nil {
		t.open = map[TicketID]bool{}
	}
	t.open[tk.ID] = true
	return true
}

func (t *Tx) saveTicket(ctx context.Context, tk Ticket) error {
	var rating any
	if tk.Rating > 0 {
		rating = tk.Rating
	}
	_, err := t.exec(ctx, `UPDATE tickets SET category = ?, urgency = ?, village = ?, area = ?, confidence = ?,
		classifier = ?, state = ?, handler_id = ?, handler_name = ?, handler_role = ?, level = ?, accept_by = ?,
		resolve_by = ?, accepted_at = ?, resolved_at = ?, closed_at = ?, result_note = ?, rating = ?,
		reopened = ?, card_chat = ?, card_outbox = ?, wake_at = ?, place_lat = ?, place_lon = ?,
		reopen_note = ?, reopen_reason = ?, text = ?, requester_name = ?, requester_phone = ?, reply_by = ?,
		contacted_at = ?, outcome = ?, linked_to = ?, requesters = ?, matchable = ? WHERE id = ?`,
		tk.Category, tk.Urgency, tk.Village, tk.Area, tk.Confidence, tk.Classifier, tk.State, tk.HandlerID,
		tk.HandlerName, tk.HandlerRole, tk.Level, fmtTime(tk.AcceptBy), fmtTime(tk.ResolveBy),
		nullTime(tk.AcceptedAt), nullTime(tk.ResolvedAt), nullTime(tk.ClosedAt), tk.ResultNote, rating,
		tk.Reopened, tk.CardChat, tk.CardOutbox, nullTime(tk.WakeAt), tk.Place.column(true), tk.Place.column(false),
		tk.ReopenNote, tk.ReopenReason, tk.Text, tk.RequesterName, tk.RequesterPhone, nullTime(tk.ReplyBy),
		nullTime(tk.ContactedAt), tk.Outcome, tk.LinkedTo, tk.Requesters, tk.Matchable, tk.ID)
	if err != nil {
		return fmt.Errorf("save ticket %s: %w", tk.Number, err)
	}
	return nil
}

// Ticket returns a ticket by id, or ErrNotFound.
func (t *Tx) Ticket(ctx context.Context, id TicketID) (Ticket, error) {
	return t.oneTicket(ctx, `SELECT `+ticketCols+` FROM tickets WHERE id = ?`, id)
}

// TicketByNumber returns a ticket by its number, or ErrNotFound.
func (t *Tx) TicketByNumber(ctx context.Context, number string) (Ticket, error) {
	return t.oneTicket(ctx, `SELECT `+ticketCols+` FROM tickets WHERE number = ?`, number)
}

func (t *Tx) oneTicket(ctx context.Context, query string, arg any) (Ticket, error) {
	tk, err := scanTicket(t.tx.QueryRowContext(ctx, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Ticket{}, ErrNotFound
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("read ticket: %w", err)
	}
	t.sawOpen(tk)
	return tk, nil
}

// TicketFilter selects tickets for lists and reports. Zero fields do not filter.
type TicketFilter struct {
	ResidentID    int64
	HandlerID     roster.StaffID
	Area          string
	Village       string
	Category      taxonomy.Category
	Source        taxonomy.Source
	Open          bool            // not resolved or closed
	States        []routing.State // any of these states
	CreatedFrom   time.Time       // created_at >= CreatedFrom
	CreatedBefore time.Time       // created_at < CreatedBefore
	Limit         int
	NewestFirst   bool
}

// Tickets lists tickets matching f, by id (oldest first unless NewestFirst).
func (t *Tx) Tickets(ctx context.Context, f TicketFilter) ([]Ticket, error) {
	q := `SELECT ` + ticketCols + ` FROM tickets` + openIndex(f) + ` WHERE 1=1`
	var args []any
	add := func(cond string, v any) { q += " AND " + cond; args = append(args, v) }
	if f.ResidentID != 0 {
		add("resident_id = ?", f.ResidentID)
	}
	if f.HandlerID != 0 {
		add("handler_id = ?", f.HandlerID)
	}
	if f.Area != "" {
		add("area = ?", f.Area)
	}
	if f.Village != "" {
		add("village = ?", f.Village)
	}
	if f.Category != "" {
		add("category = ?", f.Category)
	}
	if f.Source != "" {
		add("source = ?", f.Source)
	}
	if f.Open {
		q += " AND " + openTerm
	} else if len(f.States) > 0 {
		q += " AND state IN (?" + strings.Repeat(",?", len(f.States)-1) + ")"
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	if !f.CreatedFrom.IsZero() {
		add("created_at >= ?", fmtTime(f.CreatedFrom))
	}
	if !f.CreatedBefore.IsZero() {
		add("created_at < ?", fmtTime(f.CreatedBefore))
	}
	if f.NewestFirst {
		q += " ORDER BY id DESC"
	} else {
		q += " ORDER BY id"
	}
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return queryAll(ctx, t.tx, "list tickets", scanTicket, q, args...)
}

// openTerm selects open tickets. It is spelt exactly as the WHERE of the
// partial index over open tickets (tickets_open), with the states as
// literals, or SQLite would not use it.
var openTerm = func() string {
	q := make([]string, len(routing.OpenStates))
	for i, s := range routing.OpenStates {
		q[i] = "'" + string(s) + "'" // constants of the state machine, never input
	}
	return "state IN (" + strings.Join(q, ", ") + ")"
}()

// openIndex names the index a list of open tickets reads: the open ones
// (thousands) filtered, never a scan of every ticket ever. A resident's
// list has its own index.
func openIndex(f TicketFilter) string {
	if !f.Open || f.ResidentID != 0 {
		return ""
	}
	return " INDEXED BY tickets_open"
}

// Event is one entry of a ticket's history.
type Event struct {
	ID        int64
	TicketID  TicketID
	At        time.Time
	Kind      string
	ActorID   int64 // the staff member or resident who acted; 0 for the system
	FromState routing.State
	ToState   routing.State
	Data      string // JSON
}

// AddEvents appends several entries in one statement, in order: the events
// of one step (created, classified, assigned) cost one round trip.
func (t *Tx) AddEvents(ctx context.Context, es ...Event) error {
	if len(es) == 0 {
		return nil
	}
	q := `INSERT INTO ticket_events (ticket_id, at, kind, actor_id, from_state, to_state, data) VALUES (?, ?, ?, ?, ?, ?, ?)` +
		strings.Repeat(", (?, ?, ?, ?, ?, ?, ?)", len(es)-1)
	args := make([]any, 0, 7*len(es))
	for _, e := range es {
		if e.Data == "" {
			e.Data = "{}"
		}
		args = append(args, e.TicketID, fmtTime(e.At), e.Kind, e.ActorID, e.FromState, e.ToState, e.Data)
	}
	if _, err := t.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("add %s event: %w", es[0].Kind, err)
	}
	for _, e := range es {
		if e.Kind != EventSLAMissed {
			continue
		}
		if err := t.noteMiss(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// SetTicketCard records where the handler's card for a ticket is.
func (t *Tx) SetTicketCard(ctx context.Context, id TicketID, chat, outboxID int64) error {
	if _, err := t.exec(ctx, `UPDATE tickets SET card_chat = ?, card_outbox = ? WHERE id = ?`, chat, outboxID, id); err != nil {
		return fmt.Errorf("set card of ticket %d: %w", id, err)
	}
	return nil
}

// Events returns a ticket's history, oldest first.
func (t *Tx) Events(ctx context.Context, ticketID TicketID) ([]Event, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT id, ticket_id, at, kind, actor_id, from_state, to_state, data
		FROM ticket_events WHERE ticket_id = ? ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at sql.NullString
		if err := rows.Scan(&e.ID, &e.TicketID, &at, &e.Kind, &e.ActorID, &e.FromState, &e.ToState, &e.Data); err != nil {
			return nil, fmt.Errorf("read events: %w", err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// HasEventSince reports whether the ticket has an event of kind after since.
func (t *Tx) HasEventSince(ctx context.Context, ticketID TicketID, kind string, since time.Time) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM ticket_events WHERE ticket_id = ? AND kind = ? AND at > ?`,
		ticketID, kind, fmtTime(since)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read %s events of ticket %d: %w", kind, ticketID, err)
	}
	return n > 0, nil
}
