package api

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// ErrBadRequest is returned for a request the API cannot read.
var ErrBadRequest = errors.New("bad request")

func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, args...))
}

// Filter parameters of the ticket list, the desk's queue and its export.
const (
	ParamState    = "state"    // repeatable: assigned, accepted, resolved, closed; or "open"
	ParamArea     = "area"     // 片区
	ParamVillage  = "village"  // full name
	ParamCategory = "category" // taxonomy id
	ParamUrgency  = "urgency"  // urgent, normal, low
	ParamHandler  = "handler"  // staff Telegram id
	ParamOverdue  = "overdue"  // 1: open and past the next deadline
	ParamSource   = "source"   // telegram, checkin
	ParamFrom     = "from"     // created on or after, YYYY-MM-DD (township time)
	ParamTo       = "to"       // created on or before, YYYY-MM-DD
	ParamText     = "q"        // words in the resident's message
	ParamCursor   = "cursor"   // from the previous page
	ParamLimit    = "limit"    // page size, 1..MaxLimit
)

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// DateLayout is how dates are written in parameters.
const DateLayout = "2006-01-02"

// ParseQuery reads the filters of a ticket list for a staff member: the
// list is always within their scope (tickets.ScopeOf), whatever they ask.
// Open tickets are listed by deadline, soonest first; a list that includes
// finished ones, newest first.
// Values must exist in roster r; an unknown one is an error rather than an
// empty list, so a typo is not mistaken for "nothing there".
func ParseQuery(v url.Values, actor roster.Staff, r *roster.Roster, now time.Time) (storage.TicketQuery, error) {
	q := storage.TicketQuery{Scope: tickets.ScopeOf(actor), Now: now, Limit: DefaultLimit}
	states, err := parseStates(v[ParamState])
	if err != nil {
		return q, err
	}
	q.States = states
	if err := parseWhere(v, r, &q); err != nil {
		return q, err
	}
	if err := parseWhat(v, &q); err != nil {
		return q, err
	}
	if q.CreatedFrom, q.CreatedBefore, err = ParseDates(v.Get(ParamFrom), v.Get(ParamTo)); err != nil {
		return q, err
	}
	q.Text = strings.TrimSpace(v.Get(ParamText))
	if len([]rune(q.Text)) > 100 {
		return q, badRequest("the search text is longer than 100 characters")
	}
	if !q.OpenOnly() {
		q.Order = storage.NewestFirst
	}
	return q, parsePage(v, &q)
}

// parseWhere reads the filters by place and person.
func parseWhere(v url.Values, r *roster.Roster, q *storage.TicketQuery) error {
	if q.Area = strings.TrimSpace(v.Get(ParamArea)); q.Area != "" && len(r.VillagesIn(q.Area)) == 0 {
		return badRequest("unknown area %q", q.Area)
	}
	if q.Village = strings.TrimSpace(v.Get(ParamVillage)); q.Village != "" {
		if _, ok := r.Village(q.Village); !ok {
			return badRequest("unknown village %q", q.Village)
		}
	}
	if h := v.Get(ParamHandler); h != "" {
		id, err := strconv.ParseInt(h, 10, 64)
		if err != nil || id <= 0 {
			return badRequest("handler %q is not a staff id", h)
		}
		q.HandlerID = roster.StaffID(id)
	}
	return nil
}

// parseWhat reads the filters by kind of ticket.
func parseWhat(v url.Values, q *storage.TicketQuery) error {
	var err error
	if c := v.Get(ParamCategory); c != "" {
		if q.Category, err = taxonomy.ParseCategory(c); err != nil {
			return badRequest("%v", err)
		}
	}
	if u := v.Get(ParamUrgency); u != "" {
		if q.Urgency, err = taxonomy.ParseUrgency(u); err != nil {
			return badRequest("%v", err)
		}
	}
	switch v.Get(ParamOverdue) {
	case "", "0", "false":
	case "1", "true":
		q.Overdue = true
	default:
		return badRequest("overdue must be 1 or 0")
	}
	if s := v.Get(ParamSource); s != "" {
		src, err := taxonomy.ParseSource(s)
		if err != nil {
			return badRequest("unknown source %q", s)
		}
		q.Source = src
	}
	return nil
}

// parsePage reads the cursor and the page size.
func parsePage(v url.Values, q *storage.TicketQuery) error {
	if c := v.Get(ParamCursor); c != "" {
		var err error
		if q.After, err = ParseCursor(c); err != nil {
			return err
		}
	}
	if l := v.Get(ParamLimit); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > MaxLimit {
			return badRequest("limit must be 1..%d", MaxLimit)
		}
		q.Limit = n
	}
	return nil
}

// parseStates reads state parameters; "open" stands for the open states.
func parseStates(vals []string) ([]routing.State, error) {
	var out []routing.State
	for _, v := range vals {
		for _, s := range strings.Split(v, ",") {
			switch st := routing.State(strings.TrimSpace(s)); {
			case st == "":
			case st == "open":
				out = append(out, routing.OpenStates...)
			case st == "all":
			case st.Valid():
				out = append(out, st)
			default:
				return nil, badRequest("unknown state %q", s)
			}
		}
	}
	return out, nil
}

// ParseDates reads a from–to pair of days in the township's time zone:
// the instants from the start of from to the end of to. Either may be "".
func ParseDates(from, to string) (start, end time.Time, err error) {
	if from != "" {
		if start, err = time.ParseInLocation(DateLayout, from, notice.Zone); err != nil {
			return start, end, badRequest("from %q is not YYYY-MM-DD", from)
		}
	}
	if to != "" {
		if end, err = time.ParseInLocation(DateLayout, to, notice.Zone); err != nil {
			return start, end, badRequest("to %q is not YYYY-MM-DD", to)
		}
		end = end.AddDate(0, 0, 1)
	}
	if !start.IsZero() && !end.IsZero() && !start.Before(end) {
		return start, end, badRequest("from %s is after to %s", from, to)
	}
	return start, end, nil
}

// Cursor encodes the position after which the next page starts.
func Cursor(c storage.Cursor) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.%d", c.Due.UnixMilli(), c.ID))
}

// ParseCursor decodes Cursor.
func ParseCursor(s string) (storage.Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return storage.Cursor{}, badRequest("bad cursor")
	}
	ms, id, ok := strings.Cut(string(b), ".")
	m, err1 := strconv.ParseInt(ms, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || n <= 0 {
		return storage.Cursor{}, badRequest("bad cursor")
	}
	return storage.Cursor{Due: time.UnixMilli(m).UTC(), ID: storage.TicketID(n)}, nil
}
