package storage

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"hotline/taxonomy"
)

// The reports' rollup. A period's figures are sums over its tickets, each
// judged at the period's end (TicketGroups). Reading a month of tickets
// row by row costs a few hundred milliseconds at a million tickets a year,
// so table ticket_rollup keeps, per day of creation (township time) and
// per group key, what the tickets count when judged at the end of time.
// A ticket whose judgement no longer depends on the instant (settled_at,
// a generated column, is at or before it) counts the same at the period's
// end, so a period of whole days is its rollup rows, corrected by its few
// unsettled tickets (judged at the instant, less their rollup counts), and
// the hours before its first and after its last midnight are read from
// the tickets. One expression (tallies) judges a ticket for both, so the
// rollup cannot disagree with the tickets it sums.
//
// Every write that changes what a ticket counts goes through InsertTicket,
// SaveTicket or RelinkTickets, which move its counts in the same
// transaction (rollupTickets); the other writes to tickets (wake_at, the
// card, the requesters' count) change nothing a report counts.

// rollupZone is the township's zone, whose midnights the rollup's days
// start at (notice.Zone): the desk's and the digests' periods start there.
var rollupZone = numberZone

// endOfTime is the instant the rollup judges tickets at: after any.
const endOfTime = "9999-12-31T23:59:59.999Z"

// tallies are what a ticket counts in the reports, judged at :at, over the
// columns of judgedAt; col is the rollup's column.
var tallies = []struct{ col, expr string }{
	{"n", "1"},
	{"prob", "prob"},
	{"acc_due", "prob AND (acc OR acc_due)"},
	{"acc_ok", "prob AND acc AND acc_in_time"},
	{"res_due", "prob AND (res OR res_due)"},
	{"res_ok", "prob AND res AND res_in_time"},
	{"rated", "rating IS NOT NULL"},
	{"satisfied", "coalesce(rating >= 4, 0)"},
	{"rating_sum", "coalesce(rating, 0)"},
	{"reopened", "prob AND reopened > 0"},
	{"proactive", "prob AND (campaign <> '' OR source = 'visit')"},
	{"contact_due", "contact > 0"},
	{"contacted", "contact = 2"},
	{"solved", "res_kind = 1"},
	{"partly", "res_kind = 2"},
	{"unsolved", "res_kind = 3"},
	{"res_reopened", "res_kind = 4"},
	{"overdue", "res_kind = 5"},
	{"basic", "coalesce(rating = 3, 0)"},
	{"dissatisfied", "coalesce(rating <= 2, 0)"},
	{"promised", "promise > 0"},
	{"kept", "promise = 2"},
}

// judgedFixed are the columns of a ticket (alias k) the reports read
// whenever they judge it: its keys, day, and whether it was accepted and
// resolved in time. prob is false for a report linked to another ticket
// (the same problem): only its rating counts, its deadlines being its
// primary's.
const judgedFixed = `k.village, k.area, k.category, k.handler_id, k.handler_name, k.source, k.rating, k.reopened, k.campaign,
	date(k.created_at, :zone) AS day,
	k.linked_to = 0 AS prob,
	coalesce(k.accepted_at <= k.accept_by, 0) AS acc_in_time,
	coalesce(k.resolved_at <= k.resolve_by, 0) AS res_in_time`

// judgedAt are the columns of a ticket judged at :at: accepted or
// resolved by then, or due. res_kind is where it lands in the 12345
// resolution rate (0 not due, 1 solved, 2 partly, 3 unsolved, 4 reopened,
// 5 overdue), contact in the contact rate (0 not due, 1 due, 2 phoned
// first), promise for a promised reply (0 none due, 1 due, 2 kept).
const judgedAt = `(k.accepted_at IS NOT NULL AND k.accepted_at <= :at) AS acc,
	(k.resolved_at IS NOT NULL AND k.resolved_at <= :at) AS res,
	k.accept_by <= :at AS acc_due, k.resolve_by <= :at AS res_due,
	CASE WHEN k.linked_to <> 0 THEN 0
		WHEN k.resolved_at IS NOT NULL AND k.resolved_at <= :at THEN
			CASE WHEN k.reopened > 0 THEN 4 WHEN k.outcome = 'partly' THEN 2 WHEN k.outcome = 'unsolved' THEN 3 ELSE 1 END
		WHEN k.resolve_by <= :at THEN CASE WHEN k.reopened > 0 THEN 4 ELSE 5 END
		ELSE 0 END AS res_kind,
	CASE WHEN k.linked_to <> 0 THEN 0
		WHEN (k.accepted_at IS NOT NULL AND k.accepted_at <= :at) OR (k.resolved_at IS NOT NULL AND k.resolved_at <= :at)
			OR k.accept_by <= :at THEN
			CASE WHEN k.contacted_at IS NOT NULL AND k.contacted_at <= :at
				AND (k.resolved_at IS NULL OR k.contacted_at <= k.resolved_at) THEN 2 ELSE 1 END
		ELSE 0 END AS contact,
	CASE WHEN k.linked_to <> 0 OR k.reply_by IS NULL THEN 0
		WHEN k.resolved_at IS NOT NULL AND k.resolved_at <= :at THEN CASE WHEN k.resolved_at <= k.reply_by THEN 2 ELSE 1 END
		WHEN k.reply_by <= :at THEN 1
		ELSE 0 END AS promise`

// judged are the columns of a ticket judged at :at, then (when twice)
// at the end of time too, those columns named with the suffix _inf.
func judged(twice bool) string {
	cols := judgedFixed + ",\n\t" + judgedAt
	if twice {
		cols += ",\n\t" + atInfinity(asName.ReplaceAllString(judgedAt, "AS ${1}_inf"))
	}
	return cols
}

// atInfinity is an expression of judgedAt judged at the end of time.
func atInfinity(expr string) string { return strings.ReplaceAll(expr, ":at", ":inf") }

var (
	asName = regexp.MustCompile(`AS (\w+)`)
	// atNames are the columns of judgedAt, as the tallies name them.
	atNames = regexp.MustCompile(`\b(acc|res|acc_due|res_due|res_kind|contact|promise)\b`)
)

// tallySums is the sums of tallies over judged tickets (sign: a named
// parameter multiplying each, or ""); tallyChanges the sums at :at less
// the sums at the end of time (over judged(true)); rollupSums the sums of
// the rollup's columns. All three are in the same order.
func tallySums(sign string) string {
	s := make([]string, len(tallies))
	for i, t := range tallies {
		s[i] = "coalesce(sum(" + t.expr + "), 0)"
		if sign != "" {
			s[i] = sign + " * " + s[i]
		}
	}
	return strings.Join(s, ", ")
}

func tallyChanges() string {
	s := make([]string, len(tallies))
	for i, t := range tallies {
		s[i] = "coalesce(sum(" + t.expr + "), 0) - coalesce(sum(" + atNames.ReplaceAllString(t.expr, "${1}_inf") + "), 0)"
	}
	return strings.Join(s, ", ")
}

func rollupSums() string {
	s := rollupCols()
	for i, c := range s {
		s[i] = "sum(" + c + ")"
	}
	return strings.Join(s, ", ")
}

// rollupCols are the rollup's count columns, in the order of tallies.
func rollupCols() []string {
	cols := make([]string, len(tallies))
	for i, t := range tallies {
		cols[i] = t.col
	}
	return cols
}

// zoneModifier is rollupZone's offset as an SQLite date modifier.
func zoneModifier() sql.NamedArg {
	_, off := time.Now().In(rollupZone).Zone()
	return sql.Named("zone", fmt.Sprintf("%+d seconds", off))
}

// rollupTickets adds (sign 1) or takes away (sign -1) the counts of the
// tickets matching cond (over tickets k, with named arguments: SQLite
// would number positional ones after the named) in the rollup.
func (t *Tx) rollupTickets(ctx context.Context, sign int, cond string, args ...any) error {
	cols := rollupCols()
	set := make([]string, len(cols))
	for i, c := range cols {
		set[i] = c + " = " + c + " + excluded." + c
	}
	q := `INSERT INTO ticket_rollup (day, village, area, category, handler_id, handler_name, source, ` + strings.Join(cols, ", ") + `)
		SELECT day, village, area, category, handler_id, handler_name, source, ` + tallySums(":sign") + `
		FROM (SELECT ` + judged(false) + ` FROM tickets k WHERE ` + cond + `)
		GROUP BY day, village, area, category, handler_id, handler_name, source
		ON CONFLICT (day, village, area, category, handler_id, handler_name, source) DO UPDATE SET ` + strings.Join(set, ", ")
	args = append(args, sql.Named("sign", sign), sql.Named("at", endOfTime), zoneModifier())
	if _, err := t.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("roll tickets up: %w", err)
	}
	return nil
}

// changeTickets runs update, which changes the tickets matching cond,
// moving their counts in the rollup from before to after.
func (t *Tx) changeTickets(ctx context.Context, update func() error, cond string, args ...any) error {
	if err := t.rollupTickets(ctx, -1, cond, args...); err != nil {
		return err
	}
	if err := update(); err != nil {
		return err
	}
	return t.rollupTickets(ctx, 1, cond, args...)
}

// rebuildRollup fills the rollup from the tickets when it is empty and
// there are tickets: a database from before it, or one whose rollup was
// cleared (DELETE FROM ticket_rollup) to be rebuilt. It reports whether it
// did.
func (db *DB) rebuildRollup(ctx context.Context) (bool, error) {
	var need bool
	err := db.write.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tickets) AND NOT EXISTS (SELECT 1 FROM ticket_rollup)`).Scan(&need)
	if err != nil || !need {
		return false, err
	}
	return true, db.Update(ctx, func(tx *Tx) error { return tx.rollupTickets(ctx, 1, "1") })
}

// RebuildRollup recounts the reports' rollup from the tickets, in one
// write transaction (about a minute at a million tickets): after a repair
// of ticket rows by hand, which the rollup cannot see.
func (db *DB) RebuildRollup(ctx context.Context) error {
	return db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM ticket_rollup`); err != nil {
			return fmt.Errorf("clear the rollup: %w", err)
		}
		return tx.rollupTickets(ctx, 1, "1")
	})
}

// groupSet sums group rows from the rollup and the tickets by key.
type groupSet struct {
	m map[groupKey]*TicketGroup
	n map[groupKey]int // tickets, linked ones too
}

// add adds row g (n tickets) with sign; a row that adds tickets also
// offers its 片区 and handler's name, of which the group keeps the least,
// as SQL's min over the tickets would.
func (s *groupSet) add(g TicketGroup, n, sign int) {
	k := g.key()
	cur := s.m[k]
	if cur == nil {
		cur = &TicketGroup{Village: g.Village, Area: g.Area, Category: g.Category, HandlerID: g.HandlerID, Handler: g.Handler, Source: g.Source}
		s.m[k] = cur
	} else if sign > 0 && n > 0 {
		cur.Area, cur.Handler = min(cur.Area, g.Area), min(cur.Handler, g.Handler)
	}
	s.n[k] += sign * n
	h := g.Held
	if sign < 0 {
		h = negate(h)
		g.Score = negateScore(g.Score)
		g.Proactive = -g.Proactive
	}
	cur.Held.Add(h)
	cur.Score.Add(g.Score)
	cur.Proactive += g.Proactive
}

// list is the groups that hold tickets, in key order.
func (s *groupSet) list() []TicketGroup {
	out := make([]TicketGroup, 0, len(s.m))
	for k, g := range s.m {
		if s.n[k] > 0 {
			g.RateCounts = g.Held
			out = append(out, *g)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Village != b.Village:
			return a.Village < b.Village
		case a.Category != b.Category:
			return a.Category < b.Category
		case a.HandlerID != b.HandlerID:
			return a.HandlerID < b.HandlerID
		}
		return a.Source < b.Source
	})
	return out
}

func negate(c RateCounts) RateCounts {
	return RateCounts{-c.Tickets, -c.AcceptDue, -c.AcceptedOnTime, -c.ResolveDue, -c.ResolvedOnTime,
		-c.Ratings, -c.Satisfied, -c.RatingSum, -c.Reopened}
}

// negateScore is -c for the counts a ticket row gives (not the handling
// events, which AddScores adds once).
func negateScore(c ScoreCounts) ScoreCounts {
	return ScoreCounts{Problems: -c.Problems, ContactDue: -c.ContactDue, ContactedFirst: -c.ContactedFirst,
		ResolveDue: -c.ResolveDue, Solved: -c.Solved, Partly: -c.Partly, Unsolved: -c.Unsolved, Reopened: -c.Reopened,
		Overdue: -c.Overdue, Ratings: -c.Ratings, Satisfied: -c.Satisfied, Basic: -c.Basic, Dissatisfied: -c.Dissatisfied,
		Promised: -c.Promised, PromiseKept: -c.PromiseKept}
}

// scanTally reads a group row: the group's key, names, and the tallies.
func scanTally(sc scanner) (tallyRow, error) {
	var r tallyRow
	g, h, s := &r.g, &r.g.Held, &r.g.Score
	var area, name sql.NullString
	err := sc.Scan(&g.Village, &area, &g.Category, &g.HandlerID, &name, &g.Source,
		&r.n, &h.Tickets, &h.AcceptDue, &h.AcceptedOnTime, &h.ResolveDue, &h.ResolvedOnTime,
		&h.Ratings, &h.Satisfied, &h.RatingSum, &h.Reopened, &g.Proactive,
		&s.ContactDue, &s.ContactedFirst, &s.Solved, &s.Partly, &s.Unsolved, &s.Reopened, &s.Overdue,
		&s.Basic, &s.Dissatisfied, &s.Promised, &s.PromiseKept)
	g.Area, g.Handler = area.String, name.String
	s.Problems, s.Ratings, s.Satisfied = h.Tickets, h.Ratings, h.Satisfied
	s.ResolveDue = s.Solved + s.Partly + s.Unsolved + s.Reopened + s.Overdue
	if err == nil && (!g.Category.Valid() || !g.Source.Valid()) {
		err = fmt.Errorf("unknown category %q or source %q", g.Category, g.Source)
	}
	return r, err
}

type tallyRow struct {
	g TicketGroup
	n int
}

// ticketTallies judges the tickets matching cond (over tickets k, with
// the scope's condition sc) at at, by group.
func (t *Tx) ticketTallies(ctx context.Context, cond, sc string, args []any, at string) ([]tallyRow, error) {
	args = with(args, sql.Named("at", at), zoneModifier())
	return queryAll(ctx, t.tx, "report tickets by group", scanTally, `SELECT village, min(area), category, handler_id, min(handler_name), source, `+
		tallySums("")+`
		FROM (SELECT `+judged(false)+` FROM tickets k WHERE `+cond+sc+`)
		GROUP BY village, category, handler_id, source`, args...)
}

// tallyCorrections is, by group, what the tickets matching cond count at
// at less what they count at the end of time, as the rollup has them.
func (t *Tx) tallyCorrections(ctx context.Context, cond, sc string, args []any, at string) ([]tallyRow, error) {
	args = with(args, sql.Named("at", at), sql.Named("inf", endOfTime), zoneModifier())
	return queryAll(ctx, t.tx, "report unsettled tickets by group", scanTally, `SELECT village, min(area), category, handler_id,
			min(handler_name), source, `+tallyChanges()+`
		FROM (SELECT `+judged(true)+` FROM tickets k WHERE `+cond+sc+`)
		GROUP BY village, category, handler_id, source`, args...)
}

// rollupTallies sums the rollup's days [d0, d1) within scope by group.
func (t *Tx) rollupTallies(ctx context.Context, sc string, args []any, d0, d1 string) ([]tallyRow, error) {
	args = with(args, sql.Named("d0", d0), sql.Named("d1", d1))
	return queryAll(ctx, t.tx, "report rollup by group", scanTally, `SELECT village, min(CASE WHEN n > 0 THEN area END), category,
			handler_id, min(CASE WHEN n > 0 THEN handler_name END), source, `+rollupSums()+`
		FROM ticket_rollup k WHERE k.day >= :d0 AND k.day < :d1`+sc+`
		GROUP BY village, category, handler_id, source HAVING sum(n) > 0`, args...)
}

// wholeDays is the rollup's days within [from, to): from the first
// midnight at or after from to the last at or before to; ok is false when
// there is no whole day.
func wholeDays(from, to time.Time) (d0, d1 time.Time, ok bool) {
	midnight := func(t time.Time) time.Time {
		l := t.In(rollupZone)
		return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, rollupZone)
	}
	d0, d1 = midnight(from), midnight(to)
	if d0.Before(from) {
		d0 = d0.AddDate(0, 0, 1)
	}
	return d0, d1, d0.Before(d1)
}

func dayOf(t time.Time) string { return t.In(rollupZone).Format(time.DateOnly) }

// judgeGroups judges the tickets created in [from, to) at at within the
// scope (sc, args) by group, from the rollup and the tickets; see the top
// of this file.
func (t *Tx) judgeGroups(ctx context.Context, sc string, args []any, from, to, at time.Time) ([]TicketGroup, error) {
	set := &groupSet{m: map[groupKey]*TicketGroup{}, n: map[groupKey]int{}}
	add := func(rows []tallyRow, err error, sign int) error {
		for _, r := range rows {
			set.add(r.g, r.n, sign)
		}
		return err
	}
	span := func(a, b time.Time) error {
		if !a.Before(b) {
			return nil
		}
		rows, err := t.ticketTallies(ctx, "k.created_at >= :a AND k.created_at < :b", sc,
			with(args, sql.Named("a", fmtTime(a)), sql.Named("b", fmtTime(b))), fmtTime(at))
		return add(rows, err, 1)
	}
	d0, d1, ok := wholeDays(from, to)
	if !ok {
		if err := span(from, to); err != nil {
			return nil, err
		}
		return set.list(), nil
	}
	if err := span(from, d0); err != nil {
		return nil, err
	}
	if err := span(d1, to); err != nil {
		return nil, err
	}
	rows, err := t.rollupTallies(ctx, sc, args, dayOf(d0), dayOf(d1))
	if err := add(rows, err, 1); err != nil {
		return nil, err
	}
	// The whole days' tickets not settled at at: as judged at at, not as
	// the rollup counts them.
	unsettled := with(args, sql.Named("a", fmtTime(d0)), sql.Named("b", fmtTime(d1)), sql.Named("settled", fmtTime(at)))
	const cond = "k.created_at >= :a AND k.created_at < :b AND k.settled_at > :settled"
	rows, err = t.tallyCorrections(ctx, cond, sc, unsettled, fmtTime(at))
	if err := add(rows, err, 1); err != nil {
		return nil, err
	}
	return set.list(), nil
}

// createdCounts counts the tickets created in [from, to) within the scope
// (sc, args) by category, linked ones too: the rollup's whole days and the
// tickets of the hours around them.
func (t *Tx) createdCounts(ctx context.Context, sc string, args []any, from, to time.Time) (map[taxonomy.Category]int, error) {
	type row struct {
		c taxonomy.Category
		n int
	}
	scan := func(sc scanner) (row, error) {
		var r row
		err := sc.Scan(&r.c, &r.n)
		return r, err
	}
	out := map[taxonomy.Category]int{}
	count := func(q string, extra ...any) error {
		rows, err := queryAll(ctx, t.tx, "count tickets by category", scan, q, with(args, extra...)...)
		for _, r := range rows {
			out[r.c] += r.n
		}
		return err
	}
	span := func(a, b time.Time) error {
		if !a.Before(b) {
			return nil
		}
		return count(`SELECT k.category, count(*) FROM tickets k WHERE k.created_at >= :a AND k.created_at < :b`+sc+`
			GROUP BY k.category`, sql.Named("a", fmtTime(a)), sql.Named("b", fmtTime(b)))
	}
	d0, d1, ok := wholeDays(from, to)
	if !ok {
		return out, span(from, to)
	}
	if err := span(from, d0); err != nil {
		return out, err
	}
	if err := span(d1, to); err != nil {
		return out, err
	}
	return out, count(`SELECT k.category, sum(n) FROM ticket_rollup k WHERE k.day >= :d0 AND k.day < :d1`+sc+`
		GROUP BY k.category HAVING sum(n) > 0`, sql.Named("d0", dayOf(d0)), sql.Named("d1", dayOf(d1)))
}

// with is a copy of args with extra added: the arguments of one query
// never share an array with another's.
func with(args []any, extra ...any) []any {
	return append(append(make([]any, 0, len(args)+len(extra)), args...), extra...)
}

// rollupVersion is the migration that made the rollup.
const rollupVersion = 80
