package desk

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"strings"
	"time"

	"hotline/api"
	"hotline/notice"
	"hotline/reports"
	"hotline/roster"
	"hotline/routing"
	"hotline/signin"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

//go:embed templates/*.html
var templateFiles embed.FS

// parsePages parses each page with the layout and the partials (files
// named _*.html), so that every page defines its own "content".
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	partials, err := fs.Glob(templateFiles, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		files := append([]string{"templates/layout.html", n}, partials...)
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, files...)
		if err != nil {
			return nil, fmt.Errorf("desk template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// funcs are what templates may call: formatting only, no decisions.
var funcs = template.FuncMap{
	"when":           whenText,
	"day":            func(t time.Time) string { return t.In(notice.Zone).Format("2006-01-02") },
	"state":          notice.StateChinese,
	"event":          notice.EventChinese,
	"role":           func(r roster.Role) string { return r.Chinese() },
	"mask":           notice.MaskPhone,
	"clip":           notice.Clip,
	"pct":            pct,
	"classification": notice.Classification,
	"mapURL":         func(lat, lon float64) string { return notice.PlaceURL(storage.Place{Lat: lat, Lon: lon}) },
	"source":         sourceName,
	"due":            storage.CursorOf,
	"overdue": func(t storage.Ticket, now time.Time) bool {
		return t.State.Open() && now.After(storage.CursorOf(t).Due)
	},
	"isOpen": func(s routing.State) bool { return s.Open() },
	"join":   strings.Join,
	"inc":    func(i int) int { return i + 1 },
	// Rates are formatted by package reports: a renderer never divides.
	"response":     func(r reports.Rates) string { return reports.Pct(r.Response()) },
	"resolution":   func(r reports.Rates) string { return reports.Pct(r.Resolution()) },
	"satisfaction": func(r reports.Rates) string { return reports.Pct(r.Satisfaction()) },
	"mean":         func(r reports.Rates) string { return reports.MeanText(r.Mean()) },
	"share":        share,
	"per100": func(v reports.VillageRow) string {
		p, ok := v.Per100()
		if !ok {
			return "—"
		}
		return fmt.Sprintf("%.1f", p)
	},
	"participation": func(v reports.VillageTurnout) string { return reports.Pct(v.Participation()) },
	"cadreMean":     func(c reports.CadreScore) string { return reports.MeanText(c.Mean()) },
	"total":         func(y reports.YearEnd) string { return reports.Pct(y.Participation()) },
	"csrfName":      func() string { return signin.CSRFField },
	"mayOrders":     mayOrders,
	// The 12345 scorecard under the weights in force.
	"contactRate": func(c reports.Scorecard) string { return reports.Pct(c.Contact()) },
	"respondRate": func(c reports.Scorecard) string { return reports.Pct(c.Response()) },
	"solveRate":   func(c reports.Scorecard, w reports.Weights) string { return reports.Pct(c.Resolution(w)) },
	"satisfyRate": func(c reports.Scorecard, w reports.Weights) string { return reports.Pct(c.Satisfaction(w)) },
	"scoreOf":     func(c reports.Scorecard, w reports.Weights) string { return reports.ScoreText(c.Score(w)) },
	"scored":      func(c reports.Scorecard, w reports.Weights) scored { return scored{c, w} },
}

// scored is a scorecard with the weights it is judged by, for a template.
type scored struct {
	C reports.Scorecard
	W reports.Weights
}

func whenText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(notice.Zone).Format("2006-01-02 15:04")
}

// share is part of whole as a percentage, or "—" of nothing.
func share(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", float64(part)*100/float64(whole))
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", v*100)
}

func sourceName(s taxonomy.Source) string { return s.Chinese() }

// base is what the layout needs on every page.
type base struct {
	Title string
	Nav   string // the active menu item
	Staff roster.Staff
	CSRF  string
	Done  string // what the last POST did, from the redirect
	Now   time.Time
}

func (v *visit) base(r *http.Request, title, nav string) base {
	b := base{Title: title, Nav: nav, Staff: v.staff, Now: v.now, Done: doneText[r.URL.Query().Get("done")]}
	if v.sess != nil {
		b.CSRF = v.sess.CSRF
	}
	return b
}

// doneText is what a page says after a POST redirected to it.
var doneText = map[string]string{
	api.ActionAccept:       "已接单。",
	api.ActionResolve:      "已办结，已通知居民。",
	api.ActionTransfer:     "已转派，新的承办人收到了任务卡片。",
	api.ActionEscalate:     "已上报。",
	api.ActionUrge:         "已督办，承办人收到了提醒。",
	api.ActionRecategorize: "类别已更正。",
	api.ActionClose:        "工单已关闭，已告知居民。",
	"roster":               "花名册已导入，一分钟内生效。",
	api.ActionContact:      "已记录先行联系。",
	api.ActionPromise:      "已记录承诺答复时间。",
	api.ActionExtend:       "延期申请已提交中心审批。",
	api.ActionReturn:       "退单申请已提交中心审批。",
	api.ActionApprove:      "已同意，承办人收到了通知。",
	api.ActionRefuse:       "已不同意，承办人收到了通知。",
	api.ActionLink:         "已合并到同一问题的工单，办结时一起通知。",
	api.ActionUnlink:       "已拆开，按新工单派给承办人。",
	"broadcast":            "通知已开始发送。",
}

// errorPage is the data of the error page.
type errorPage struct {
	base
	Code    int
	Message string
	SignIn  bool // not signed in: say how to sign in
}

// fail renders err as a page with its status: 401 says how to sign in,
// 404 never says whether the ticket exists.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	code, _ := api.Status(err)
	if errors.Is(err, errNoPage) {
		code = http.StatusNotFound
	}
	if errors.Is(err, errTokenOnPage) {
		code = http.StatusUnauthorized
	}
	if code >= 500 {
		s.cfg.Log.Error("desk", "path", r.URL.Path, "err", err)
	}
	p := errorPage{Code: code, Message: pageMessage(code, err), SignIn: code == http.StatusUnauthorized}
	if v != nil && v.staff.TelegramID != 0 {
		p.base = v.base(r, "出错了", "")
	}
	p.Title = "出错了"
	if err := s.render(w, code, "error", p); err != nil {
		s.cfg.Log.Error("desk: render error page", "err", err)
	}
}

// pageMessage says in Chinese what went wrong.
func pageMessage(code int, err error) string {
	var ill *routing.IllegalTransitionError
	switch {
	case errors.Is(err, signin.ErrCSRF):
		return "页面已过期，请刷新后再试。"
	case errors.Is(err, signin.ErrExpired):
		return "登录已过期，请在机器人里发送 /web 重新获取登录链接。"
	case code == http.StatusUnauthorized:
		return "请先登录：在 Telegram 里给机器人发送 /web，点开收到的链接。"
	case code == http.StatusNotFound:
		return "没有找到这个页面或工单。"
	case errors.Is(err, tickets.ErrNeedNote):
		return "请填写说明。"
	case errors.Is(err, tickets.ErrTooSoon):
		return "刚刚督办过，请稍后再督办。"
	case errors.Is(err, tickets.ErrNotOpen):
		return "工单已办结或关闭。"
	case errors.Is(err, routing.ErrTop):
		return notice.RefuseTop
	case errors.Is(err, routing.ErrNoHandler):
		return notice.RefuseNoHandler
	case errors.As(err, &ill):
		return notice.RefuseState(ill.From)
	case errors.Is(err, tickets.ErrForbidden), code == http.StatusForbidden:
		return "您没有这项权限。"
	case code == http.StatusBadRequest:
		return "输入有误：" + err.Error()
	case code == http.StatusConflict:
		return "现在不能这样操作：" + err.Error()
	case code == http.StatusBadGateway:
		return "暂时无法从 Telegram 取得这个文件，请稍后再试。"
	}
	return "系统出错了，请稍后再试。"
}
