package storage

import (
	"context"
	"database/sql"
	"time"
)

// ScoreCounts are the counts behind the 12345 scorecard for a group of
// tickets created in a period, judged at one instant (reports.Scorecard
// says what each rate is). A report linked to another (the same problem)
// counts only its rating; everything else is counted once, on the ticket
// it was linked to.
type ScoreCounts struct {
	Problems int // tickets that are not linked to another

	ContactDue     int // taken or due to be taken (accepted or resolved by the instant, or the accept deadline passed)
	ContactedFirst int // of those, the requester phoned first (先行联系) before the ticket was resolved

	ResolveDue int // resolved by the instant, or the resolve deadline passed
	Solved     int // resolved, 解决, never reopened
	Partly     int // resolved, 部分解决, never reopened
	Unsolved   int // resolved as 未解决, never reopened
	Reopened   int // due and reopened at least once (the requester said 未解决 or 还没好)
	Overdue    int // due and not resolved

	Ratings      int // one per requester who rated
	Satisfied    int // 4 or 5 stars: 满意
	Basic        int // 3 stars: 基本满意
	Dissatisfied int // 1 or 2 stars: 不满意

	Promised    int // a reply was promised and is due (or was given)
	PromiseKept int // resolved by the promised time

	ExtensionsAsked, ExtensionsApproved int // 延期
	ReturnsAsked, ReturnsApproved       int // 退单
	Supervised                          int // 督办 by the 12345 platform
	Urged                               int // 督办 by the centre
}

// Add adds o's counts to c.
func (c *ScoreCounts) Add(o ScoreCounts) {
	c.Problems += o.Problems
	c.ContactDue += o.ContactDue
	c.ContactedFirst += o.ContactedFirst
	c.ResolveDue += o.ResolveDue
	c.Solved += o.Solved
	c.Partly += o.Partly
	c.Unsolved += o.Unsolved
	c.Reopened += o.Reopened
	c.Overdue += o.Overdue
	c.Ratings += o.Ratings
	c.Satisfied += o.Satisfied
	c.Basic += o.Basic
	c.Dissatisfied += o.Dissatisfied
	c.Promised += o.Promised
	c.PromiseKept += o.PromiseKept
	c.ExtensionsAsked += o.ExtensionsAsked
	c.ExtensionsApproved += o.ExtensionsApproved
	c.ReturnsAsked += o.ReturnsAsked
	c.ReturnsApproved += o.ReturnsApproved
	c.Supervised += o.Supervised
	c.Urged += o.Urged
}

// AddScores completes the Score of groups, the TicketGroups of the same
// scope and period at the same instant, with the requests to the centre
// and the 督办 recorded on their tickets before the instant (TicketGroups
// counted the rest: ResolveDue splits into Solved, Partly, Unsolved —
// outcomes of tickets never reopened —, Reopened and Overdue; a ticket
// resolved before outcomes were recorded counts as solved). Only the
// reports that show the scorecard pay for it.
func (t *Tx) AddScores(ctx context.Context, scope Scope, from, to, at time.Time, groups []TicketGroup) error {
	sc, args := scope.reportWhere()
	args = append(args, sql.Named("from", fmtTime(from)), sql.Named("to", fmtTime(to)), sql.Named("at", fmtTime(at)))
	index := map[groupKey]int{}
	for i, g := range groups {
		index[g.key()] = i
	}
	return t.addHandlingEvents(ctx, sc, args, groups, index)
}

// addHandlingEvents counts, by group, the requests to the centre and the
// 督办 recorded on the period's tickets before the instant: few events,
// read through their own partial index.
func (t *Tx) addHandlingEvents(ctx context.Context, sc string, args []any, groups []TicketGroup, at map[groupKey]int) error {
	counts, err := queryAll(ctx, t.tx, "report handling events by group", func(sc scanner) (TicketGroup, error) {
		var g TicketGroup
		s := &g.Score
		err := sc.Scan(&g.Village, &g.Category, &g.HandlerID, &g.Source, &s.ExtensionsAsked, &s.ExtensionsApproved,
			&s.ReturnsAsked, &s.ReturnsApproved, &s.Supervised, &s.Urged)
		return g, err
	}, `SELECT k.village, k.category, k.handler_id, k.source,
			sum(e.kind = 'extension_requested'), sum(e.kind = 'extension_approved'),
			sum(e.kind = 'return_requested'), sum(e.kind = 'return_approved'),
			sum(e.kind = 'supervised'), sum(e.kind = 'urged')
		FROM ticket_events e INDEXED BY ticket_events_handling JOIN tickets k ON k.id = e.ticket_id
		WHERE e.kind IN ('extension_requested', 'extension_approved', 'return_requested', 'return_approved', 'supervised', 'urged')
			AND e.at >= :from AND e.at < :at AND k.created_at >= :from AND k.created_at < :to`+sc+`
		GROUP BY k.village, k.category, k.handler_id, k.source`, args...)
	if err != nil {
		return err
	}
	for _, c := range counts {
		if i, ok := at[c.key()]; ok {
			s := &groups[i].Score
			s.ExtensionsAsked += c.Score.ExtensionsAsked
			s.ExtensionsApproved += c.Score.ExtensionsApproved
			s.ReturnsAsked += c.Score.ReturnsAsked
			s.ReturnsApproved += c.Score.ReturnsApproved
			s.Supervised += c.Score.Supervised
			s.Urged += c.Score.Urged
		}
	}
	return nil
}
