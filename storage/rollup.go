package storage

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"hotline/taxonomy"
)

// The reports' rollup. A period's figures are sums over its tickets, each
// judged at the period's end (TicketGroups). Reading a month of tickets
// row by row costs a few hundred milliseconds at a million tickets a year,
// so table ticket_rollup keeps what the tickets that are no longer open
// count when judged at the end of time, per group key (village, 片区,
// category, handler, source) and per day of creation in the township's
// zone, and again per month. A period is read in four parts:
//
//   - its whole days from the rollup: a month's rows, less the rows of
//     its days outside the period, when the period covers most of it,
//     else the days' rows;
//   - their tickets that are not open yet not settled at the period's end
//     (settled_at, a generated column with an index over the tickets that
//     are not open, is after it): judged at the end, less their rollup
//     counts;
//   - their open tickets, judged at the end from the index over open
//     tickets, which carries every column a judgement reads;
//   - the hours before its first and after its last midnight, judged from
//     the tickets.
//
// One set of expressions (tallies over judgedAt) judges a ticket for the
// rollup and for the live parts, so they cannot disagree.
//
// Every write that changes what a ticket counts goes through InsertTicket,
// SaveTicket, RelinkTickets or AddEvents (a missed deadline, kept on the
// ticket), which move its counts in the same transaction (rollupTickets); the other writes to tickets (wake_at, the
// card, the requesters' count) change nothing a report counts. A new
// ticket is open, so intake writes nothing to the rollup.

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
	// What a missed deadline (ma, mr) changes in RateCounts, not Held:
	// due once missed, and never on time (see TicketGroups).
	{"miss_acc_due", "prob AND ma AND NOT (acc OR acc_due)"},
	{"miss_acc_ok", "prob AND ma AND acc AND acc_in_time"},
	{"miss_res_due", "prob AND mr AND NOT (res OR res_due)"},
	{"miss_res_ok", "prob AND mr AND res AND res_in_time"},
}

// judgedFixed are the columns of a ticket (alias k) the reports read
// whenever they judge it: its keys, and whether it was accepted and
// resolved in time. prob is false for a report linked to another ticket
// (the same problem): only its rating counts, its deadlines being its
// primary's.
const judgedFixed = `k.village, k.area, k.category, k.handler_id, k.handler_name, k.source, k.rating, k.reopened, k.campaign,
	k.linked_to = 0 AS prob,
	coalesce(k.accepted_at <= k.accept_by, 0) AS acc_in_time,
	coalesce(k.resolved_at <= k.resolve_by, 0) AS res_in_time`

// judgedAt are the columns of a ticket judged at :at: accepted or
// resolved by then, or due. res_kind is where it lands in the 12345
// resolution rate (0 not due, 1 solved, 2 partly, 3 unsolved, 4 reopened,
// 5 overdue), contact in the contact rate (0 not due, 1 due, 2 phoned
// first), promise for a promised reply (0 none due, 1 due, 2 kept); ma
// and mr whether it had missed its accept or resolve deadline before :at
// (its first sla_missed event of each, kept on the row).
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
		ELSE 0 END AS promise,
	coalesce(k.accept_missed_at < :at, 0) AS ma, coalesce(k.resolve_missed_at < :at, 0) AS mr`

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

// The judged columns and the packed sums the queries read, made once.
var (
	judgedOnce, judgedTwice = judged(false), judged(true)
	ticketSums              = packed(tallySums(""))
	changeSums              = packed(tallyChanges())
	rollupRowSums           = packed(rollupSums())
	rollupRowCounts         = packed(strings.Join(rollupCols(), ", "))
)

var (
	asName = regexp.MustCompile(`AS (\w+)`)
	// atNames are the columns of judgedAt, as the tallies name them.
	atNames = regexp.MustCompile(`\b(acc|res|acc_due|res_due|res_kind|contact|promise|ma|mr)\b`)
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

// notFlattened ends a subquery of judged tickets so that SQLite computes
// each judged column once per ticket: flattened into the sums, a column's
// CASE would be evaluated again in every sum that reads it. A negative
// LIMIT is no limit.
const notFlattened = " LIMIT -1"

// packed is the counts of list as one text, "1,0,2,…": a row of six keys
// and a text costs the driver a fraction of the calls into SQLite that
// six keys and twenty-two numbers would (scanTally reads it).
func packed(list string) string {
	return "printf('" + strings.TrimSuffix(strings.Repeat("%d,", len(tallies)), ",") + "', " + list + ")"
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

// zoneArg is rollupZone's offset as an SQLite date modifier (:zone).
var zoneArg = func() sql.NamedArg {
	_, off := time.Now().In(rollupZone).Zone()
	return sql.Named("zone", fmt.Sprintf("%+d seconds", off))
}()

// rollupKey is the rollup's key after its grain and day.
const rollupKey = "village, area, category, handler_id, handler_name, source"

// rollupTickets adds (sign 1) or takes away (sign -1) the counts of the
// tickets matching cond (over tickets k, with named arguments: SQLite
// would number positional ones after the named) that are not open, in
// the rollup's days and months.
func (t *Tx) rollupTickets(ctx context.Context, sign int, cond string, args ...any) error {
	args = append(args, sql.Named("sign", sign), sql.Named("at", endOfTime), zoneArg)
	if _, err := t.exec(ctx, rollupInsert[0]+cond+rollupInsert[1], args...); err != nil {
		return fmt.Errorf("roll tickets up: %w", err)
	}
	return nil
}

// rollupTicket is rollupTickets for one ticket, by id: the change of
// every ticket's life, so its statement has no grouping to set up.
func (t *Tx) rollupTicket(ctx context.Context, sign int, id TicketID) error {
	if _, err := t.exec(ctx, rollupOne, sql.Named("id", id), sql.Named("sign", sign), sql.Named("at", endOfTime), zoneArg); err != nil {
		return fmt.Errorf("roll ticket %d up: %w", id, err)
	}
	return nil
}

// rollupInsert is the statement of rollupTickets before and after its
// condition, and rollupOne that of rollupTicket, made once: the judged
// tickets that are not open, as a row for their day and one for their
// month, added to the rollup's.
var rollupInsert, rollupOne = func() ([2]string, string) {
	cols := rollupCols()
	set := make([]string, len(cols))
	row := make([]string, len(tallies))
	for i, c := range cols {
		set[i] = c + " = " + c + " + excluded." + c
		row[i] = ":sign * coalesce(" + tallies[i].expr + ", 0)"
	}
	insert := `INSERT INTO ticket_rollup (grain, day, ` + rollupKey + `, ` + strings.Join(cols, ", ") + `)
		SELECT g.grain, CASE g.grain WHEN 'day' THEN j.day ELSE substr(j.day, 1, 7) END AS d, ` + rollupKey + `, `
	from := `FROM (SELECT ` + judgedOnce + `, date(k.created_at, :zone) AS day FROM tickets k WHERE (`
	grains := `) AND NOT k.` + openTerm + notFlattened + `) j
			JOIN (SELECT 'day' AS grain UNION ALL SELECT 'month') g `
	upsert := `ON CONFLICT (grain, day, ` + rollupKey + `) DO UPDATE SET ` + strings.Join(set, ", ")
	// WHERE true: without it, SQLite would read the upsert's ON as the
	// join's.
	return [2]string{insert + tallySums(":sign") + ` ` + from, grains + `GROUP BY g.grain, d, ` + rollupKey + ` ` + upsert},
		insert + strings.Join(row, ", ") + ` ` + from + `k.id = :id` + grains + `WHERE true ` + upsert
}()

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
	err := db.write.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tickets k WHERE NOT k.`+openTerm+`)
		AND NOT EXISTS (SELECT 1 FROM ticket_rollup)`).Scan(&need)
	if err != nil || !need {
		return false, err
	}
	return true, db.Update(ctx, func(tx *Tx) error { return tx.rollupTickets(ctx, 1, "1") })
}

// RebuildRollup recounts the reports' rollup from the tickets, in one
// write transaction (about a minute at a million tickets): after a repair
// of ticket rows by hand, which the rollup cannot see.
func (db *DB) RebuildRollup(ctx context.Context) error {
	if err := db.tempInMemory(ctx, false); err != nil { // it sorts every ticket
		return err
	}
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM ticket_rollup`); err != nil {
			return fmt.Errorf("clear the rollup: %w", err)
		}
		return tx.rollupTickets(ctx, 1, "1")
	})
	return errors.Join(err, db.tempInMemory(context.WithoutCancel(ctx), true))
}

// fullKey is a rollup row's key: a group's, with the 片区 and handler's
// name the tickets recorded.
type fullKey struct {
	groupKey
	area, name string
}

// groupSet sums group rows from the rollup and the tickets by full key.
type groupSet struct {
	m map[fullKey]*tallyRow
}

// add adds row r with sign.
func (s *groupSet) add(r tallyRow, sign int) {
	k := fullKey{r.g.key(), r.g.Area, r.g.Handler}
	cur := s.m[k]
	if cur == nil {
		cur = &tallyRow{g: TicketGroup{Village: r.g.Village, Area: r.g.Area, Category: r.g.Category, HandlerID: r.g.HandlerID,
			Handler: r.g.Handler, Source: r.g.Source}}
		s.m[k] = cur
	}
	g := r.g
	if sign < 0 {
		g.Held, g.Score, g.Proactive, r.n = negate(g.Held), negateScore(g.Score), -g.Proactive, -r.n
	}
	cur.n += r.n
	cur.miss.add(r.miss, sign)
	cur.g.Held.Add(g.Held)
	cur.g.Score.Add(g.Score)
	cur.g.Proactive += g.Proactive
}

// list is the groups that hold tickets, in key order. A group is named
// with the least 片区 and handler's name of its tickets, as SQL's min over
// them would: of the full keys that hold tickets.
func (s *groupSet) list() []TicketGroup {
	// One entry per group, made once: a report has a few thousand full
	// keys, and a map per figure cost more than the queries' rows.
	type entry struct {
		g     TicketGroup
		n     int
		miss  missCounts
		named bool
	}
	groups := make(map[groupKey]*entry, len(s.m))
	for k, r := range s.m {
		e := groups[k.groupKey]
		if e == nil {
			e = &entry{g: TicketGroup{Village: k.village, Category: k.category, HandlerID: k.handler, Source: k.source}}
			groups[k.groupKey] = e
		}
		g := &e.g
		g.Held.Add(r.g.Held)
		g.Score.Add(r.g.Score)
		g.Proactive += r.g.Proactive
		e.n += r.n
		e.miss.add(r.miss, 1)
		switch {
		case r.n <= 0:
		case !e.named:
			g.Area, g.Handler, e.named = k.area, k.name, true
		default:
			g.Area, g.Handler = min(g.Area, k.area), min(g.Handler, k.name)
		}
	}
	// Sorted as pointers: a TicketGroup is a few hundred bytes, and
	// sorting the values copied them at every comparison.
	held := make([]*TicketGroup, 0, len(groups))
	for _, e := range groups {
		if e.n > 0 {
			e.g.RateCounts = e.g.Held
			e.miss.apply(&e.g.RateCounts)
			held = append(held, &e.g)
		}
	}
	slices.SortFunc(held, func(a, b *TicketGroup) int {
		return cmp.Or(cmp.Compare(a.Village, b.Village), cmp.Compare(a.Category, b.Category),
			cmp.Compare(a.HandlerID, b.HandlerID), cmp.Compare(a.Source, b.Source))
	})
	out := make([]TicketGroup, len(held))
	for i, g := range held {
		out[i] = *g
	}
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

// tallyRow is a group row: a group's key, names and counts, and how many
// tickets (linked ones too) it holds.
type tallyRow struct {
	g    TicketGroup
	n    int
	miss missCounts
}

// missCounts is what the deadlines missed before the instant change in a
// group's RateCounts (the rollup's miss_ columns).
type missCounts struct{ accDue, accOK, resDue, resOK int }

func (m *missCounts) add(o missCounts, sign int) {
	m.accDue += sign * o.accDue
	m.accOK += sign * o.accOK
	m.resDue += sign * o.resDue
	m.resOK += sign * o.resOK
}

// apply makes the tickets with a missed deadline due and late for it,
// whoever holds them now.
func (m missCounts) apply(c *RateCounts) {
	c.AcceptDue += m.accDue
	c.AcceptedOnTime -= m.accOK
	c.ResolveDue += m.resDue
	c.ResolvedOnTime -= m.resOK
}

// scanTally reads a group row: the group's key, names, and the tallies
// packed.
func scanTally(sc scanner) (tallyRow, error) {
	var r tallyRow
	g, h, s := &r.g, &r.g.Held, &r.g.Score
	var counts string
	if err := sc.Scan(&g.Village, &g.Area, &g.Category, &g.HandlerID, &g.Handler, &g.Source, &counts); err != nil {
		return r, err
	}
	dest := []*int{&r.n, &h.Tickets, &h.AcceptDue, &h.AcceptedOnTime, &h.ResolveDue, &h.ResolvedOnTime,
		&h.Ratings, &h.Satisfied, &h.RatingSum, &h.Reopened, &g.Proactive,
		&s.ContactDue, &s.ContactedFirst, &s.Solved, &s.Partly, &s.Unsolved, &s.Reopened, &s.Overdue,
		&s.Basic, &s.Dissatisfied, &s.Promised, &s.PromiseKept,
		&r.miss.accDue, &r.miss.accOK, &r.miss.resDue, &r.miss.resOK}
	fields := strings.Split(counts, ",")
	if len(fields) != len(dest) {
		return r, fmt.Errorf("counts %q: not %d numbers", counts, len(dest))
	}
	for i, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil {
			return r, fmt.Errorf("counts %q: %w", counts, err)
		}
		*dest[i] = n
	}
	s.Problems, s.Ratings, s.Satisfied = h.Tickets, h.Ratings, h.Satisfied
	s.ResolveDue = s.Solved + s.Partly + s.Unsolved + s.Reopened + s.Overdue
	if !g.Category.Valid() || !g.Source.Valid() {
		return r, fmt.Errorf("unknown category %q or source %q", g.Category, g.Source)
	}
	return r, nil
}

// ticketTallies is the query judging at at the tickets that from selects
// (" [INDEXED BY …] WHERE cond", over tickets k, with the scope's
// condition sc), by group, each group named by its least 片区 and handler's
// name.
func ticketTallies(from, sc string, args []any, at string) (string, []any) {
	return `SELECT village, min(area), category, handler_id, min(handler_name), source, ` + ticketSums + `
		FROM (SELECT ` + judgedOnce + ` FROM tickets k` + from + sc + notFlattened + `)
		GROUP BY village, category, handler_id, source`, with(args, sql.Named("at", at))
}

// tallyCorrections is the query of what the tickets that from selects
// count at at less what they count at the end of time, as the rollup has
// them, by group.
func tallyCorrections(from, sc string, args []any, at string) (string, []any) {
	return `SELECT village, min(area), category, handler_id, min(handler_name), source, ` + changeSums + `
		FROM (SELECT ` + judgedTwice + ` FROM tickets k` + from + sc + notFlattened + `)
		GROUP BY village, category, handler_id, source`, with(args, sql.Named("at", at), sql.Named("inf", endOfTime))
}

// addTallies runs a query of group rows and adds each to set with sign,
// as it reads them.
func (t *Tx) addTallies(ctx context.Context, set *groupSet, sign int, what, query string, args []any) error {
	rows, err := t.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanTally(rows)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		set.add(r, sign)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// rollupPart is rows of the rollup to add (sign 1) or take away (-1): the
// grain's days (or months) [from, to), as the rollup spells them.
type rollupPart struct {
	grain, from, to string
	sign            int
}

// rollupParts covers the whole days [d0, d1) with the rollup's rows: a
// month the days cover mostly is its month's rows less its days outside
// them, else the days' rows.
func rollupParts(d0, d1 time.Time) []rollupPart {
	var out []rollupPart
	days := func(a, b time.Time, sign int) {
		if a.Before(b) {
			out = append(out, rollupPart{"day", dayOf(a), dayOf(b), sign})
		}
	}
	l := d0.In(rollupZone)
	for m := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, rollupZone); m.Before(d1); m = m.AddDate(0, 1, 0) {
		next := m.AddDate(0, 1, 0)
		a, b := later(m, d0), earlier(next, d1)
		if 2*b.Sub(a) <= next.Sub(m) {
			days(a, b, 1)
			continue
		}
		out = append(out, rollupPart{"month", m.Format("2006-01"), next.Format("2006-01"), 1})
		days(m, a, -1)
		days(b, next, -1)
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// rollupTallies is the query summing the rollup's rows of part within
// scope by full key. A month part is one month, whose rows are one per
// full key: read in key order, with nothing to sum (half the cost of
// summing a month's rows).
func rollupTallies(sc string, args []any, part rollupPart) (string, []any) {
	if part.grain == "month" {
		return `SELECT ` + rollupKey + `, ` + rollupRowCounts + `
		FROM ticket_rollup k WHERE k.grain = 'month' AND k.day = :d0 AND k.n <> 0` + sc, with(args, sql.Named("d0", part.from))
	}
	return `SELECT ` + rollupKey + `, ` + rollupRowSums + `
		FROM ticket_rollup k WHERE k.grain = :grain AND k.day >= :d0 AND k.day < :d1` + sc + `
		GROUP BY ` + rollupKey, with(args, sql.Named("grain", part.grain), sql.Named("d0", part.from), sql.Named("d1", part.to))
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

// createdBetween is the condition on tickets created in [:a, :b).
const createdBetween = "k.created_at >= :a AND k.created_at < :b"

// between is the arguments of createdBetween.
func between(args []any, a, b time.Time) []any {
	return with(args, sql.Named("a", fmtTime(a)), sql.Named("b", fmtTime(b)))
}

// judgeGroups judges the tickets created in [from, to) at at within the
// scope (sc, args) by group; see the top of this file.
func (t *Tx) judgeGroups(ctx context.Context, sc string, args []any, from, to, at time.Time) ([]TicketGroup, error) {
	set := &groupSet{m: map[fullKey]*tallyRow{}}
	span := func(a, b time.Time) error {
		if !a.Before(b) {
			return nil
		}
		q, qa := ticketTallies(" WHERE "+createdBetween, sc, between(args, a, b), fmtTime(at))
		return t.addTallies(ctx, set, 1, "report tickets by group", q, qa)
	}
	d0, d1, ok := wholeDays(from, to)
	if !ok {
		err := span(from, to)
		return set.list(), err
	}
	if err := span(from, d0); err != nil {
		return nil, err
	}
	if err := span(d1, to); err != nil {
		return nil, err
	}
	for _, part := range rollupParts(d0, d1) {
		q, qa := rollupTallies(sc, args, part)
		if err := t.addTallies(ctx, set, part.sign, "report rollup by group", q, qa); err != nil {
			return nil, err
		}
	}
	days := between(args, d0, d1)
	q, qa := ticketTallies(" INDEXED BY tickets_open WHERE "+createdBetween+" AND k."+openTerm, sc, days, fmtTime(at))
	if err := t.addTallies(ctx, set, 1, "report open tickets by group", q, qa); err != nil {
		return nil, err
	}
	// At or after settled_at: a deadline missed exactly at the instant
	// counts only after it (ma, mr compare strictly).
	q, qa = tallyCorrections(" INDEXED BY tickets_settling WHERE k.settled_at >= :settled AND "+createdBetween+" AND NOT k."+openTerm,
		sc, with(days, sql.Named("settled", fmtTime(at))), fmtTime(at))
	if err := t.addTallies(ctx, set, 1, "report unsettled tickets by group", q, qa); err != nil {
		return nil, err
	}
	return set.list(), nil
}

// createdCounts counts the tickets created in [from, to) within the scope
// (sc, args) by category, linked ones too: the rollup's whole days with
// their open tickets, and the tickets of the hours around them.
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
	count := func(q string, args []any, sign int) error {
		rows, err := queryAll(ctx, t.tx, "count tickets by category", scan, q, args...)
		for _, r := range rows {
			out[r.c] += sign * r.n
		}
		return err
	}
	tickets := func(from string, a, b time.Time) error {
		if !a.Before(b) {
			return nil
		}
		return count(`SELECT k.category, count(*) FROM tickets k`+from+sc+` GROUP BY k.category`, between(args, a, b), 1)
	}
	d0, d1, ok := wholeDays(from, to)
	if !ok {
		return out, tickets(" WHERE "+createdBetween, from, to)
	}
	for _, part := range rollupParts(d0, d1) {
		err := count(`SELECT k.category, sum(n) FROM ticket_rollup k WHERE k.grain = :grain AND k.day >= :d0 AND k.day < :d1`+sc+`
			GROUP BY k.category`, with(args, sql.Named("grain", part.grain), sql.Named("d0", part.from), sql.Named("d1", part.to)), part.sign)
		if err != nil {
			return out, err
		}
	}
	for _, c := range []struct {
		from string
		a, b time.Time
	}{
		{" INDEXED BY tickets_open WHERE " + createdBetween + " AND k." + openTerm, d0, d1},
		{" WHERE " + createdBetween, from, d0},
		{" WHERE " + createdBetween, d1, to},
	} {
		if err := tickets(c.from, c.a, c.b); err != nil {
			return out, err
		}
	}
	for c, n := range out {
		if n == 0 {
			delete(out, c)
		}
	}
	return out, nil
}

// with is a copy of args with extra added: the arguments of one query
// never share an array with another's.
func with(args []any, extra ...any) []any {
	return append(append(make([]any, 0, len(args)+len(extra)), args...), extra...)
}

// rollupVersion is the migration that made the rollup.
const rollupVersion = 91
