package outreach

import (
	"fmt"
	"html"
	"strings"
	"time"

	"hotline/taxonomy"
)

var digestTitles = map[string]string{"daily": "日调度", "weekly": "周专题", "monthly": "月综合"}

// Pct formats a rate, or "—" when it has no denominator.
func Pct(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", v*100)
}

// MeanText formats a mean rating.
func MeanText(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.2f", v)
}

func trend(now, before int) string {
	switch {
	case before == 0 && now == 0:
		return "持平"
	case before == 0:
		return "新增"
	case now > before:
		return fmt.Sprintf("↑%d%%", (now-before)*100/before)
	case now < before:
		return fmt.Sprintf("↓%d%%", (before-now)*100/before)
	}
	return "持平"
}

// DigestText is a digest as staff read it in Telegram (HTML) and on the
// command line.
func DigestText(d Digest, loc *time.Location) string {
	var b strings.Builder
	f, t := d.Period.From.In(loc), d.Period.To.In(loc)
	fmt.Fprintf(&b, "📊 <b>%s</b> %s – %s\n", digestTitles[d.Period.Kind], f.Format("1月2日 15:04"), t.Format("1月2日 15:04"))
	fmt.Fprintf(&b, "新增 %d · 接单 %d · 办结 %d · 超时未办 %d\n", d.New, d.Accepted, d.Resolved, d.Overdue)
	if d.Period.Kind != "daily" {
		fmt.Fprintf(&b, "较上期：新增 %d → %d（%s）\n", d.PrevNew, d.New, trend(d.New, d.PrevNew))
	}
	if len(d.ByCategory) > 0 {
		top := d.ByCategory[0]
		fmt.Fprintf(&b, "最多的类别：%s %d 件（上期 %d，%s）\n", taxonomy.Category(top.Name).Chinese(), top.N,
			d.PrevByCat[top.Name], trend(top.N, d.PrevByCat[top.Name]))
	}
	if len(d.ByVillage) > 0 {
		fmt.Fprintf(&b, "最多的村：%s %d 件\n", html.EscapeString(orNone(d.ByVillage[0].Name)), d.ByVillage[0].N)
	}
	fmt.Fprintf(&b, "响应率 %s · 办结率 %s · 满意率 %s（均分 %s）\n", Pct(d.Total.Response()), Pct(d.Total.Resolution()),
		Pct(d.Total.Satisfaction()), MeanText(d.Total.Mean()))
	if d.Period.Kind == "monthly" {
		for _, sec := range []struct {
			title string
			rs    []Rates
		}{{"按片区", d.Areas}, {"按村", d.Villages}, {"按承办人", d.Handlers}} {
			fmt.Fprintf(&b, "\n<b>%s</b>（工单 · 响应率 · 办结率 · 满意率）\n", sec.title)
			for _, r := range sec.rs {
				fmt.Fprintf(&b, "%s：%d · %s · %s · %s\n", html.EscapeString(r.Name), r.Tickets, Pct(r.Response()),
					Pct(r.Resolution()), Pct(r.Satisfaction()))
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func orNone(s string) string {
	if s == "" {
		return "（未定）"
	}
	return s
}
