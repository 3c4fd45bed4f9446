package outreach

import (
	"context"
	"fmt"
	"sort"
	"time"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
)

// Period is the stretch of time a digest covers: [From, To).
type Period struct {
	Kind     string // daily, weekly, monthly
	From, To time.Time
}

// PeriodFor is the period of a digest made at at in loc: daily is the day
// so far, weekly the seven days before at, monthly the previous calendar
// month (the 月综合 goes out on the 1st).
func PeriodFor(kind string, at time.Time, loc *time.Location) (Period, error) {
	l := at.In(loc)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	switch kind {
	case "daily":
		return Period{kind, midnight, at}, nil
	case "weekly":
		return Period{kind, at.AddDate(0, 0, -7), at}, nil
	case "monthly":
		first := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
		return Period{kind, first.AddDate(0, -1, 0), first}, nil
	}
	return Period{}, fmt.Errorf("digest %q: want daily, weekly or monthly", kind)
}

// previous is the period of the same length just before p, for trends.
func (p Period) previous() Period {
	if p.Kind == "monthly" {
		return Period{p.Kind, p.From.AddDate(0, -1, 0), p.From}
	}
	return Period{p.Kind, p.From.Add(-p.To.Sub(p.From)), p.From}
}

// Count is a name and a number of tickets.
type Count struct {
	Name string
	N    int
}

// Digest is what the 日调度, 周专题 and 月综合 report.
type Digest struct {
	Period   Period
	New      int // created in the period
	Accepted int // accepted in the period
	Resolved int // resolved in the period
	Overdue  int // open at the period's end and past a deadline
	PrevNew  int // created in the previous period of the same length

	ByCategory []Count // new tickets, most first
	ByVillage  []Count
	PrevByCat  map[string]int

	Total     Rates
	Villages  []Rates
	Areas     []Rates
	Handlers  []Rates
	Generated time.Time
}

// BuildDigest computes a digest over ts, which must hold every ticket
// created before p.To (older ones count towards accepted, resolved and
// overdue), and misses, the deadlines missed before p.To on tickets created
// in the period.
func BuildDigest(ts []storage.Ticket, misses []storage.SLAMiss, p Period) Digest {
	d := Digest{Period: p, PrevByCat: map[string]int{}}
	prev := p.previous()
	in := func(t, from, to time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	cats, vils := map[string]int{}, map[string]int{}
	villages, areas, handlers := map[string]*Rates{}, map[string]*Rates{}, map[string]*Rates{}
	rates := func(m map[string]*Rates, name string) *Rates {
		if name == "" {
			name = "（未定）"
		}
		if m[name] == nil {
			m[name] = &Rates{Name: name}
		}
		return m[name]
	}
	missed := map[storage.TicketID]Missed{}
	for _, m := range misses {
		if !m.At.Before(p.To) {
			continue
		}
		x := missed[m.TicketID]
		if m.Deadline == "accept" {
			x.Accept = true
		} else {
			x.Resolve = true
		}
		missed[m.TicketID] = x
		rates(handlers, m.Handler).AddMiss(m.Deadline)
	}
	for _, t := range ts {
		if in(t.AcceptedAt, p.From, p.To) {
			d.Accepted++
		}
		if in(t.ResolvedAt, p.From, p.To) {
			d.Resolved++
		}
		if t.CreatedAt.Before(p.To) && (t.State == "new" || t.State == "assigned" || t.State == "accepted") &&
			p.To.After(notice.NextDeadline(t)) {
			d.Overdue++
		}
		if in(t.CreatedAt, prev.From, prev.To) {
			d.PrevNew++
			d.PrevByCat[string(t.Category)]++
		}
		if !in(t.CreatedAt, p.From, p.To) {
			continue
		}
		d.New++
		cats[string(t.Category)]++
		vils[t.Village]++
		m := missed[t.ID]
		d.Total.Add(t, p.To, m)
		rates(villages, t.Village).Add(t, p.To, m)
		rates(areas, t.Area).Add(t, p.To, m)
		rates(handlers, t.HandlerName).Add(t, p.To, Missed{})
	}
	d.ByCategory, d.ByVillage = counts(cats), counts(vils)
	d.Villages, d.Areas, d.Handlers = sortedRates(villages), sortedRates(areas), sortedRates(handlers)
	return d
}

func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func sortedRates(m map[string]*Rates) []Rates {
	out := make([]Rates, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LoadDigest reads the tickets and builds the digest of kind made at at.
func LoadDigest(ctx context.Context, tx *storage.Tx, kind string, at time.Time, loc *time.Location) (Digest, error) {
	p, err := PeriodFor(kind, at, loc)
	if err != nil {
		return Digest{}, err
	}
	ts, err := tx.Tickets(ctx, storage.TicketFilter{CreatedBefore: p.To})
	if err != nil {
		return Digest{}, err
	}
	misses, err := tx.SLAMisses(ctx, p.From, p.To, p.To)
	if err != nil {
		return Digest{}, err
	}
	d := BuildDigest(ts, misses, p)
	d.Generated = at
	return d, nil
}

// digests queues the digest of a run to the centre.
func (s *Service) digests(ctx context.Context, tx *storage.Tx, c Campaign, run storage.Run) error {
	kind := run.Note
	if kind == "" {
		kind = c.Digest
	}
	d, err := LoadDigest(ctx, tx, kind, run.Slot, s.cfg.loc)
	if err != nil {
		return err
	}
	text := DigestText(d, s.cfg.loc)
	for _, st := range s.roster().Staff {
		if st.Role != roster.Center {
			continue
		}
		m := notice.Digest(text)
		m.DedupeKey = runKey(run, int64(st.TelegramID))
		if _, err := s.toStaff(ctx, tx, int64(st.TelegramID), m); err != nil {
			return err
		}
	}
	return nil
}
