package reports

import (
	"context"
	"slices"
	"sort"
	"time"

	"hotline/roster"
	"hotline/storage"
)

// What the centre's desk shows (and /api/v1 serves). Each function reads
// one scope — the township for the centre, a 片区 for its leader, villages
// for a cadre, categories for a department — so that a page never shows a
// figure its reader may not see.

// Overview is the desk's 总览 for a period: what came in, what is open now,
// and the rates.
type Overview struct {
	Period    Period
	New       int // created in the period
	Accepted  int // accepted in the period
	Resolved  int // resolved in the period
	Reopened  int // of the new ones, reopened at least once (未解决, "还没好")
	Proactive int // of the new ones, found by outreach before anyone asked (check-ins, visits)
	Open      int // open now, whenever created
	Overdue   int // open now and past their deadline
	Urgent    int // open now and urgent
	Rates     Rates
	// ByCategory is the new tickets by category, most first.
	ByCategory []CategoryCount
	// Grid is the village × category table of the new tickets.
	Grid []GridCell
}

// LoadOverview reads the overview of p within scope, the open counts as of
// now.
func LoadOverview(ctx context.Context, tx *storage.Tx, scope storage.Scope, p Period, now time.Time) (Overview, error) {
	o := Overview{Period: p}
	sheet, err := loadSheet(ctx, tx, scope, p, false) // no figure by handler
	if err != nil {
		return o, err
	}
	o.Rates = sheet.Total()
	o.New, o.Reopened, o.Proactive = o.Rates.Tickets, o.Rates.Reopened, sheet.Proactive()
	o.ByCategory, o.Grid = sheet.ByCategory(), sheet.Grid()
	if o.Accepted, err = tx.CountAccepted(ctx, scope, p.From, p.To); err != nil {
		return o, err
	}
	if o.Resolved, err = tx.CountResolved(ctx, scope, p.From, p.To); err != nil {
		return o, err
	}
	open, err := tx.OpenByVillage(ctx, scope, now, now)
	if err != nil {
		return o, err
	}
	for _, g := range open {
		o.Open, o.Overdue, o.Urgent = o.Open+g.Open, o.Overdue+g.Overdue, o.Urgent+g.Urgent
	}
	return o, nil
}

// Day is the new tickets of one day.
type Day struct {
	Day time.Time // midnight in the township's zone
	New int
}

// LoadTrend is the new tickets of each day of the days days up to and
// including the day of now, in loc: the desk's 30-day chart.
func LoadTrend(ctx context.Context, tx *storage.Tx, scope storage.Scope, now time.Time, days int, loc *time.Location) ([]Day, error) {
	l := now.In(loc)
	last := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	bounds := make([]time.Time, days+1)
	for i := range bounds {
		bounds[i] = last.AddDate(0, 0, i-days+1)
	}
	n, err := tx.CreatedPerDay(ctx, scope, bounds)
	if err != nil {
		return nil, err
	}
	out := make([]Day, days)
	for i := range out {
		out[i] = Day{Day: bounds[i], New: n[i]}
	}
	return out, nil
}

// VillageRow is one village on the desk's 村情 page.
type VillageRow struct {
	Name       string
	Area       string
	Households int // from the roster; 0 when unknown
	Requests   int // created in the period
	Open       int // open now
	Overdue    int // open now and past their deadline
	Rates      Rates
}

// Per100 is requests per 100 households; ok is false when the roster has
// no household count.
func (v VillageRow) Per100() (float64, bool) {
	p, ok := ratio(v.Requests*100, v.Households)
	return p, ok
}

// Quiet reports a village with no request in the period (无诉求村).
func (v VillageRow) Quiet() bool { return v.Requests == 0 }

// LoadVillages is every roster village within scope for p, ranked by
// requests per 100 households (most first; villages without a household
// count after, by requests), villages with no request listed too.
func LoadVillages(ctx context.Context, tx *storage.Tx, r *roster.Roster, scope storage.Scope, p Period, now time.Time) ([]VillageRow, error) {
	sheet, err := LoadSheetFor(ctx, tx, scope, p, ByVillage)
	if err != nil {
		return nil, err
	}
	open, err := tx.OpenByVillage(ctx, scope, now, now)
	if err != nil {
		return nil, err
	}
	rates := map[string]Rates{}
	for _, rt := range sheet.By(ByVillage) {
		rates[rt.Name] = rt
	}
	openOf := map[string]storage.OpenGroup{}
	for _, g := range open {
		openOf[g.Village] = g
	}
	var out []VillageRow
	for _, v := range r.Villages {
		if !inScope(scope, v) {
			continue
		}
		rt := rates[v.Name]
		rt.Name = v.Name
		out = append(out, VillageRow{Name: v.Name, Area: v.Area, Households: v.Households, Requests: rt.Tickets,
			Open: openOf[v.Name].Open, Overdue: openOf[v.Name].Overdue, Rates: rt})
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, oki := out[i].Per100()
		pj, okj := out[j].Per100()
		switch {
		case oki != okj:
			return oki
		case pi != pj:
			return pi > pj
		}
		return out[i].Requests > out[j].Requests
	})
	return out, nil
}

// inScope reports whether a roster village is listed for a scope: every
// village for those who see the township or categories across it, else
// the villages of their 片区 or their own.
func inScope(s storage.Scope, v roster.Village) bool {
	return s.All || len(s.Categories) > 0 || v.Area == s.Area || slices.Contains(s.Villages, v.Name)
}
