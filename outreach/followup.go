package outreach

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hotline/notice"
	"hotline/storage"
)

// lookBack bounds how far back the follow-up jobs look on their first
// pass; after it, each reads only what fell due since its stored cursor.
const lookBack = 30 * 24 * time.Hour

// Job cursors.
const (
	cursorUnanswered = "unanswered"
	cursorFixed      = "fixed"
)

// window bounds what one transaction of a job that reads by time covers:
// a first pass (a month) or a pass after a long stop goes an hour at a
// time, so no transaction holds the write lock long or loads a month of
// tickets at once.
const window = time.Hour

// byWindow runs fn over what fell due since the job's cursor (lookBack
// before cutoff on its first pass), up to cutoff, a window per write
// transaction that also moves the cursor.
func (s *Service) byWindow(ctx context.Context, job string, cutoff time.Time, fn func(tx *storage.Tx, from, to time.Time) error) error {
	var from time.Time
	if err := s.db.View(ctx, func(tx *storage.Tx) error {
		at, ok, err := tx.JobCursor(ctx, job)
		from = at
		if !ok {
			from = cutoff.Add(-lookBack)
		}
		return err
	}); err != nil {
		return err
	}
	for from.Before(cutoff) {
		to := from.Add(window)
		if to.After(cutoff) {
			to = cutoff
		}
		if err := s.db.Update(ctx, func(tx *storage.Tx) error {
			if err := fn(tx, from, to); err != nil {
				return err
			}
			return tx.SetJobCursor(ctx, job, to)
		}); err != nil {
			return err
		}
		from = to
	}
	return nil
}

// CheckUnanswered puts residents who did not answer a check-in within
// answer_within on their village's visit list and tells the cadres, one
// message per run, village and group. It reads only the questions whose
// answer_within ran out since its last pass; the visit row and the dedupe
// key make a repeated pass send nothing.
func (s *Service) CheckUnanswered(ctx context.Context) (int, error) {
	now := s.now()
	cutoff := now.Add(-time.Duration(s.cfg.AnswerWithin))
	a := s.assets.Assets()
	n := 0
	err := s.byWindow(ctx, cursorUnanswered, cutoff, func(tx *storage.Tx, from, to time.Time) error {
		rs, err := tx.Unanswered(ctx, from, to, answering(answerCheckin))
		if err != nil {
			return err
		}
		type group struct {
			run     int64
			village string
		}
		var order []group
		by := map[group][]storage.Recipient{}
		for _, r := range rs {
			g := group{r.RunID, r.Village}
			if by[g] == nil {
				order = append(order, g)
			}
			by[g] = append(by[g], r)
		}
		for _, g := range order {
			run, err := tx.Run(ctx, g.run)
			if err != nil {
				return err
			}
			title := run.Campaign
			if c, ok := s.cfg.Campaign(run.Campaign); ok {
				title = c.Title
			}
			var people []notice.VisitLine
			for _, r := range by[g] {
				if err := tx.AddVisit(ctx, storage.Visit{ResidentID: r.ChatID, RunID: r.RunID, Village: r.Village, AddedAt: now}); err != nil {
					return err
				}
				res, err := tx.Resident(ctx, r.ChatID)
				if err != nil && !errors.Is(err, storage.ErrNotFound) {
					return err
				}
				people = append(people, notice.VisitLine{Name: res.Name, Phone: res.Phone, Why: "未回复"})
				n++
			}
			for _, c := range a.Roster.CadresOf(g.village) {
				key := fmt.Sprintf("noanswer:%d:%s:%d:%d", g.run, g.village, by[g][0].ChatID, c.TelegramID)
				m := notice.NoAnswerList(g.village, title, people)
				m.DedupeKey = key
				if _, err := s.toStaff(ctx, tx, int64(c.TelegramID), m); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return n, err
}

// AskFixed asks residents fixed_after a ticket was resolved whether the
// problem stayed fixed — once per resolution (the key carries its time),
// and apart from the satisfaction rating. Opting out of campaigns does
// not stop it: it is about the resident's own ticket. It reads only the
// resolutions that became fixed_after old since its last pass.
func (s *Service) AskFixed(ctx context.Context) (int, error) {
	now := s.now()
	cutoff := now.Add(-time.Duration(s.cfg.FixedAfter))
	n := 0
	err := s.byWindow(ctx, cursorFixed, cutoff, func(tx *storage.Tx, from, to time.Time) error {
		ts, err := tx.TicketsResolvedBetween(ctx, from, to)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if t.State.Open() { // reopened since: its next resolution is asked about
				continue
			}
			ok, err := tx.Reachable(ctx, t.ResidentID)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			id, err := tx.Enqueue(ctx, fixedAsk(t), now)
			if err != nil {
				return err
			}
			if id != 0 {
				n++
			}
		}
		return nil
	})
	return n, err
}

// fixedAsk is the question to t's resident, keyed once per resolution.
func fixedAsk(t storage.Ticket) storage.OutboxMessage {
	m := notice.FixedAsk(t)
	m.ChatID, m.DedupeKey = t.ResidentID, fmt.Sprintf("fixed:%d:%d", t.ID, t.ResolvedAt.Unix())
	return m
}
