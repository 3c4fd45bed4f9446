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
// period's live parts (judgeGroups) judge every ticket for its handler and
// fill Score's ticket counts; one query over the few deadlines missed
// turns that into RateCounts and gives the handlers' misses.
func (t *Tx) TicketGroups(ctx context.Context, scope Scope, from, to, at time.Time) ([]TicketGroup, []HandlerMiss, error) {
	sc, args := scope.reportWhere()
	groups, err := t.judgeGroups(ctx, sc, args, from, to, at)
	if err != nil {
		return nil, nil, err
	}
	args = with(args, sql.Named("from", fmtTime(from)), sql.Named("to", fmtTime(to)), sql.Named("at", fmtTime(at)))
	misses, err := t.missedDeadlines(ctx, sc, args)
	if err != nil {
		return nil, nil, err
	}
	index := map[groupKey]int{}
	for i, g := range groups {
		index[g.key()] = i
	}
	misses.addTo(groups, index)
	return groups, misses.handlers, nil
}

// HandlerMiss is how many deadlines one handler let pass, before a time,
// on tickets created in a period: each was escalated away from them.
type HandlerMiss struct {
	HandlerID roster.StaffID
	Handler   string
	Accept    int
	Resolve   int
}

// misses is what the deadlines missed in a period count: by the handler
// who missed them, and by the group of their ticket now, the difference
// they make to its RateCounts.
type misses struct {
	handlers []HandlerMiss
	groups   []TicketGroup // the differences; keys and RateCounts only
}

// missedDeadlines reads the deadlines missed before :at on the tickets
// created in [:from, :to) within the scope (sc, args): few events, read
// through their own partial index with their JSON once for both counts,
// which SQL makes (a row per event would cost the driver more than the
// query).
func (t *Tx) missedDeadlines(ctx context.Context, sc string, args []any) (misses, error) {
	type row struct {
		byHandler bool
		h         HandlerMiss
		g         TicketGroup
	}
	rows, err := queryAll(ctx, t.tx, "report missed deadlines", func(sc scanner) (row, error) {
		var r row
		g := &r.g
		err := sc.Scan(&r.byHandler, &r.h.HandlerID, &r.h.Handler, &r.h.Accept, &r.h.Resolve,
			&g.Village, &g.Category, &g.HandlerID, &g.Source, &g.AcceptDue, &g.AcceptedOnTime, &g.ResolveDue, &g.ResolvedOnTime)
		return r, err
	}, `WITH ev AS MATERIALIZED (
			SELECT e.ticket_id AS id, json_extract(e.data, '$.deadline') AS deadline,
				coalesce(json_extract(e.data, '$.handler_id'), 0) AS hid, coalesce(json_extract(e.data, '$.handler'), '') AS hname
			FROM ticket_events e INDEXED BY ticket_events_sla_missed JOIN tickets k ON k.id = e.ticket_id
			WHERE e.kind = 'sla_missed' AND e.at >= :from AND e.at < :at
				AND k.created_at >= :from AND k.created_at < :to`+sc+`),
		missed AS (SELECT id, max(deadline = 'accept') AS ma, max(deadline = 'resolve') AS mr FROM ev GROUP BY id)
		SELECT 1, hid, hname, coalesce(sum(deadline = 'accept'), 0), coalesce(sum(deadline <> 'accept'), 0),
			'', '', 0, '', 0, 0, 0, 0
		FROM ev GROUP BY hid, hname
		UNION ALL
		SELECT 0, 0, '', 0, 0, village, category, handler_id, source,
			coalesce(sum(prob AND ma AND NOT (acc OR acc_due)), 0), coalesce(sum(prob AND ma AND acc AND acc_in_time), 0),
			coalesce(sum(prob AND mr AND NOT (res OR res_due)), 0), coalesce(sum(prob AND mr AND res AND res_in_time), 0)
		FROM missed m JOIN (SELECT k.id, `+judgedOnce+` FROM tickets k) j ON j.id = m.id
		GROUP BY village, category, handler_id, source`, args...)
	var m misses
	for _, r := range rows {
		if r.byHandler {
			m.handlers = append(m.handlers, r.h)
		} else {
			m.groups = append(m.groups, r.g)
		}
	}
	sort.Slice(m.handlers, func(i, j int) bool {
		a, b := m.handlers[i], m.handlers[j]
		if a.Handler != b.Handler {
			return a.Handler < b.Handler
		}
		return a.HandlerID < b.HandlerID
	})
	return m, err
}

// addTo makes the tickets with a missed deadline due and late for it,
// whoever holds them now.
func (m misses) addTo(groups []TicketGroup, index map[groupKey]int) {
	for _, f := range m.groups {
		i, ok := index[f.key()]
		if !ok {
			continue // the ticket left the period's groups since: cannot happen in one read
		}
		c := &groups[i].RateCounts
		c.AcceptDue += f.AcceptDue
		c.AcceptedOnTime -= f.AcceptedOnTime
		c.ResolveDue += f.ResolveDue
		c.ResolvedOnTime -= f.ResolvedOnTime
	}
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

func (t *Tx) countBetween(ctx context.Context, col string, scope Scope, from, to time.Time) (int, error) {
	sc, args := scope.reportWhere()
	args = append(args, sql.Named("from", fmtTime(from)), sql.Named("to", fmtTime(to)))
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM tickets k WHERE k.`+col+` >= :from AND k.`+col+` < :to`+sc, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count tickets by %s: %w", col, err)
	}
	return n, nil
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
