package main

import (
	"fmt"
	"io"
	"time"

	"hotline/notice"
	"hotline/reports"
)

// The terminal's rendering of the reports: plain text, names as they are
// (no HTML to escape or strip), tables in aligned columns. The figures
// are package reports', the shared phrases notice's.

// printDigest writes a digest for a terminal.
func printDigest(w io.Writer, d reports.Digest, loc *time.Location) {
	const day = "2006-01-02 15:04"
	fmt.Fprintf(w, "%s %s – %s\n", notice.DigestTitle(d.Period.Kind), d.Period.From.In(loc).Format(day), d.Period.To.In(loc).Format(day))
	fmt.Fprintf(w, "新增 %d · 接单 %d · 办结 %d · 超时未办 %d\n", d.New, d.Accepted, d.Resolved, d.Overdue)
	if d.Period.Kind != reports.Daily {
		fmt.Fprintf(w, "上期新增 %d（%s）\n", d.PrevNew, notice.TrendText(d.NewChange()))
	}
	if top, change, ok := d.Top(); ok {
		fmt.Fprintf(w, "最多的类别 %s %d 件（上期 %d，%s）\n", top.Category.Chinese(), top.N, change.Before, notice.TrendText(change))
	}
	if len(d.ByVillage) > 0 {
		fmt.Fprintf(w, "最多的村 %s %d 件\n", orUnknown(d.ByVillage[0].Name), d.ByVillage[0].N)
	}
	t := d.Total
	fmt.Fprintf(w, "响应率 %s · 办结率 %s · 满意率 %s · 均分 %s\n", reports.Pct(t.Response()), reports.Pct(t.Resolution()),
		reports.Pct(t.Satisfaction()), reports.MeanText(t.Mean()))
	if d.Backlog != nil {
		fmt.Fprintln(w, notice.BacklogText(*d.Backlog))
	}
	if d.Period.Kind != reports.Monthly {
		return
	}
	for _, sec := range notice.RateSections(d) {
		fmt.Fprintf(w, "\n%s %6s %8s %8s %8s\n", pad(sec.Title, 20), "工单", "响应率", "办结率", "满意率")
		for _, r := range sec.Rates {
			fmt.Fprintf(w, "%s %8d %8s %8s %8s\n", pad(r.Name, 20), r.Tickets, reports.Pct(r.Response()),
				reports.Pct(r.Resolution()), reports.Pct(r.Satisfaction()))
		}
	}
}

// printYearEnd writes the evaluation: participation per village against
// its households, villages under the goal flagged, and each cadre's
// average.
func printYearEnd(w io.Writer, y reports.YearEnd, loc *time.Location) {
	fmt.Fprintf(w, "年终评议 %s（%s，运行编号 %d）\n", y.Run.Slot.In(loc).Format("2006-01-02 15:04"), y.Run.Campaign, y.Run.ID)
	mark := ""
	if y.BelowGoal() {
		mark = " ⚠ 未达标"
	}
	goal := fmt.Sprintf("%.0f%%", reports.Goal*100)
	fmt.Fprintf(w, "参与：%d / %d 户 = %s（目标 %s）%s\n\n", y.Answers, y.Households, reports.Pct(y.Participation()), goal, mark)
	fmt.Fprintln(w, "按村参与率（参与户 / 户数）：")
	for _, v := range y.Villages {
		flag := ""
		if v.BelowGoal() {
			flag = "  ⚠ 低于 " + goal
		}
		fmt.Fprintf(w, "  %s（%s）%d / %d = %s%s\n", v.Name, orUnknown(v.Area), v.Answers, v.Households, reports.Pct(v.Participation()), flag)
	}
	fmt.Fprintln(w, "\n包村干部平均分（1–5 分）：")
	for _, c := range y.Cadres {
		fmt.Fprintf(w, "  %s：%d 户评分，平均 %s\n", c.Name, c.Ratings, reports.MeanText(c.Mean()))
	}
}

func orUnknown(s string) string {
	if s == "" {
		return reports.Unknown
	}
	return s
}

// printScoreboard writes the 12345 scorecards: the total line for every
// digest, and the tables by 片区, village, department, handler and source
// for the weekly and monthly ones.
func printScoreboard(w io.Writer, sb reports.Scoreboard, kind reports.PeriodKind) {
	wt := sb.Weights
	line := func(c reports.Scorecard) string {
		return fmt.Sprintf("%6d %8s %8s %8s %8s %6s", c.Problems, reports.Pct(c.Contact()), reports.Pct(c.Response()),
			reports.Pct(c.Resolution(wt)), reports.Pct(c.Satisfaction(wt)), reports.ScoreText(c.Score(wt)))
	}
	fmt.Fprintf(w, "\n12345 考核（权重 响应 %g · 解决 %g · 满意 %g · 先行联系 %g；部分解决计 %g，基本满意计 %g）\n",
		wt.Response, wt.Resolution, wt.Satisfaction, wt.Contact, wt.Partly, wt.Basic)
	fmt.Fprintf(w, "%s %6s %8s %8s %8s %8s %6s\n", pad("", 20), "问题", "先行联系", "响应率", "解决率", "满意率", "得分")
	fmt.Fprintf(w, "%s %s\n", pad("全镇", 20), line(sb.Total))
	if kind == reports.Daily {
		return
	}
	for _, sec := range sb.Sections() {
		fmt.Fprintf(w, "%s\n", sec.Title)
		for _, c := range sec.Cards {
			fmt.Fprintf(w, "%s %s\n", pad(c.Name, 20), line(c))
		}
	}
}
