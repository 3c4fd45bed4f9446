package desk

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"hotline/api"
	"hotline/notice"
	"hotline/reports"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// 总览: what is on the desk today (new, open, overdue, urgent), the rates
// of a chosen period with what was reopened, how much was found before
// anyone asked, a 30-day trend, the categories and the village × category
// table with its hot cells. Every figure comes from package reports, in
// the visitor's scope.

// trendDays is the length of the trend chart.
const trendDays = 30

// overviewDays is the overview's period unless another is chosen: the
// week the 周专题 looks at (a month's figures take a few hundred
// milliseconds more at a million tickets a year).
const overviewDays = 7

// overviewData is the overview page.
type overviewData struct {
	base
	periodForm
	O          reports.Overview
	Today      int
	Reported   int    // of the new ones, reported by residents
	Trend      string // ECharts option, JSON
	Categories string // ECharts option, JSON
	Grid       gridTable
}

// periodForm is the period a page shows, as its form fills it.
type periodForm struct {
	From, To string // YYYY-MM-DD
	Period   reports.Period
	Quick    []quickPeriod
}

type quickPeriod struct {
	Name string
	Link string
}

// periodOf reads the period of a page (the days days to now by default),
// with the links to the usual ones.
func periodOf(r *http.Request, path string, now time.Time, days int) (periodForm, error) {
	q := r.URL.Query()
	p, err := api.PeriodOf(q, now, days)
	if err != nil {
		return periodForm{}, err
	}
	f := periodForm{Period: p, From: p.From.In(notice.Zone).Format(api.DateLayout),
		To: p.To.Add(-time.Millisecond).In(notice.Zone).Format(api.DateLayout)}
	l := now.In(notice.Zone)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, notice.Zone)
	month := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, notice.Zone)
	for _, qp := range []struct {
		name     string
		from, to time.Time
	}{
		{"今天", today, today},
		{"近 7 天", today.AddDate(0, 0, -6), today},
		{"近 30 天", today.AddDate(0, 0, -29), today},
		{"本月", month, today},
		{"上月", month.AddDate(0, -1, 0), month.AddDate(0, 0, -1)},
	} {
		v := url.Values{api.ParamFrom: {qp.from.Format(api.DateLayout)}, api.ParamTo: {qp.to.Format(api.DateLayout)}}
		f.Quick = append(f.Quick, quickPeriod{qp.name, path + "?" + v.Encode()})
	}
	return f, nil
}

func (s *Server) home(r *http.Request, v *visit) error {
	pf, err := periodOf(r, "/desk/", v.now, overviewDays)
	if err != nil {
		return err
	}
	d := overviewData{base: v.base(r, "总览", "overview"), periodForm: pf}
	scope := tickets.ScopeOf(v.staff)
	var trend []reports.Day
	err = s.cfg.DB.View(v.ctx, func(tx *storage.Tx) error {
		var err error
		if d.O, err = reports.LoadOverview(v.ctx, tx, scope, pf.Period, v.now); err != nil {
			return err
		}
		trend, err = reports.LoadTrend(v.ctx, tx, scope, v.now, trendDays, notice.Zone)
		return err
	})
	if err != nil {
		return err
	}
	if len(trend) > 0 {
		d.Today = trend[len(trend)-1].New
	}
	d.Reported = d.O.New - d.O.Proactive
	d.Trend, d.Categories = trendChart(trend), categoryChart(d.O.ByCategory)
	d.Grid = gridOf(d.O.Grid)
	return s.render(v.w, http.StatusOK, "overview", d)
}

// trendChart is the ECharts option of the new tickets per day.
func trendChart(days []reports.Day) string {
	x := make([]string, len(days))
	y := make([]int, len(days))
	for i, d := range days {
		x[i], y[i] = d.Day.Format("1/2"), d.New
	}
	return chartJSON(map[string]any{
		"animation": false,
		"grid":      map[string]any{"left": 40, "right": 16, "top": 24, "bottom": 32},
		"tooltip":   map[string]any{"trigger": "axis"},
		"xAxis":     map[string]any{"type": "category", "data": x},
		"yAxis":     map[string]any{"type": "value", "minInterval": 1},
		"series": []any{map[string]any{"name": "新增工单", "type": "line", "data": y,
			"areaStyle": map[string]any{"opacity": 0.15}, "itemStyle": map[string]any{"color": "#b3261e"}}},
	})
}

// categoryChart is the ECharts option of the period's tickets by category.
func categoryChart(cs []reports.CategoryCount) string {
	names := make([]string, 0, len(cs))
	ns := make([]int, 0, len(cs))
	for i := len(cs) - 1; i >= 0; i-- { // most at the top
		names, ns = append(names, cs[i].Category.Chinese()), append(ns, cs[i].N)
	}
	return chartJSON(map[string]any{
		"animation": false,
		"grid":      map[string]any{"left": 100, "right": 24, "top": 8, "bottom": 24},
		"tooltip":   map[string]any{"trigger": "axis"},
		"xAxis":     map[string]any{"type": "value", "minInterval": 1},
		"yAxis":     map[string]any{"type": "category", "data": names, "axisLabel": map[string]any{"interval": 0, "fontSize": 11}},
		"series":    []any{map[string]any{"name": "工单", "type": "bar", "data": ns, "itemStyle": map[string]any{"color": "#1f5fa8"}}},
	})
}

func chartJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps of strings and numbers always encode
	}
	return string(b)
}

// gridTable is the village × category table: the villages with most
// tickets as rows, the categories that occur as columns.
type gridTable struct {
	Categories []taxonomy.Category
	Rows       []gridRow
	More       int // villages left out
	HotFrom    int // a cell with this many or more is marked
}

type gridRow struct {
	Village string
	Cells   []gridCell
	Total   int
}

type gridCell struct {
	N   int
	Hot bool
}

// gridRows is how many villages the table shows.
const gridRows = 15

// gridOf lays the grid out. A cell is hot when it holds at least three
// tickets and at least twice the mean of the non-empty cells: one village
// with many of one kind of problem, the pattern 未诉先办 looks for.
func gridOf(cells []reports.GridCell) gridTable {
	var g gridTable
	byVillage := map[string]map[taxonomy.Category]int{}
	totals := map[string]int{}
	sum := 0
	for _, c := range cells {
		if byVillage[c.Village] == nil {
			byVillage[c.Village] = map[taxonomy.Category]int{}
		}
		byVillage[c.Village][c.Category] += c.N
		totals[c.Village] += c.N
		sum += c.N
		if !slices.Contains(g.Categories, c.Category) {
			g.Categories = append(g.Categories, c.Category)
		}
	}
	if len(cells) == 0 {
		return g
	}
	g.HotFrom = max(3, 2*sum/len(cells))
	slices.SortFunc(g.Categories, func(a, b taxonomy.Category) int {
		return slices.Index(taxonomy.Categories, a) - slices.Index(taxonomy.Categories, b)
	})
	villages := make([]string, 0, len(totals))
	for v := range totals {
		villages = append(villages, v)
	}
	slices.SortFunc(villages, func(a, b string) int {
		if totals[a] != totals[b] {
			return totals[b] - totals[a]
		}
		return strings.Compare(a, b)
	})
	if len(villages) > gridRows {
		g.More, villages = len(villages)-gridRows, villages[:gridRows]
	}
	for _, v := range villages {
		row := gridRow{Village: orNone(v), Total: totals[v]}
		for _, c := range g.Categories {
			n := byVillage[v][c]
			row.Cells = append(row.Cells, gridCell{N: n, Hot: n >= g.HotFrom})
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}
