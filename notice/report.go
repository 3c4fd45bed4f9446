package notice

import (
	"fmt"
	"html"
	"strings"
	"time"

	"hotline/reports"
	"hotline/storage"
	"hotline/taxonomy"
)

// The reports' wording. Package reports computes every figure; these
// functions only say them, for Telegram (HTML) and, through the plain
// pieces (DigestTitle, TrendText, BacklogText), for the terminal.

var digestTitles = map[reports.PeriodKind]string{reports.Daily: "日调度", reports.Weekly: "周专题", reports.Monthly: "月综合", reports.Custom: "统计"}

// DigestTitle is the name staff know a digest by.
func DigestTitle(k reports.PeriodKind) string { return digestTitles[k] }

// TrendText says how a count compares with the previous period's.
func TrendText(c reports.Change) string {
	pct, ok := c.Percent()
	switch {
	case !ok && c.Now == 0:
		return "持平"
	case !ok:
		return "新增"
	case pct > 0:
		return fmt.Sprintf("↑%d%%", pct)
	case pct < 0:
		return fmt.Sprintf("↓%d%%", -pct)
	}
	return "持平"
}

// BacklogText says how much outbound traffic waits, with a warning when
// ticket messages are delayed.
func BacklogText(b reports.Backlog) string {
	text := fmt.Sprintf("待发消息：工单 %d 条 · 活动 %d 条", b.Pending[storage.LaneTicket], b.Pending[storage.LaneCampaign])
	if b.Overloaded() {
		text += fmt.Sprintf("\n⚠️ 消息积压：新工单的通知要等约 %s 才能发出，请留意。", waitText(b.AheadOfTickets))
	}
	return text
}

func waitText(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d 秒", int(d.Round(time.Second)/time.Second))
	}
	return fmt.Sprintf("%d 分钟", int(d.Round(time.Minute)/time.Minute))
}

// DigestMessage is a digest as staff read it in Telegram.
func DigestMessage(d reports.Digest, loc *time.Location) storage.OutboxMessage {
	return storage.OutboxMessage{Kind: KindDigest, Lane: storage.LaneCampaign, Text: digestHTML(d, loc)}
}

func digestHTML(d reports.Digest, loc *time.Location) string {
	var b strings.Builder
	f, t := d.Period.From.In(loc), d.Period.To.In(loc)
	fmt.Fprintf(&b, "📊 <b>%s</b> %s – %s\n", DigestTitle(d.Period.Kind), f.Format("1月2日 15:04"), t.Format("1月2日 15:04"))
	fmt.Fprintf(&b, "新增 %d · 接单 %d · 办结 %d · 超时未办 %d\n", d.New, d.Accepted, d.Resolved, d.Overdue)
	if d.Period.Kind != reports.Daily {
		fmt.Fprintf(&b, "较上期：新增 %d → %d（%s）\n", d.PrevNew, d.New, TrendText(d.NewChange()))
	}
	if top, change, ok := d.Top(); ok {
		fmt.Fprintf(&b, "最多的类别：%s %d 件（上期 %d，%s）\n", top.Category.Chinese(), top.N, change.Before, TrendText(change))
	}
	if len(d.ByVillage) > 0 {
		fmt.Fprintf(&b, "最多的村：%s %d 件\n", html.EscapeString(orUnknown(d.ByVillage[0].Name)), d.ByVillage[0].N)
	}
	fmt.Fprintf(&b, "响应率 %s · 办结率 %s · 满意率 %s（均分 %s）\n", reports.Pct(d.Total.Response()), reports.Pct(d.Total.Resolution()),
		reports.Pct(d.Total.Satisfaction()), reports.MeanText(d.Total.Mean()))
	if d.Backlog != nil {
		b.WriteString(html.EscapeString(BacklogText(*d.Backlog)) + "\n")
	}
	if d.Period.Kind == reports.Monthly {
		for _, sec := range RateSections(d) {
			fmt.Fprintf(&b, "\n<b>%s</b>（工单 · 响应率 · 办结率 · 满意率）\n", sec.Title)
			for _, r := range sec.Rates {
				fmt.Fprintf(&b, "%s：%d · %s · %s · %s\n", html.EscapeString(r.Name), r.Tickets, reports.Pct(r.Response()),
					reports.Pct(r.Resolution()), reports.Pct(r.Satisfaction()))
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// RateSection is a titled list of rates of a digest.
type RateSection struct {
	Title string
	Rates []reports.Rates
}

// RateSections are a digest's rates by 片区, village, handler and source,
// titled as every rendering (message, terminal, workbook sheet) names them.
func RateSections(d reports.Digest) []RateSection {
	return []RateSection{{"按片区", d.Areas}, {"按村", d.Villages}, {"按承办人", d.Handlers}, {"按来源", sourceNames(d.Sources)}}
}

// sourceNames renames rates named by source id to the names staff read.
func sourceNames(rs []reports.Rates) []reports.Rates {
	out := make([]reports.Rates, len(rs))
	for i, r := range rs {
		out[i] = r
		out[i].Name = taxonomy.Source(r.Name).Chinese()
	}
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return reports.Unknown
	}
	return s
}
