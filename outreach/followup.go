package outreach

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hotline/notice"
	"hotline/storage"
)

// lookBack bounds how far back the follow-up jobs look, so a scan stays
// small however long the service runs.
const lookBack = 30 * 24 * time.Hour

// CheckUnanswered puts residents who did not answer a check-in within
// answer_within on their village's visit list and tells the cadres, one
// message per run, village and group. The visit row makes it once.
func (s *Service) CheckUnanswered(ctx context.Context) (int, error) {
	now := s.now()
	cutoff := now.Add(-time.Duration(s.cfg.AnswerWithin))
	n := 0
	err := s.db.Update(ctx, func(tx *storage.Tx) error {
		rs, err := tx.Unanswered(ctx, cutoff.Add(-lookBack), cutoff)
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
			for _, c := range s.roster().CadresOf(g.village) {
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
// not stop it: it is about the resident's own ticket.
func (s *Service) AskFixed(ctx context.Context) (int, error) {
	now := s.now()
	cutoff := now.Add(-time.Duration(s.cfg.FixedAfter))
	n := 0
	err := s.db.Update(ctx, func(tx *storage.Tx) error {
		ts, err := tx.TicketsResolvedBetween(ctx, cutoff.Add(-lookBack), cutoff)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if t.State != "resolved" && t.State != "closed" {
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
