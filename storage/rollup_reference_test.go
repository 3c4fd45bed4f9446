package storage

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"hotline/taxonomy"
)

// The reports' figures as they were computed before the rollup: every
// ticket of the period judged row by row, in SQL written apart from the
// rollup's. Only tests use them, to prove that the rollup gives exactly
// the same numbers (rollup_test.go).

// judgedRef are the columns of a ticket (alias k) judged at :at.
const judgedRef = `k.village, k.area, k.category, k.handler_id, k.handler_name, k.source, k.rating, k.reopened, k.campaign,
	k.linked_to = 0 AS prob,
	(k.accepted_at IS NOT NULL AND k.accepted_at <= :at) AS acc,
	(k.resolved_at IS NOT NULL AND k.resolved_at <= :at) AS res,
	coalesce(k.accepted_at <= k.accept_by, 0) AS acc_in_time,
	coalesce(k.resolved_at <= k.resolve_by, 0) AS res_in_time,
	k.accept_by <= :at AS acc_due, k.resolve_by <= :at AS res_due`

// ReferenceGroups is TicketGroups (with the deadlines handlers missed) and
// the ticket counts of AddScores, from the period's tickets alone.
func (t *Tx) ReferenceGroups(ctx context.Context, scope Scope, from, to, at time.Time) ([]TicketGroup, []HandlerMiss, error) {
	sc, args := scope.reportWhere()
	args = append(args, sql.Named("from", fmtTime(from)), sql.Named("to", fmtTime(to)), sql.Named("at", fmtTime(at)))
	groups, err := queryAll(ctx, t.tx, "reference groups", func(sc scanner) (TicketGroup, error) {
		var g TicketGroup
		h := &g.Held
		err := sc.Scan(&g.Village, &g.Area, &g.Category, &g.HandlerID, &g.Handler, &g.Source, &h.Tickets, &h.AcceptDue,
			&h.AcceptedOnTime, &h.ResolveDue, &h.ResolvedOnTime, &h.Ratings, &h.Satisfied, &h.RatingSum, &h.Reopened,
			&g.Proactive)
		g.RateCounts = g.Held
		return g, err
	}, `SELECT village, min(area), category,
			handler_id, min(handler_name), source, coalesce(sum(prob), 0),
			coalesce(sum(prob AND (acc OR acc_due)), 0), coalesce(sum(prob AND acc AND acc_in_time), 0),
			coalesce(sum(prob AND (res OR res_due)), 0), coalesce(sum(prob AND res AND res_in_time), 0),
			count(rating), coalesce(sum(rating >= 4), 0), coalesce(sum(rating), 0), coalesce(sum(prob AND reopened > 0), 0),
			coalesce(sum(prob AND (campaign <> '' OR source = 'visit')), 0)
		FROM (SELECT `+judgedRef+` FROM tickets k WHERE k.created_at >= :from AND k.created_at < :to`+sc+`)
		GROUP BY village, category, handler_id, source`, args...)
	if err != nil {
		return nil, nil, err
	}
	index := map[groupKey]int{}
	for i, g := range groups {
		index[g.key()] = i
	}
	if err := t.referenceMisses(ctx, sc, args, groups, index); err != nil {
		return nil, nil, err
	}
	misses, err := queryAll(ctx, t.tx, "reference missed deadlines", func(sc scanner) (HandlerMiss, error) {
		var m HandlerMiss
		err := sc.Scan(&m.HandlerID, &m.Handler, &m.Accept, &m.Resolve)
		return m, err
	}, `SELECT coalesce(json_extract(e.data, '$.handler_id'), 0), coalesce(json_extract(e.data, '$.handler'), ''),
			coalesce(sum(json_extract(e.data, '$.deadline') = 'accept'), 0),
			coalesce(sum(json_extract(e.data, '$.deadline') <> 'accept'), 0)
		FROM ticket_events e JOIN tickets k ON k.id = e.ticket_id
		WHERE e.kind = 'sla_missed' AND e.at >= :from AND e.at < :at
			AND k.created_at >= :from AND k.created_at < :to`+sc+`
		GROUP BY 1, 2 ORDER BY 2, 1`, args...)
	if err != nil {
		return nil, nil, err
	}
	return groups, misses, t.referenceScores(ctx, sc, args, groups, index)
}

// referenceMisses makes the tickets with a missed deadline due and late
// for it, by group.
func (t *Tx) referenceMisses(ctx context.Context, sc string, args []any, groups []TicketGroup, at map[groupKey]int) error {
	fix, err := queryAll(ctx, t.tx, "reference missed deadlines by group", func(sc scanner) (TicketGroup, error) {
		var g TicketGroup
		err := sc.Scan(&g.Village, &g.Category, &g.HandlerID, &g.Source, &g.AcceptDue, &g.AcceptedOnTime, &g.ResolveDue, &g.ResolvedOnTime)
		return g, err
	}, `WITH missed AS (
			SELECT e.ticket_id AS id,
				max(json_extract(e.data, '$.deadline') = 'accept') AS ma,
				max(json_extract(e.data, '$.deadline') = 'resolve') AS mr
			FROM ticket_events e JOIN tickets k ON k.id = e.ticket_id
			WHERE e.kind = 'sla_missed' AND e.at >= :from AND e.at < :at
				AND k.created_at >= :from AND k.created_at < :to`+sc+`
			GROUP BY e.ticket_id)
		SELECT village, category, handler_id, source,
			coalesce(sum(prob AND ma AND NOT (acc OR acc_due)), 0), coalesce(sum(prob AND ma AND acc AND acc_in_time), 0),
			coalesce(sum(prob AND mr AND NOT (res OR res_due)), 0), coalesce(sum(prob AND mr AND res AND res_in_time), 0)
		FROM missed m JOIN (SELECT k.id, `+judgedRef+` FROM tickets k) j ON j.id = m.id
		GROUP BY village, category, handler_id, source`, args...)
	for _, f := range fix {
		if i, ok := at[f.key()]; ok {
			c := &groups[i].RateCounts
			c.AcceptDue += f.AcceptDue
			c.AcceptedOnTime -= f.AcceptedOnTime
			c.ResolveDue += f.ResolveDue
			c.ResolvedOnTime -= f.ResolvedOnTime
		}
	}
	return err
}

// referenceScores fills the Score of groups from the period's tickets.
func (t *Tx) referenceScores(ctx context.Context, sc string, args []any, groups []TicketGroup, index map[groupKey]int) error {
	counts, err := queryAll(ctx, t.tx, "reference scores", func(sc scanner) (TicketGroup, error) {
		var g TicketGroup
		s := &g.Score
		err := sc.Scan(&g.Village, &g.Category, &g.HandlerID, &g.Source, &s.Problems, &s.ContactDue, &s.ContactedFirst,
			&s.Solved, &s.Partly, &s.Unsolved, &s.Reopened, &s.Overdue, &s.Ratings, &s.Satisfied, &s.Basic, &s.Dissatisfied,
			&s.Promised, &s.PromiseKept)
		s.ResolveDue = s.Solved + s.Partly + s.Unsolved + s.Reopened + s.Overdue
		return g, err
	}, `SELECT village, category, handler_id, source, coalesce(sum(prob), 0),
			coalesce(sum(contact > 0), 0), coalesce(sum(contact = 2), 0),
			coalesce(sum(res = 1), 0), coalesce(sum(res = 2), 0), coalesce(sum(res = 3), 0),
			coalesce(sum(res = 4), 0), coalesce(sum(res = 5), 0),
			count(rating), coalesce(sum(rating >= 4), 0), coalesce(sum(rating = 3), 0), coalesce(sum(rating <= 2), 0),
			coalesce(sum(promise > 0), 0), coalesce(sum(promise = 2), 0)
		FROM (SELECT k.village, k.category, k.handler_id, k.source, k.rating, k.linked_to = 0 AS prob,
			CASE WHEN k.linked_to <> 0 THEN 0
				WHEN k.resolved_at IS NOT NULL AND k.resolved_at <= :at THEN
					CASE WHEN k.reopened > 0 THEN 4 WHEN k.outcome = 'partly' THEN 2 WHEN k.outcome = 'unsolved' THEN 3 ELSE 1 END
				WHEN k.resolve_by <= :at THEN CASE WHEN k.reopened > 0 THEN 4 ELSE 5 END
				ELSE 0 END AS res,
			CASE WHEN k.linked_to <> 0 THEN 0
				WHEN (k.accepted_at IS NOT NULL AND k.accepted_at <= :at) OR (k.resolved_at IS NOT NULL AND k.resolved_at <= :at)
					OR k.accept_by <= :at THEN
					CASE WHEN k.contacted_at IS NOT NULL AND k.contacted_at <= :at
						AND (k.resolved_at IS NULL OR k.contacted_at <= k.resolved_at) THEN 2 ELSE 1 END
				ELSE 0 END AS contact,
			CASE WHEN k.linked_to <> 0 OR k.reply_by IS NULL THEN 0
				WHEN k.resolved_at IS NOT NULL AND k.resolved_at <= :at THEN CASE WHEN k.resolved_at <= k.reply_by THEN 2 ELSE 1 END
				WHEN k.reply_by <= :at THEN 1
				ELSE 0 END AS promise
			FROM tickets k WHERE k.created_at >= :from AND k.created_at < :to`+sc+`)
		GROUP BY village, category, handler_id, source`, args...)
	for _, c := range counts {
		if i, ok := index[c.key()]; ok {
			groups[i].Score = c.Score
		}
	}
	return err
}

// ReferenceCreatedByCategory is CreatedByCategory from the tickets alone.
func (t *Tx) ReferenceCreatedByCategory(ctx context.Context, scope Scope, from, to time.Time) (map[taxonomy.Category]int, error) {
	sc, args := scope.reportWhere()
	args = append(args, sql.Named("from", fmtTime(from)), sql.Named("to", fmtTime(to)))
	type row struct {
		c taxonomy.Category
		n int
	}
	rows, err := queryAll(ctx, t.tx, "reference count by category", func(sc scanner) (row, error) {
		var r row
		err := sc.Scan(&r.c, &r.n)
		return r, err
	}, `SELECT k.category, count(*) FROM tickets k WHERE k.created_at >= :from AND k.created_at < :to`+sc+`
		GROUP BY k.category`, args...)
	out := map[taxonomy.Category]int{}
	for _, r := range rows {
		out[r.c] = r.n
	}
	return out, err
}

// ReferenceCount counts the tickets whose col (accepted_at, resolved_at)
// is in [from, to), from the tickets alone.
func (t *Tx) ReferenceCount(ctx context.Context, col string, scope Scope, from, to time.Time) (int, error) {
	sc, args := scope.reportWhere()
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM tickets k NOT INDEXED WHERE k.`+col+` >= :from AND k.`+col+` < :to`+sc,
		with(args, sql.Named("from", fmtTime(from)), sql.Named("to", fmtTime(to)))...).Scan(&n)
	return n, err
}

// RollupRows is the rollup's rows that hold tickets, as text, for
// comparing a kept rollup with a rebuilt one.
func (t *Tx) RollupRows(ctx context.Context) ([]string, error) {
	return queryAll(ctx, t.tx, "rollup rows", func(sc scanner) (string, error) {
		var s string
		err := sc.Scan(&s)
		return s, err
	}, `SELECT grain || '|' || day || '|' || village || '|' || area || '|' || category || '|' || handler_id || '|' || handler_name || '|' || source
			|| '|' || `+strings.Join(rollupCols(), " || ',' || ")+` FROM ticket_rollup WHERE n <> 0 ORDER BY 1`)
}
