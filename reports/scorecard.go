package reports

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// Scorecard is a group's figures on the 12345 platform's four rates, over
// the tickets created in a period, judged at its end (a problem reported
// by several counts once, every requester's rating counts):
//
//   - 先行联系率 (contact) = tickets whose requester the handler phoned first,
//     recorded before resolving / tickets taken or due to be taken
//     (accepted or resolved by the end, or the accept deadline passed);
//   - 响应率 (response) = the response rate of Rates: accepted by the accept
//     deadline / due to be accepted;
//   - 解决率 (resolution) = (解决 + 部分解决 × Weights.Partly) / tickets due
//     to be resolved (resolved by the end, or the resolve deadline passed);
//     未解决, a ticket reopened at least once (the requester said 未解决 or
//     还没好) and an overdue one earn nothing;
//   - 满意率 (satisfaction) = (满意 + 基本满意 × Weights.Basic) / ratings,
//     where 4–5 stars are 满意, 3 基本满意 and 1–2 不满意.
//
// The score is the weighted mean of the rates that have a denominator, on
// 100: 30 × response + 35 × resolution + 35 × satisfaction by default. A
// rate without a denominator is "—" and its weight is left out.
type Scorecard struct {
	Name string
	storage.ScoreCounts
	Rates storage.RateCounts // for the response rate, with the deadlines handlers let pass
}

// Contact is 先行联系率; ok is false when nothing was due.
func (c Scorecard) Contact() (float64, bool) { return ratio(c.ContactedFirst, c.ContactDue) }

// Response is 响应率; ok is false when nothing was due.
func (c Scorecard) Response() (float64, bool) {
	return ratio(c.Rates.AcceptedOnTime, c.Rates.AcceptDue)
}

// Resolution is 解决率 with 部分解决 earning w.Partly; ok is false when
// nothing was due.
func (c Scorecard) Resolution(w Weights) (float64, bool) {
	return fraction(float64(c.Solved)+w.Partly*float64(c.Partly), c.ResolveDue)
}

// Satisfaction is 满意率 with 基本满意 earning w.Basic; ok is false without
// ratings.
func (c Scorecard) Satisfaction(w Weights) (float64, bool) {
	return fraction(float64(c.Satisfied)+w.Basic*float64(c.Basic), c.Ratings)
}

// PromisesKept is the share of promised replies given in time; ok is
// false when none was due.
func (c Scorecard) PromisesKept() (float64, bool) { return ratio(c.PromiseKept, c.Promised) }

// Score is the weighted score on 100; ok is false when no rate has a
// denominator.
func (c Scorecard) Score(w Weights) (float64, bool) {
	var sum, weight float64
	add := func(points, v float64, ok bool) {
		if ok && points > 0 {
			sum, weight = sum+points*v, weight+points
		}
	}
	v, ok := c.Contact()
	add(w.Contact, v, ok)
	v, ok = c.Response()
	add(w.Response, v, ok)
	v, ok = c.Resolution(w)
	add(w.Resolution, v, ok)
	v, ok = c.Satisfaction(w)
	add(w.Satisfaction, v, ok)
	if weight == 0 {
		return 0, false
	}
	return 100 * sum / weight, true
}

func fraction(a float64, b int) (float64, bool) {
	if b == 0 {
		return 0, false
	}
	return a / float64(b), true
}

// Scoreboard is a period's scorecards: the total and the lists the
// township ranks (by village, 片区, department, handler) and the split by
// source (named by its id, as categories are).
type Scoreboard struct {
	Weights     Weights
	Total       Scorecard
	Villages    []Scorecard
	Areas       []Scorecard
	Departments []Scorecard
	Handlers    []Scorecard
	Sources     []Scorecard
}

// Village-level work: the categories no department of the roster takes.
const villageLevel = "村级办理"

// LoadScoreboard reads the 12345 scorecards of p within scope, judged at
// p.To, under weights w, departments named from roster r. It reads the
// period's tickets twice (the sheet, then the scores), so only the
// reports that show it pay for it.
func LoadScoreboard(ctx context.Context, tx *storage.Tx, scope storage.Scope, p Period, w Weights, r *roster.Roster) (Scoreboard, error) {
	sheet, err := LoadSheet(ctx, tx, scope, p)
	if err != nil {
		return Scoreboard{}, err
	}
	if err := tx.AddScores(ctx, scope, p.From, p.To, p.To, sheet.Groups); err != nil {
		return Scoreboard{}, err
	}
	return sheet.Scoreboard(w, r), nil
}

// Scoreboard is the sheet's scorecards under weights w; the sheet's groups
// carry their scores (LoadScoreboard). A department is the roster's first
// department taking a ticket's category (as routing chooses it), named
// with its categories; categories no department takes are villageLevel.
func (s Sheet) Scoreboard(w Weights, r *roster.Roster) Scoreboard {
	b := Scoreboard{Weights: w, Total: Scorecard{Name: "合计"}}
	for _, g := range s.Groups {
		b.Total.ScoreCounts.Add(g.Score)
		b.Total.Rates.Add(g.RateCounts)
	}
	b.Villages = s.scores(func(g storage.TicketGroup) string { return g.Village }, false)
	b.Areas = s.scores(func(g storage.TicketGroup) string { return g.Area }, false)
	b.Departments = s.scores(func(g storage.TicketGroup) string { return departmentOf(r, g.Category) }, false)
	b.Handlers = s.scores(func(g storage.TicketGroup) string { return g.Handler }, true)
	b.Sources = s.scores(func(g storage.TicketGroup) string { return string(g.Source) }, false)
	return b
}

// scores sums the sheet's groups by name. By handler, each is judged on
// the deadlines they held and those they let pass, as Sheet.By does.
func (s Sheet) scores(name func(storage.TicketGroup) string, byHandler bool) []Scorecard {
	m := map[string]*Scorecard{}
	at := func(n string) *Scorecard {
		if n == "" {
			n = Unknown
		}
		if m[n] == nil {
			m[n] = &Scorecard{Name: n}
		}
		return m[n]
	}
	for _, g := range s.Groups {
		c := at(name(g))
		c.ScoreCounts.Add(g.Score)
		if byHandler {
			c.Rates.Add(g.Held)
		} else {
			c.Rates.Add(g.RateCounts)
		}
	}
	if byHandler {
		for _, miss := range s.Misses {
			at(miss.Handler).Rates.Add(storage.RateCounts{Tickets: miss.Accept + miss.Resolve, AcceptDue: miss.Accept, ResolveDue: miss.Resolve})
		}
	}
	out := make([]Scorecard, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// departmentOf names the department that takes category c.
func departmentOf(r *roster.Roster, c taxonomy.Category) string {
	if r == nil {
		return villageLevel
	}
	deps := r.DepartmentsFor(c)
	if len(deps) == 0 {
		return villageLevel
	}
	names := make([]string, len(deps[0].Departments))
	for i, d := range deps[0].Departments {
		names[i] = d.Chinese()
	}
	return deps[0].Name + "（" + strings.Join(names, "、") + "）"
}

// By is the scoreboard's list for dimension d (village, area, handler,
// source); nil for a dimension it does not rank by (category).
func (b Scoreboard) By(d Dimension) []Scorecard {
	switch d {
	case ByVillage:
		return b.Villages
	case ByArea:
		return b.Areas
	case ByHandler:
		return b.Handlers
	case BySource:
		return b.Sources
	}
	return nil
}

// ScoreText formats a score out of 100 (87.5), or "—" without one.
func ScoreText(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f", v)
}

// ScoreSection is one list of the scoreboard with its title, as the
// reports show them.
type ScoreSection struct {
	Title string
	Cards []Scorecard
}

// Sections are the scoreboard's lists in the order the reports show them:
// by 片区, village, department, handler and source (named in Chinese).
func (b Scoreboard) Sections() []ScoreSection {
	sources := make([]Scorecard, len(b.Sources))
	for i, c := range b.Sources {
		sources[i] = c
		sources[i].Name = taxonomy.Source(c.Name).Chinese()
	}
	return []ScoreSection{{"按片区", b.Areas}, {"按村", b.Villages}, {"按部门", b.Departments}, {"按承办人", b.Handlers}, {"按来源", sources}}
}
