package outreach

import (
	"context"
	"fmt"
	"math"
	"time"

	"hotline/assets"
	"hotline/notice"
	"hotline/storage"
	"hotline/taxonomy"
)

// A signal is a cluster of tickets of one category from one village that
// is unusual for that village: at least signal.tickets (the floor) within
// signal.window, and at least signal.factor times what the village
// usually sends of that category in such a window (its own pace over the
// signal.baseline_days before today). A town centre that always writes
// about its roads is not alarming at its usual pace; a quiet village with
// three power tickets in two hours is. A cluster alerts once: no second
// alert for the same village and category within signal.cooldown.

// countsJob is the signal job's position in the tickets it has counted.
const countsJob = "signal-counts"

// countChunk bounds how many new tickets one pass counts, so the first
// pass after an upgrade (a month of tickets) is spread over a few.
const countChunk = 20000

// CheckSignals counts the tickets that arrived since its last pass, then
// alerts the village's cadres and area leader of each unusual cluster,
// and, when configured, tells the village's other residents the problem
// is known. It reads on the read pool and writes in short transactions;
// alerts and notices go in the campaign lane (see notice), behind ticket
// traffic.
func (s *Service) CheckSignals(ctx context.Context) (int, error) {
	now := s.now()
	if err := s.countNew(ctx, now); err != nil {
		return 0, err
	}
	sig := s.cfg.Signal
	window := time.Duration(sig.Window)
	var found []spike
	err := s.db.View(ctx, func(tx *storage.Tx) error {
		// Times are stored to the millisecond: a bound of now+1ns would
		// round down to now and miss tickets created in this millisecond.
		clusters, err := tx.Clusters(ctx, now.Add(-window), now.Add(time.Millisecond), sig.Tickets)
		if err != nil {
			return err
		}
		for _, c := range clusters {
			sp, ok, err := s.unusual(ctx, tx, c, now)
			if err != nil {
				return err
			}
			if ok {
				found = append(found, sp)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	a := s.assets.Assets()
	n := 0
	for _, sp := range found {
		raised := false
		if err := s.db.Update(ctx, func(tx *storage.Tx) error {
			var err error
			raised, err = s.signal(ctx, tx, a, sp, now)
			return err
		}); err != nil {
			return n, err
		}
		if raised {
			n++
		}
	}
	return n, nil
}

// spike is an unusual cluster and its tickets.
type spike struct {
	storage.Cluster
	expected float64 // what the village usually sends of the category in a window
	tickets  []storage.Ticket
}

// unusual judges a cluster against the village's own pace and the
// cool-down, and reads its tickets when it is a signal.
func (s *Service) unusual(ctx context.Context, tx *storage.Tx, c storage.Cluster, now time.Time) (spike, bool, error) {
	sig := s.cfg.Signal
	window := time.Duration(sig.Window)
	today := now.UTC().Truncate(24 * time.Hour)
	past, err := tx.DayCountSum(ctx, c.Village, c.Category, today.AddDate(0, 0, -sig.BaselineDays).Format(time.DateOnly), today.Format(time.DateOnly))
	if err != nil {
		return spike{}, false, err
	}
	expected := float64(past) * float64(window) / float64(time.Duration(sig.BaselineDays)*24*time.Hour)
	if float64(c.N) < math.Max(float64(sig.Tickets), sig.Factor*expected) {
		return spike{}, false, nil
	}
	last, ok, err := tx.LastSignal(ctx, c.Village, c.Category)
	if err != nil || (ok && now.Sub(last) < time.Duration(sig.Cooldown)) {
		return spike{}, false, err
	}
	ts, err := tx.Tickets(ctx, storage.TicketFilter{Village: c.Village, Category: c.Category,
		CreatedFrom: now.Add(-window), CreatedBefore: now.Add(time.Millisecond)})
	return spike{Cluster: c, expected: expected, tickets: ts}, err == nil, err
}

// countNew adds the tickets created since the last pass to the per-day
// tallies the baselines are summed from: read on the read pool, written
// with the new position in one short transaction.
func (s *Service) countNew(ctx context.Context, now time.Time) error {
	var fresh []storage.NewTicket
	var from storage.TicketID
	err := s.db.View(ctx, func(tx *storage.Tx) error {
		pos, ok, err := tx.JobPosition(ctx, countsJob)
		if err != nil {
			return err
		}
		if !ok {
			// First pass: start a baseline back, not at the first ticket ever.
			start := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -s.cfg.Signal.BaselineDays)
			if pos, err = tx.LastTicketBefore(ctx, start); err != nil {
				return err
			}
		}
		from = pos
		fresh, err = tx.TicketsAfter(ctx, pos, countChunk)
		return err
	})
	if err != nil || len(fresh) == 0 {
		return err
	}
	type key struct {
		v   string
		c   taxonomy.Category
		day string
	}
	sums := map[key]int{}
	var order []key
	for _, t := range fresh {
		if t.Village == "" {
			continue
		}
		k := key{t.Village, t.Category, t.CreatedAt.UTC().Format(time.DateOnly)}
		if sums[k] == 0 {
			order = append(order, k)
		}
		sums[k]++
	}
	counts := make([]storage.DayCount, len(order))
	for i, k := range order {
		counts[i] = storage.DayCount{Village: k.v, Category: k.c, Day: k.day, N: sums[k]}
	}
	return s.db.Update(ctx, func(tx *storage.Tx) error {
		// Another process may have counted them since: only the one that
		// moves the position from where it was read counts.
		pos, _, err := tx.JobPosition(ctx, countsJob)
		if err != nil || (pos != 0 && pos != from) {
			return err
		}
		if err := tx.AddDayCounts(ctx, counts); err != nil {
			return err
		}
		return tx.SetJobPosition(ctx, countsJob, fresh[len(fresh)-1].ID)
	})
}

// signal records and sends one alert, unless another pass raised it in the
// meantime.
func (s *Service) signal(ctx context.Context, tx *storage.Tx, a *assets.Assets, sp spike, now time.Time) (bool, error) {
	last, ok, err := tx.LastSignal(ctx, sp.Village, sp.Category)
	if err != nil || (ok && now.Sub(last) < time.Duration(s.cfg.Signal.Cooldown)) {
		return false, err
	}
	id, err := tx.AddSignal(ctx, sp.Village, sp.Category, len(sp.tickets), now)
	if err != nil {
		return false, err
	}
	s.log.Info("outreach: ticket cluster", "village", sp.Village, "category", sp.Category, "tickets", len(sp.tickets),
		"usual", fmt.Sprintf("%.1f", sp.expected))
	numbers := make([]string, len(sp.tickets))
	wrote := map[int64]bool{}
	for i, t := range sp.tickets {
		numbers[i] = t.Number
		wrote[t.ResidentID] = true
	}
	var staff []int64
	for _, st := range a.Roster.CadresOf(sp.Village) {
		staff = append(staff, int64(st.TelegramID))
	}
	if v, ok := a.Roster.Village(sp.Village); ok {
		for _, st := range a.Roster.LeadersOf(v.Area) {
			staff = append(staff, int64(st.TelegramID))
		}
	}
	for _, chat := range staff {
		m := notice.SignalAlert(sp.Village, sp.Category, len(sp.tickets), time.Duration(s.cfg.Signal.Window), numbers)
		m.DedupeKey = fmt.Sprintf("signal:%d:%d", id, chat)
		if _, err := s.toStaff(ctx, tx, chat, m); err != nil {
			return false, err
		}
	}
	if s.cfg.Signal.TellResidents == nil || !*s.cfg.Signal.TellResidents {
		return true, nil
	}
	// Residents who already wrote have their own receipts.
	residents, err := tx.Audience(ctx, 0, 0, func(res storage.Resident) bool { return res.Village == sp.Village && !wrote[res.ID] })
	if err != nil {
		return false, err
	}
	for _, res := range residents {
		m := notice.SignalResidents(sp.Village, sp.Category)
		m.ChatID, m.DedupeKey = res.ID, fmt.Sprintf("signal:%d:%d", id, res.ID)
		if _, err := tx.Enqueue(ctx, m, now); err != nil {
			return false, err
		}
	}
	return true, nil
}
