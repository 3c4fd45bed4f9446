package reports

import (
	"context"
	"fmt"
	"sort"

	"hotline/storage"
	"hotline/taxonomy"
)

// Dimension is what a list of rates is grouped by; the values are those
// of /api/v1/stats?by=.
type Dimension string

// Dimensions.
const (
	ByVillage  Dimension = "village"
	ByArea     Dimension = "area"
	ByCategory Dimension = "category"
	ByHandler  Dimension = "handler"
	BySource   Dimension = "source" // where requests came from: telegram, checkin, visit, phone, walkin, 12345
)

// ParseDimension reads a dimension as an API or a command line gives it.
func ParseDimension(s string) (Dimension, error) {
	switch d := Dimension(s); d {
	case ByVillage, ByArea, ByCategory, ByHandler, BySource:
		return d, nil
	}
	return "", fmt.Errorf("by %q: want village, area, category, handler or source", s)
}

// Sheet is the tickets created in a period, judged at its end, in fine
// groups; every figure of a period is a sum over one Sheet.
type Sheet struct {
	Period Period
	Scope  storage.Scope
	Groups []storage.TicketGroup
	Misses []storage.HandlerMiss // deadlines handlers let pass on these tickets
}

// LoadSheet reads the sheet of p within scope, judged at p.To.
func LoadSheet(ctx context.Context, tx *storage.Tx, scope storage.Scope, p Period) (Sheet, error) {
	return loadSheet(ctx, tx, scope, p, true)
}

// LoadSheetFor is LoadSheet for the rates by d alone: the deadlines
// handlers let pass (Misses, a read of the period's events) only by
// handler.
func LoadSheetFor(ctx context.Context, tx *storage.Tx, scope storage.Scope, p Period, d Dimension) (Sheet, error) {
	return loadSheet(ctx, tx, scope, p, d == ByHandler)
}

// loadSheet reads the sheet, its Misses only when misses is set: every
// other figure comes from the groups.
func loadSheet(ctx context.Context, tx *storage.Tx, scope storage.Scope, p Period, misses bool) (Sheet, error) {
	if misses {
		groups, m, err := tx.TicketGroups(ctx, scope, p.From, p.To, p.To)
		return Sheet{Period: p, Scope: scope, Groups: groups, Misses: m}, err
	}
	groups, err := tx.JudgeGroups(ctx, scope, p.From, p.To, p.To)
	return Sheet{Period: p, Scope: scope, Groups: groups}, err
}

// Total is the rates of every ticket of the sheet.
func (s Sheet) Total() Rates {
	r := Rates{Name: "合计"}
	for _, g := range s.Groups {
		r.Add(g.RateCounts)
	}
	return r
}

// Proactive counts the tickets opened from outreach, before anyone had
// to ask (未诉先办), next to Total().Tickets.
func (s Sheet) Proactive() int {
	n := 0
	for _, g := range s.Groups {
		n += g.Proactive
	}
	return n
}

// By is the rates grouped by d, by name. By handler it adds the deadlines
// each handler let pass before the ticket was escalated away from them.
func (s Sheet) By(d Dimension) []Rates {
	m := map[string]*Rates{}
	at := func(name string) *Rates {
		if name == "" {
			name = Unknown
		}
		if m[name] == nil {
			m[name] = &Rates{Name: name}
		}
		return m[name]
	}
	for _, g := range s.Groups {
		if d == ByHandler {
			at(g.Handler).Add(g.Held)
			continue
		}
		at(groupKey(g, d)).Add(g.RateCounts)
	}
	if d == ByHandler {
		for _, miss := range s.Misses {
			at(miss.Handler).Add(storage.RateCounts{Tickets: miss.Accept + miss.Resolve, AcceptDue: miss.Accept, ResolveDue: miss.Resolve})
		}
	}
	out := make([]Rates, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// CategoryCount is a number of tickets of one category.
type CategoryCount struct {
	Category taxonomy.Category
	N        int
}

// Count is a number of tickets under a name (a village).
type Count struct {
	Name string
	N    int
}

// GridCell is the tickets of one village and category.
type GridCell struct {
	Village  string
	Category taxonomy.Category
	N        int
}

// ByCategory is the number of tickets of each category, most first.
func (s Sheet) ByCategory() []CategoryCount {
	m := map[taxonomy.Category]int{}
	for _, g := range s.Groups {
		m[g.Category] += g.Tickets
	}
	return categoryCounts(m)
}

// ByVillage is the number of tickets of each village, most first.
func (s Sheet) ByVillage() []Count {
	m := map[string]int{}
	for _, g := range s.Groups {
		m[g.Village] += g.Tickets
	}
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

// Grid is the village × category table: every non-empty cell, by village
// then category.
func (s Sheet) Grid() []GridCell {
	type key struct {
		v string
		c taxonomy.Category
	}
	m := map[key]int{}
	for _, g := range s.Groups {
		m[key{g.Village, g.Category}] += g.Tickets
	}
	out := make([]GridCell, 0, len(m))
	for k, n := range m {
		out = append(out, GridCell{k.v, k.c, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Village != out[j].Village {
			return out[i].Village < out[j].Village
		}
		return out[i].Category < out[j].Category
	})
	return out
}

func categoryCounts(m map[taxonomy.Category]int) []CategoryCount {
	out := make([]CategoryCount, 0, len(m))
	for k, v := range m {
		out = append(out, CategoryCount{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Category < out[j].Category
	})
	return out
}

// groupKey is g's name in dimension d.
func groupKey(g storage.TicketGroup, d Dimension) string {
	switch d {
	case ByVillage:
		return g.Village
	case ByArea:
		return g.Area
	case ByCategory:
		return string(g.Category)
	case BySource:
		return string(g.Source)
	}
	return g.Handler
}
