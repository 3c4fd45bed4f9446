package outreach

import (
	"context"
	"fmt"
	"sort"
	"time"

	"hotline/assets"
	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
)

// dueVillages are the villages whose visit falls in the slot's month:
// small villages every month, large villages every quarter (January,
// April, July, October), as the roster's size column says.
func (s *Service) dueVillages(a *assets.Assets, slot time.Time) []string {
	m := slot.In(s.cfg.loc).Month()
	quarter := (m-1)%3 == 0
	var out []string
	for _, v := range a.Roster.Villages {
		if v.Size != "large" || quarter {
			out = append(out, v.Name)
		}
	}
	return out
}

// visitLists makes each due village's cadres a visit list: open tickets,
// residents who did not answer a check-in since the last visit, and those
// who live alone.
func (s *Service) visitLists(ctx context.Context, view *storage.Tx, a *assets.Assets, run storage.Run) ([]storage.OutboxMessage, error) {
	r := a.Roster
	now := s.now()
	residents, err := view.Residents(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]storage.Resident{}
	alone := map[string][]storage.Resident{}
	for _, res := range residents {
		byID[res.ID] = res
		if res.HasTag(notice.TagAlone) {
			alone[res.Village] = append(alone[res.Village], res)
		}
	}
	var out []storage.OutboxMessage
	for _, name := range s.dueVillages(a, run.Slot) {
		v, _ := r.Village(name)
		since := run.Slot.AddDate(0, -1, 0)
		if v.Size == "large" {
			since = run.Slot.AddDate(0, -3, 0)
		}
		open, err := view.Tickets(ctx, storage.TicketFilter{Village: name, Open: true})
		if err != nil {
			return nil, err
		}
		notice.SortTasks(open, now)
		visits, err := view.Visits(ctx, name, since)
		if err != nil {
			return nil, err
		}
		var people []notice.VisitLine
		seen := map[int64]bool{}
		for _, vis := range visits {
			if res, ok := byID[vis.ResidentID]; ok && !seen[res.ID] {
				seen[res.ID] = true
				people = append(people, notice.VisitLine{Name: res.Name, Phone: res.Phone, Why: "问询未回复"})
			}
		}
		for _, res := range alone[name] {
			if !seen[res.ID] {
				seen[res.ID] = true
				people = append(people, notice.VisitLine{Name: res.Name, Phone: res.Phone, Why: "独居老人"})
			}
		}
		for _, c := range r.CadresOf(name) {
			m := notice.VisitList(name, open, people, now)
			m.ChatID, m.DedupeKey = int64(c.TelegramID), fmt.Sprintf("%s:%s", runKey(run, int64(c.TelegramID)), name)
			out = append(out, m)
		}
	}
	return out, nil
}

// WednesdayGroups orders an area's open tickets for the 下村日: villages
// with more overdue tickets first (then more tickets, then roster order),
// and within a village overdue tickets first, then by deadline.
func WednesdayGroups(r *roster.Roster, area string, open []storage.Ticket, now time.Time) ([]string, map[string][]storage.Ticket) {
	by := map[string][]storage.Ticket{}
	for _, t := range open {
		by[t.Village] = append(by[t.Village], t)
	}
	order := map[string]int{}
	for i, v := range r.VillagesIn(area) {
		order[v.Name] = i
	}
	overdue := map[string]int{}
	var villages []string
	for v, ts := range by {
		notice.SortTasks(ts, now)
		for _, t := range ts {
			if now.After(notice.NextDeadline(t)) {
				overdue[v]++
			}
		}
		villages = append(villages, v)
	}
	sort.Slice(villages, func(i, j int) bool {
		a, b := villages[i], villages[j]
		if overdue[a] != overdue[b] {
			return overdue[a] > overdue[b]
		}
		if len(by[a]) != len(by[b]) {
			return len(by[a]) > len(by[b])
		}
		oa, okA := order[a]
		ob, okB := order[b]
		if okA != okB {
			return okA
		}
		if oa != ob {
			return oa < ob
		}
		return a < b
	})
	return villages, by
}

// wednesdayLists makes every area leader the 下村日 list of their 片区.
func (s *Service) wednesdayLists(ctx context.Context, view *storage.Tx, a *assets.Assets, run storage.Run) ([]storage.OutboxMessage, error) {
	now := s.now()
	var out []storage.OutboxMessage
	for _, st := range a.Roster.Staff {
		if st.Role != roster.AreaLeader {
			continue
		}
		open, err := view.Tickets(ctx, storage.TicketFilter{Area: st.Area, Open: true})
		if err != nil {
			return nil, err
		}
		villages, by := WednesdayGroups(a.Roster, st.Area, open, now)
		m := notice.WednesdayList(st.Area, villages, by, now)
		m.ChatID, m.DedupeKey = int64(st.TelegramID), runKey(run, int64(st.TelegramID))
		out = append(out, m)
	}
	return out, nil
}
