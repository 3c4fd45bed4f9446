package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"regexp"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline/outreach"
	"hotline/storage"
)

var tags = regexp.MustCompile(`</?[a-z]+>`)

// plainText is a digest, written as Telegram HTML, for a terminal: no tags,
// and escaped names (a handler "A&B" is "A&amp;B" in HTML) turned back.
func plainText(s string) string { return html.UnescapeString(tags.ReplaceAllString(s, "")) }

const reportUsage = `usage:
  hotline report daily|weekly|monthly [--db PATH] [--xlsx FILE] [--at 2026-11-28T17:30]
  hotline report yearend [--db PATH] [--xlsx FILE] [--year 2026]`

// runReport is "hotline report daily|weekly|monthly|yearend [--xlsx FILE]".
func runReport(ctx context.Context, io stdio, args []string) error {
	if len(args) == 0 || !slices.Contains([]string{"daily", "weekly", "monthly", "yearend"}, args[0]) {
		fmt.Fprintln(io.err, reportUsage)
		return errUsage
	}
	kind := args[0]
	fs := flag.NewFlagSet("report "+kind, flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	campaigns := campaignsFlag(fs)
	xlsx := fs.String("xlsx", "", "also write the report as a workbook")
	atFlag := fs.String("at", "", "digests: make the digest as of this time (default now)")
	year := fs.Int("year", 0, "yearend: the evaluation of this year (default the latest)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	svc, _, store, err := openOutreach(ctx, io, *db, *campaigns)
	if err != nil {
		return err
	}
	defer store.Close()
	loc := svc.Config().Location()
	if kind == "yearend" {
		return reportYearEnd(ctx, io, svc, store, *year, *xlsx)
	}
	at := time.Now()
	if *atFlag != "" {
		if at, err = time.ParseInLocation("2006-01-02T15:04", *atFlag, loc); err != nil {
			fmt.Fprintf(io.err, "report: --at %q: want 2006-01-02T15:04\n", *atFlag)
			return errUsage
		}
	}
	var d outreach.Digest
	if err := store.View(ctx, func(tx *storage.Tx) error {
		d, err = outreach.LoadDigest(ctx, tx, kind, at, loc)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintln(io.out, plainText(outreach.DigestText(d, loc)))
	if *xlsx != "" {
		if err := writeDigest(*xlsx, d, loc); err != nil {
			return err
		}
		fmt.Fprintf(io.out, "wrote %s\n", *xlsx)
	}
	return nil
}

// writeDigest writes the digest as a workbook: a summary sheet and the
// three rates by 片区, village and handler.
func writeDigest(path string, d outreach.Digest, loc *time.Location) error {
	f := excelize.NewFile()
	defer f.Close()
	sum := "概览"
	if err := f.SetSheetName("Sheet1", sum); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	rows := [][]any{
		{"期间", d.Period.From.In(loc).Format("2006-01-02 15:04"), d.Period.To.In(loc).Format("2006-01-02 15:04")},
		{"新增", d.New}, {"接单", d.Accepted}, {"办结", d.Resolved}, {"超时未办", d.Overdue}, {"上期新增", d.PrevNew},
		{"响应率", outreach.Pct(d.Total.Response())}, {"办结率", outreach.Pct(d.Total.Resolution())},
		{"满意率", outreach.Pct(d.Total.Satisfaction())}, {"平均评分", outreach.MeanText(d.Total.Mean())},
		// Leaders are ranked on these figures: the sheet says what they mean.
		{}, {"口径", "统计本期新建的工单；没有可统计的工单时记为“—”"},
		{"响应率", "按时接单 / 应接单（已接单或接单时限已过；因超时被上报的算未按时）"},
		{"办结率", "按时办结 / 应办结（已办结或办结时限已过；因超时被上报的算未按时）"},
		{"满意率", "评 4–5 分的 / 全部评价"},
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sum, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	for _, sec := range []struct {
		name string
		rs   []outreach.Rates
	}{{"按片区", d.Areas}, {"按村", d.Villages}, {"按承办人", d.Handlers}} {
		if _, err := f.NewSheet(sec.name); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		head := []any{"名称", "工单", "应接单", "按时接单", "响应率", "应办结", "按时办结", "办结率", "评价数", "满意(4-5)", "满意率", "平均分"}
		if err := f.SetSheetRow(sec.name, "A1", &head); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		for i, r := range sec.rs {
			row := []any{r.Name, r.Tickets, r.AcceptDue, r.AcceptedOnTime, outreach.Pct(r.Response()), r.ResolveDue,
				r.ResolvedOnTime, outreach.Pct(r.Resolution()), r.Ratings, r.Satisfied, outreach.Pct(r.Satisfaction()), outreach.MeanText(r.Mean())}
			if err := f.SetSheetRow(sec.name, fmt.Sprintf("A%d", i+2), &row); err != nil {
				return fmt.Errorf("write %s: %w", path, err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// reportYearEnd prints the latest year-end evaluation (or that of year):
// participation per village against its households and each cadre's
// average rating.
func reportYearEnd(ctx context.Context, io stdio, svc *outreach.Service, store *storage.DB, year int, xlsx string) error {
	var y outreach.YearEnd
	if err := store.View(ctx, func(tx *storage.Tx) error {
		var err error
		y, err = svc.LatestYearEnd(ctx, tx, year)
		return err
	}); err != nil {
		if errors.Is(err, outreach.ErrNoYearEnd) {
			return fmt.Errorf("%w (start one with: hotline outreach run year-end-evaluation)", err)
		}
		return err
	}
	loc := svc.Config().Location()
	fmt.Fprintln(io.out, outreach.YearEndText(y, loc))
	if xlsx != "" {
		if err := writeYearEnd(xlsx, y, loc); err != nil {
			return err
		}
		fmt.Fprintf(io.out, "wrote %s\n", xlsx)
	}
	return nil
}

// writeYearEnd writes the evaluation as a workbook: a summary, the
// participation per village and the average per cadre.
func writeYearEnd(path string, y outreach.YearEnd, loc *time.Location) error {
	goal := func(below bool) string {
		if below {
			return "未达标"
		}
		return "达标"
	}
	p, ok := y.Participation()
	sheets := []struct {
		name string
		rows [][]any
	}{{"概览", [][]any{
		{"评议时间", y.Run.Slot.In(loc).Format("2006-01-02 15:04")},
		{"活动", y.Run.Campaign},
		{"参与户数", y.Answers}, {"总户数", y.Households},
		{"参与率", outreach.Pct(p, ok)}, {"目标", outreach.Pct(outreach.Goal, true)},
		{"是否达标", goal(ok && p < outreach.Goal)},
	}}, {"按村参与率", [][]any{{"村", "片区", "户数", "参与户数", "参与率", "是否达标"}}}, {"干部评分", [][]any{{"包村干部", "评分户数", "平均分"}}}}
	for _, v := range y.Villages {
		sheets[1].rows = append(sheets[1].rows, []any{v.Name, v.Area, v.Households, v.Answers, outreach.Pct(v.Participation()), goal(v.BelowGoal())})
	}
	for _, c := range y.Cadres {
		sheets[2].rows = append(sheets[2].rows, []any{c.Name, c.Ratings, outreach.MeanText(c.Mean())})
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		var err error
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = f.NewSheet(sh.name)
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		for j, r := range sh.rows {
			if err := f.SetSheetRow(sh.name, fmt.Sprintf("A%d", j+1), &r); err != nil {
				return fmt.Errorf("write %s: %w", path, err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
