package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"hotline/roster"
	"hotline/taxonomy"
)

// The read side of the reports: each query aggregates in SQL over one
// period, from the rollup of its whole days (rollup.go) and through an
// index (tickets_created, tickets_accepted, tickets_resolved,
// tickets_open), so a report never reads more than its period, whatever
// the history. Package reports turns the rows
// into digests, rates and the desk's figures. Each takes the scope of the
// reader (tickets.ScopeOf), the same that lists and MaySee use.

// RateCounts are what the three rates of a group of tickets are made of
// (see reports.Rates for what each means).
type RateCounts struct {
	Tickets        int
	AcceptDue      int
	AcceptedOnTime int
	ResolveDue     int
	ResolvedOnTime int
	Ratings        int
	Satisfied      int // rated 4 or 5
	RatingSum      int
	Reopened       int // reopened at least once (未解决, or "还没好")
}

// Add adds o's counts to c.
func (c *RateCounts) Add(o RateCounts) {
	c.Tickets += o.Tickets
	c.AcceptDue += o.AcceptDue
	c.AcceptedOnTime += o.AcceptedOnTime
	c.ResolveDue += o.ResolveDue
	c.ResolvedOnTime += o.ResolvedOnTime
	c.Ratings += o.Ratings
	c.Satisfied += o.Satisfied
	c.RatingSum += o.RatingSum
	c.Reopened += o.Reopened
}

// TicketGroup is the tickets created in a period that share a village,
// category, current handler and source, judged at one instant. Area and
// Handler are the village's 片区 and the handler's name as the tickets
// recorded them (a ticket takes both when it is opened or handed on);
// grouping by the four keys alone keeps the sort of a month's tickets
// small.
type TicketGroup struct {
	Village   string
	Area      string
	Category  taxonomy.Category
	HandlerID roster.StaffID
	Handler   string
	Source    taxonomy.Source
	RateCounts
	// Held is the same tickets judged for their current handler alone, on
	// the deadlines in force (a deadline an earlier handler missed is that
	// handler's, see HandlerMisses).
	Held      RateCounts
	Proactive int // found before anyone had to ask: a check-in answer, a follow-up, a visit
	// Score is what the 12345 scorecard counts of the same tickets; the
	// requests and 督办 on them only once AddScores added them.
	Score ScoreCounts
}

// groupKey identifies a TicketGroup across the queries that fill it.
type groupKey struct {
	village  string
	category taxonomy.Category
	handler  roster.StaffID
	source   taxonomy.Source
}

func (g TicketGroup) key() groupKey { return groupKey{g.Village, g.Category, g.HandlerID, g.Source} }

// TicketGroups judges the tickets created in [from, to) at at, by group:
//
//   - due to be accepted: a deadline missed before (an sla_missed event
//     before at), accepted by at, or its accept deadline passed by at;
//     on time: accepted by at, by its deadline, and no deadline missed
//     before; the same for resolving;
//   - a rating counts when given; satisfied is 4 or 5;
//   - a report linked to another (one problem, several requesters)
//     counts only its requester's rating: the problem is counted once,
//     on the ticket it was linked to.
//
// The handler of a group is the current one, judged on the deadlines in
// force (Held); HandlerMisses gives those the ticket was escalated away
// from, and the second result lists by handler. The rollup and the
// period's live parts (judgeGroups) judge every ticket for its handler,
// with the deadlines it missed (kept on its row), and fill Score's ticket
// counts.
func (t *Tx) TicketGroups(ctx context.Context, scope Scope, from, to, at time.Time) ([]TicketGroup, []HandlerMiss, error) {
	groups, err := t.JudgeGroups(ctx, scope, from, to, at)
	if err != nil {
		return nil, nil, err
	}
	misses, err := t.HandlerMisses(ctx, scope, from, to, at)
	if err != nil {
		return nil, nil, err
	}
	return groups, misses, nil
}

// JudgeGroups is TicketGroups without the handlers' misses: every figure
// but the rates by handler, without reading the period's events.
func (t *Tx) JudgeGroups(ctx context.Context, scope Scope, from, to, at time.Time) ([]TicketGroup, error) {
	sc, args := scope.reportWhere()
	return t.judgeGroups(ctx, sc, args, from, to, at)
}

// HandlerMiss is how many deadlines one handler let pass, before a time,
// on tickets created in a period: each was escalated away from them.
type HandlerMiss struct {
	HandlerID roster.StaffID
	Handler   string
	Accept    int
	Resolve   int
}

// HandlerMisses counts the deadlines missed before at on the tickets
// created in [from, to) within scope, by the handler who missed them:
// few events, read through their own partial index, counted in SQL (a row
// per event would cost the driver more than the query).
func (t *Tx) HandlerMisses(ctx context.Context, scope Scope, from, to, at time.Time) ([]HandlerMiss, error) {
	sc, args := scope.reportWhere()
	args = with(args, sql.Named("from", fmtTime(from)), sql.Named("to", fmtTime(to)), sql.Named("at", fmtTime(at)))
	out, err := queryAll(ctx, t.tx, "report missed deadlines", func(sc scanner) (HandlerMiss, error) {
		var h HandlerMiss
		err := sc.Scan(&h.HandlerID, &h.Handler, &h.Accept, &h.Resolve)
		return h, err
	}, `SELECT hid, hname, coalesce(sum(deadline = 'accept'), 0), coalesce(sum(deadline <> 'accept'), 0)
		FROM (SELECT json_extract(e.data, '$.deadline') AS deadline,
				coalesce(json_extract(e.data, '$.handler_id'), 0) AS hid, coalesce(json_extract(e.data, '$.handler'), '') AS hname
			FROM ticket_events e INDEXED BY ticket_events_sla_missed JOIN tickets k ON k.id = e.ticket_id
			WHERE e.kind = 'sla_missed' AND e.at >= :from AND e.at < :at
				AND k.created_at >= :from AND k.created_at < :to`+sc+`)
		GROUP BY hid, hname`, args...)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Handler != b.Handler {
			return a.Handler < b.Handler
		}
		return a.HandlerID < b.HandlerID
	})
	return out, err
}

// CreatedByCategory counts the tickets created in [from, to) by category.
func (t *Tx) CreatedByCategory(ctx context.Context, scope Scope, from, to time.Time) (map[taxonomy.Category]int, error) {
	sc, args := scope.reportWhere()
	return t.createdCounts(ctx, sc, args, from, to)
}

// CountAccepted counts the tickets accepted in [from, to), whenever they
// were created.
func (t *Tx) CountAccepted(ctx context.Context, scope Scope, from, to time.Time) (int, error) {
	return t.countBetween(ctx, "accepted_at", scope, from, to)
}

// CountResolved counts the tickets resolved in [from, to), whenever they
// were created (a ticket resolved again counts at its last resolution).
func (t *Tx) CountResolved(ctx context.Context, scope Scope, from, to time.Time) (int, error) {
	return t.countBetween(ctx, "resolved_at", scope, from, to)
}

// countBetween counts the tickets whose col (accepted_at, resolved_at) is
// in [from, to): the whole days from table ticket_done (kind col's
// event), a month's rows for a month less its days outside the period, and
// the hours around them from the tickets' index.
func (t *Tx) countBetween(ctx context.Context, col string, scope Scope, from, to time.Time) (int, error) {
	sc, args := scope.reportWhere()
	n := 0
	count := func(q string, args []any, sign int) error {
		var c int
		if err := t.tx.QueryRowContext(ctx, q, args...).Scan(&c); err != nil {
			return fmt.Errorf("count tickets by %s: %w", col, err)
		}
		n += sign * c
		return nil
	}
	tickets := func(a, b time.Time) error {
		if !a.Before(b) {
			return nil
		}
		return count(`SELECT count(*) FROM tickets k WHERE k.`+col+` >= :from AND k.`+col+` < :to`+sc,
			with(args, sql.Named("from", fmtTime(a)), sql.Named("to", fmtTime(b))), 1)
	}
	d0, d1, ok := wholeDays(from, to)
	if !ok {
		return n, tickets(from, to)
	}
	kind := strings.TrimSuffix(col, "_at")
	for _, part := range rollupParts(d0, d1) {
		err := count(`SELECT coalesce(sum(n), 0) FROM ticket_done k WHERE k.kind = :kind AND k.grain = :grain
			AND k.day >= :d0 AND k.day < :d1`+sc, with(args, sql.Named("kind", kind), sql.Named("grain", part.grain),
			sql.Named("d0", part.from), sql.Named("d1", part.to)), part.sign)
		if err != nil {
			return 0, err
		}
	}
	if err := tickets(from, d0); err != nil {
		return 0, err
	}
	return n, tickets(d1, to)
}

// OpenGroup is the open tickets of one village, created before a time.
type OpenGroup struct {
	Village string
	Area    string
	Open    int
	Overdue int // past the deadline they work towards (accept, then resolve)
	Urgent  int
}

// OpenByVillage counts the tickets open now that were created before
// createdBefore, by village, overdue as judged at at. It reads the index
// over open tickets only.
func (t *Tx) OpenByVillage(ctx context.Context, scope Scope, createdBefore, at time.Time) ([]OpenGroup, error) {
	sc, args := scope.reportWhere()
	args = append(args, sql.Named("before", fmtTime(createdBefore)), sql.Named("at", fmtTime(at)))
	return queryAll(ctx, t.tx, "count open tickets", func(sc scanner) (OpenGroup, error) {
		var g OpenGroup
		err := sc.Scan(&g.Village, &g.Area, &g.Open, &g.Overdue, &g.Urgent)
		return g, err
	}, `SELECT k.village, k.area, count(*),
			coalesce(sum(CASE WHEN k.state = 'accepted' THEN k.resolve_by ELSE k.accept_by END < :at), 0),
			coalesce(sum(k.urgency = 'urgent'), 0)
		FROM tickets k INDEXED BY tickets_open WHERE k.`+openTerm+` AND k.created_at < :before`+sc+`
		GROUP BY k.village, k.area ORDER BY k.village`, args...)
}

// CreatedPerDay counts the tickets created between consecutive bounds:
// n[i] in [bounds[i], bounds[i+1]). Bounds are days in the township's
// zone, so a day with a daylight-saving change is still one day.
func (t *Tx) CreatedPerDay(ctx context.Context, scope Scope, bounds []time.Time) ([]int, error) {
	if len(bounds) < 2 {
		return nil, nil
	}
	sc, args := scope.reportWhere()
	var days []string
	for i := range len(bounds) - 1 {
		days = append(days, fmt.Sprintf("(%d, :f%d, :t%d)", i, i, i))
		args = append(args, sql.Named(fmt.Sprintf("f%d", i), fmtTime(bounds[i])), sql.Named(fmt.Sprintf("t%d", i), fmtTime(bounds[i+1])))
	}
	type row struct{ i, n int }
	rows, err := queryAll(ctx, t.tx, "count tickets per day", func(sc scanner) (row, error) {
		var r row
		err := sc.Scan(&r.i, &r.n)
		return r, err
	}, `WITH days(i, f, t) AS (VALUES `+strings.Join(days, ", ")+`)
		SELECT d.i, (SELECT count(*) FROM tickets k WHERE k.created_at >= d.f AND k.created_at < d.t`+sc+`)
		FROM days d`, args...)
	out := make([]int, len(bounds)-1)
	for _, r := range rows {
		out[r.i] = r.n
	}
	return out, err
}

// YearEndVotes is one village's answers to a year-end evaluation.
type YearEndVotes struct {
	Village string
	Answers int // households that rated 1–5
	Sum     int
}

// YearEndVotes sums the valid ratings (1–5) of a year-end run by village.
func (t *Tx) YearEndVotes(ctx context.Context, runID int64) ([]YearEndVotes, error) {
	return queryAll(ctx, t.tx, fmt.Sprintf("sum ratings of run %d", runID), func(sc scanner) (YearEndVotes, error) {
		var v YearEndVotes
		err := sc.Scan(&v.Village, &v.Answers, &v.Sum)
		return v, err
	}, `SELECT village, count(*), sum(CAST(answer AS INTEGER)) FROM outreach_recipients
		WHERE run_id = ? AND answer IN ('1', '2', '3', '4', '5') GROUP BY village ORDER BY village`, runID)
}
