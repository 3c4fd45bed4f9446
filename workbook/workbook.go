// Package workbook renders the reports as .xlsx workbooks, for the
// command line's --xlsx and the desk's downloads alike: counts and rates
// are numbers (a rate is a fraction shown as 60.0%), so that a sheet can
// be sorted and charted; a rate without a denominator is left empty.
// Package reports computes every figure; this only lays them out.
package workbook

import (
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline/notice"
	"hotline/reports"
	"hotline/taxonomy"
)

// rate is a rate cell: a fraction shown as a percentage, or empty.
type rate struct {
	v  float64
	ok bool
}

// decimal is a cell of a number shown with two decimals (an average
// rating, a score on 100), or empty.
type decimal struct {
	v  float64
	ok bool
}

// book writes the sheets of one workbook and keeps its first error.
type book struct {
	f   *excelize.File
	pct int // style of a rate cell
	avg int // style of a decimal cell
	err error
}

func newBook() *book {
	b := &book{f: excelize.NewFile()}
	pct, avg := "0.0%", "0.00"
	b.pct, b.err = b.f.NewStyle(&excelize.Style{CustomNumFmt: &pct})
	if b.err == nil {
		b.avg, b.err = b.f.NewStyle(&excelize.Style{CustomNumFmt: &avg})
	}
	return b
}

// sheet writes a sheet of rows; the first sheet renames the default one.
func (b *book) sheet(name string, rows [][]any) {
	if b.err != nil {
		return
	}
	if n := b.f.GetSheetList(); len(n) == 1 && n[0] == "Sheet1" {
		b.err = b.f.SetSheetName("Sheet1", name)
	} else {
		_, b.err = b.f.NewSheet(name)
	}
	for i, row := range rows {
		for j, v := range row {
			if b.err != nil {
				return
			}
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				b.err = err
				return
			}
			b.err = b.cell(name, cell, v)
		}
	}
}

func (b *book) cell(sheet, cell string, v any) error {
	style := 0
	switch c := v.(type) {
	case rate:
		if !c.ok {
			return nil
		}
		v, style = c.v, b.pct
	case decimal:
		if !c.ok {
			return nil
		}
		v, style = c.v, b.avg
	}
	if err := b.f.SetCellValue(sheet, cell, v); err != nil {
		return err
	}
	if style != 0 {
		return b.f.SetCellStyle(sheet, cell, cell, style)
	}
	return nil
}

// write writes the workbook to w.
func (b *book) write(w io.Writer) error {
	if b.err == nil {
		_, b.err = b.f.WriteTo(w)
	}
	if err := b.f.Close(); b.err == nil {
		b.err = err
	}
	return b.err
}

// Digest writes the digest as a workbook: a summary sheet, the three
// rates by 片区, village, handler and source, and, when sb is given, the
// 12345 scoreboard.
func Digest(w io.Writer, d reports.Digest, sb *reports.Scoreboard, loc *time.Location) error {
	t := d.Total
	b := newBook()
	b.sheet("概览", [][]any{
		{"期间", d.Period.From.In(loc).Format("2006-01-02 15:04"), d.Period.To.In(loc).Format("2006-01-02 15:04")},
		{"新增", d.New}, {"接单", d.Accepted}, {"办结", d.Resolved}, {"超时未办", d.Overdue}, {"上期新增", d.PrevNew},
		{"响应率", rateOf(t.Response())}, {"办结率", rateOf(t.Resolution())},
		{"满意率", rateOf(t.Satisfaction())}, {"平均评分", decimalOf(t.Mean())},
		// Leaders are ranked on these figures: the sheet says what they mean.
		{}, {"口径", "统计本期新建的工单；没有可统计的工单时留空"},
		{"响应率", "按时接单 / 应接单（已接单或接单时限已过；因超时被上报的算未按时）"},
		{"办结率", "按时办结 / 应办结（已办结或办结时限已过；因超时被上报的算未按时）"},
		{"满意率", "评 4–5 分的 / 全部评价"},
	})
	for _, sec := range notice.RateSections(d) {
		rows := [][]any{{"名称", "工单", "应接单", "按时接单", "响应率", "应办结", "按时办结", "办结率", "评价数", "满意(4-5)", "满意率", "平均分"}}
		for _, r := range sec.Rates {
			rows = append(rows, []any{r.Name, r.Tickets, r.AcceptDue, r.AcceptedOnTime, rateOf(r.Response()), r.ResolveDue,
				r.ResolvedOnTime, rateOf(r.Resolution()), r.Ratings, r.Satisfied, rateOf(r.Satisfaction()), decimalOf(r.Mean())})
		}
		b.sheet(sec.Title, rows)
	}
	if sb != nil {
		b.sheet("12345考核", scoreboardRows(*sb))
	}
	return b.write(w)
}

// scoreboardRows are the 12345 scorecards, total first, then by 片区,
// village, department, handler and source, each rate a number; the
// weights and what each rate means are written above them.
func scoreboardRows(sb reports.Scoreboard) [][]any {
	w := sb.Weights
	rows := [][]any{
		{"权重", "先行联系", w.Contact, "响应", w.Response, "解决", w.Resolution, "满意", w.Satisfaction, "部分解决计", w.Partly, "基本满意计", w.Basic},
		{"先行联系率", "办结前记录了先行联系的 / 已接单或接单时限已过的"},
		{"响应率", "按时接单 / 应接单"},
		{"解决率", "（解决 + 部分解决×系数）/ 应办结；未解决、重新办理过的、超时未办结的不得分"},
		{"满意率", "（满意4–5分 + 基本满意3分×系数）/ 全部评价；同一问题多人反映的，每人的评价都计入"},
		{"得分", "有分母的各率按权重加权平均，满分 100"},
		{},
	}
	header := []any{"范围", "名称", "问题数", "先行联系率", "响应率", "解决率", "满意率", "得分", "解决", "部分解决", "未解决", "重新办理",
		"超时未办结", "评价数", "满意", "基本满意", "不满意", "承诺答复", "按时答复", "申请延期", "同意延期", "申请退单", "同意退单", "12345督办", "中心督办"}
	rows = append(rows, header)
	add := func(scope string, cs ...reports.Scorecard) {
		for _, c := range cs {
			rows = append(rows, []any{scope, c.Name, c.Problems, rateOf(c.Contact()), rateOf(c.Response()), rateOf(c.Resolution(w)),
				rateOf(c.Satisfaction(w)), decimalOf(c.Score(w)), c.Solved, c.Partly, c.Unsolved, c.Reopened, c.Overdue, c.Ratings,
				c.Satisfied, c.Basic, c.Dissatisfied, c.Promised, c.PromiseKept, c.ExtensionsAsked, c.ExtensionsApproved,
				c.ReturnsAsked, c.ReturnsApproved, c.Supervised, c.Urged})
		}
	}
	add("全镇", sb.Total)
	add("片区", sb.Areas...)
	add("村", sb.Villages...)
	add("部门", sb.Departments...)
	add("承办人", sb.Handlers...)
	for _, c := range sb.Sources {
		c.Name = taxonomy.Source(c.Name).Chinese()
		add("来源", c)
	}
	return rows
}

// YearEnd writes the evaluation as a workbook: a summary, the
// participation per village and the average per cadre.
func YearEnd(w io.Writer, y reports.YearEnd, loc *time.Location) error {
	goal := func(below bool) string {
		if below {
			return "未达标"
		}
		return "达标"
	}
	b := newBook()
	b.sheet("概览", [][]any{
		{"评议时间", y.Run.Slot.In(loc).Format("2006-01-02 15:04")},
		{"活动", y.Run.Campaign},
		{"参与户数", y.Answers}, {"总户数", y.Households},
		{"参与率", rateOf(y.Participation())}, {"目标", rate{reports.Goal, true}},
		{"是否达标", goal(y.BelowGoal())},
	})
	villages := [][]any{{"村", "片区", "户数", "参与户数", "参与率", "是否达标"}}
	for _, v := range y.Villages {
		villages = append(villages, []any{v.Name, v.Area, v.Households, v.Answers, rateOf(v.Participation()), goal(v.BelowGoal())})
	}
	b.sheet("按村参与率", villages)
	cadres := [][]any{{"包村干部", "评分户数", "平均分"}}
	for _, c := range y.Cadres {
		cadres = append(cadres, []any{c.Name, c.Ratings, decimalOf(c.Mean())})
	}
	b.sheet("干部评分", cadres)
	return b.write(w)
}

func rateOf(v float64, ok bool) rate { return rate{v, ok} }

func decimalOf(v float64, ok bool) decimal { return decimal{v, ok} }
