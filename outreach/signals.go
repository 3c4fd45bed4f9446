package outreach

import (
	"context"
	"fmt"
	"sort"
	"time"

	"hotline/notice"
	"hotline/storage"
	"hotline/taxonomy"
)

// CheckSignals looks for clusters — at least signal.tickets tickets of one
// category from one village within signal.window — and alerts the
// village's cadres and area leader, and, when configured, tells the
// village's other residents the problem is known. A cluster alerts once:
// no second alert for the same village and category within the window.
func (s *Service) CheckSignals(ctx context.Context) (int, error) {
	now := s.now()
	window := time.Duration(s.cfg.Signal.Window)
	n := 0
	err := s.db.Update(ctx, func(tx *storage.Tx) error {
		// Times are stored to the millisecond: a bound of now+1ns would
		// round down to now and miss tickets created in this millisecond.
		recent, err := tx.Tickets(ctx, storage.TicketFilter{CreatedFrom: now.Add(-window), CreatedBefore: now.Add(time.Millisecond)})
		if err != nil {
			return err
		}
		type key struct {
			village  string
			category taxonomy.Category
		}
		groups := map[key][]storage.Ticket{}
		var keys []key
		for _, t := range recent {
			if t.Village == "" {
				continue
			}
			k := key{t.Village, t.Category}
			if groups[k] == nil {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], t)
		}
		sort.Slice(keys, func(i, j int) bool { return groups[keys[i]][0].ID < groups[keys[j]][0].ID })
		for _, k := range keys {
			ts := groups[k]
			if len(ts) < s.cfg.Signal.Tickets {
				continue
			}
			last, ok, err := tx.LastSignal(ctx, k.village, k.category)
			if err != nil {
				return err
			}
			if ok && now.Sub(last) < window {
				continue
			}
			if err := s.signal(ctx, tx, k.village, k.category, ts); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

func (s *Service) signal(ctx context.Context, tx *storage.Tx, village string, c taxonomy.Category, ts []storage.Ticket) error {
	now := s.now()
	id, err := tx.AddSignal(ctx, village, c, len(ts), now)
	if err != nil {
		return err
	}
	s.log.Info("outreach: ticket cluster", "village", village, "category", c, "tickets", len(ts))
	numbers := make([]string, len(ts))
	wrote := map[int64]bool{}
	for i, t := range ts {
		numbers[i] = t.Number
		wrote[t.ResidentID] = true
	}
	r := s.roster()
	var staff []int64
	for _, st := range r.CadresOf(village) {
		staff = append(staff, int64(st.TelegramID))
	}
	if v, ok := r.Village(village); ok {
		for _, st := range r.LeadersOf(v.Area) {
			staff = append(staff, int64(st.TelegramID))
		}
	}
	for _, chat := range staff {
		m := notice.SignalAlert(village, c, len(ts), time.Duration(s.cfg.Signal.Window), numbers)
		m.DedupeKey = fmt.Sprintf("signal:%d:%d", id, chat)
		if _, err := s.toStaff(ctx, tx, chat, m); err != nil {
			return err
		}
	}
	if s.cfg.Signal.TellResidents == nil || !*s.cfg.Signal.TellResidents {
		return nil
	}
	// Residents who already wrote have their own receipts.
	residents, err := tx.Audience(ctx, 0, 0, func(res storage.Resident) bool { return res.Village == village && !wrote[res.ID] })
	if err != nil {
		return err
	}
	for _, res := range residents {
		m := notice.SignalResidents(village, c)
		m.ChatID, m.DedupeKey = res.ID, fmt.Sprintf("signal:%d:%d", id, res.ID)
		if _, err := tx.Enqueue(ctx, m, now); err != nil {
			return err
		}
	}
	return nil
}
