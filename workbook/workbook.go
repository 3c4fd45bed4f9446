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
)

// rate is a rate cell: a fraction shown as a percentage, or empty.
type rate struct {
	v  float64
	ok bool
}

// mean is an average rating cell, or empty.
type mean struct {
	v  float64
	ok bool
}

// book writes the sheets of one workbook and keeps its first error.
type book struct {
	f   *excelize.File
	pct int // style of a rate cell
	avg int // style of a mean cell
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
	case mean:
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

// Digest writes the digest as a workbook: a summary sheet and the three
// rates by 片区, village and handler.
func Digest(w io.Writer, d reports.Digest, loc *time.Location) error {
	t := d.Total
	b := newBook()
	b.sheet("概览", [][]any{
		{"期间", d.Period.From.In(loc).Format("2006-01-02 15:04"), d.Period.To.In(loc).Format("2006-01-02 15:04")},
		{"新增", d.New}, {"接单", d.Accepted}, {"办结", d.Resolved}, {"超时未办", d.Overdue}, {"上期新增", d.PrevNew},
		{"响应率", rateOf(t.Response())}, {"办结率", rateOf(t.Resolution())},
		{"满意率", rateOf(t.Satisfaction())}, {"平均评分", meanOf(t.Mean())},
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
				r.ResolvedOnTime, rateOf(r.Resolution()), r.Ratings, r.Satisfied, rateOf(r.Satisfaction()), meanOf(r.Mean())})
		}
		b.sheet(sec.Title, rows)
	}
	return b.write(w)
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
		cadres = append(cadres, []any{c.Name, c.Ratings, meanOf(c.Mean())})
	}
	b.sheet("干部评分", cadres)
	return b.write(w)
}

func rateOf(v float64, ok bool) rate { return rate{v, ok} }
func meanOf(v float64, ok bool) mean { return mean{v, ok} }
