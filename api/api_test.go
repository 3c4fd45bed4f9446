package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/assets"
	"hotline/intents"
	"hotline/roster"
	"hotline/routing"
	"hotline/signin"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

const (
	cadre      = roster.StaffID(11) // 翟各庄村
	otherCadre = roster.StaffID(12) // 梁家务村
	leader     = roster.StaffID(21) // 东片区
	water      = roster.StaffID(31) // water
	center     = roster.StaffID(41)
	admin      = roster.StaffID(51)
	gone       = roster.StaffID(61) // has a token, not in the roster
	resident   = int64(900001)
)

func testRoster() *roster.Roster {
	return &roster.Roster{
		Villages: []roster.Village{{Name: "翟各庄村", Area: "东片区"}, {Name: "梁家务村", Area: "西片区"}},
		Staff: []roster.Staff{
			{Name: "曾令发", TelegramID: cadre, Role: roster.VillageCadre, Villages: []string{"翟各庄村"}},
			{Name: "王强", TelegramID: otherCadre, Role: roster.VillageCadre, Villages: []string{"梁家务村"}},
			{Name: "李东", TelegramID: leader, Role: roster.AreaLeader, Area: "东片区"},
			{Name: "水务站", TelegramID: water, Role: roster.Department, Departments: []taxonomy.Category{taxonomy.Water}},
			{Name: "中心", TelegramID: center, Role: roster.Center},
			{Name: "管理员", TelegramID: admin, Role: roster.Admin},
		},
	}
}

type fixture struct {
	db       *storage.DB
	srv      *httptest.Server
	svc      *tickets.Service
	sign     *signin.Service
	a        *assets.Assets
	now      time.Time
	tokens   map[roster.StaffID]string
	numbers  map[string]string // name → ticket number
	notified int
}

// newFixture serves the API over a small township with four tickets:
// roads and water in 翟各庄村, roads and heating in 梁家务村.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC), tokens: map[roster.StaffID]string{}, numbers: map[string]string{}}
	clock := func() time.Time { return f.now }
	log := slog.New(slog.DiscardHandler)
	f.svc = tickets.New(routing.DefaultPolicy(), clock, log, nil)
	f.a = assets.New(0, testRoster(), nil)
	if f.sign, err = signin.New("http://127.0.0.1:8080", clock); err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for _, s := range f.a.Roster.Staff {
			if err := tx.MarkStarted(ctx, int64(s.TelegramID), f.now); err != nil {
				return err
			}
		}
		if _, err := tx.EnsureResident(ctx, resident, "张大爷", f.now); err != nil {
			return err
		}
		if err := tx.SetResidentPhone(ctx, resident, "13812345678"); err != nil {
			return err
		}
		for _, id := range []roster.StaffID{cadre, otherCadre, leader, water, center, admin, gone} {
			tok, err := f.sign.CreateToken(ctx, tx, id, "test")
			if err != nil {
				return err
			}
			f.tokens[id] = tok
		}
		for i, o := range []struct {
			name, village, text string
			cat                 taxonomy.Category
		}{
			{"zroad", "翟各庄村", "村口的路灯坏了", taxonomy.Roads},
			{"zwater", "翟各庄村", "自来水管爆了", taxonomy.Water},
			{"lroad", "梁家务村", "路面塌了一个坑", taxonomy.Roads},
			{"lheat", "梁家务村", "暖气不热", taxonomy.Heating},
		} {
			f.now = f.now.Add(time.Minute)
			tk, err := f.svc.Open(ctx, tx, f.a, tickets.OpenInput{ResidentID: resident, Text: o.text,
				Intent: intents.Result{Category: o.cat, Urgency: taxonomy.Normal, Village: o.village, Confidence: 0.8 + float64(i)/100, Source: "embedded"}})
			if err != nil {
				return err
			}
			f.numbers[o.name] = tk.Number
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{DB: db, Assets: assets.Fixed{A: f.a}, Tickets: f.svc, SignIn: f.sign, Notify: func() { f.notified++ }, Now: clock, Log: log})
	f.srv = httptest.NewServer(s)
	t.Cleanup(f.srv.Close)
	return f
}

// call makes a request as who (0: nobody) and decodes the JSON answer.
func (f *fixture) call(t *testing.T, method, path string, who roster.StaffID, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if who != 0 {
		req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: Content-Type %q", req.Method, req.URL.Path, ct)
	}
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v", req.Method, req.URL.Path, err)
	}
	if resp.StatusCode >= 400 {
		if msg, ok := out["error"].(string); !ok || msg == "" {
			t.Fatalf("%s %s: %d without {\"error\"}: %v", req.Method, req.URL.Path, resp.StatusCode, out)
		}
	}
	return resp.StatusCode, out
}

func listNumbers(out map[string]any) []string {
	var ns []string
	for _, t := range out["tickets"].([]any) {
		ns = append(ns, t.(map[string]any)["number"].(string))
	}
	slices.Sort(ns)
	return ns
}

func (f *fixture) nums(names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, f.numbers[n])
	}
	slices.Sort(out)
	return out
}

func TestListByRole(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		who  roster.StaffID
		want []string
	}{
		{cadre, f.nums("zroad")}, // the water ticket went to the department, but is in their village
		{otherCadre, f.nums("lroad", "lheat")},
		{leader, f.nums("zroad", "zwater")},
		{water, f.nums("zwater")},
		{center, f.nums("zroad", "zwater", "lroad", "lheat")},
		{admin, f.nums("zroad", "zwater", "lroad", "lheat")},
	} {
		code, out := f.call(t, "GET", "/api/v1/tickets", c.who, nil)
		if code != 200 {
			t.Fatalf("%d: %d %v", c.who, code, out)
		}
		got := listNumbers(out)
		if c.who == cadre {
			c.want = f.nums("zroad", "zwater") // their village's tickets, whoever handles them
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("staff %d sees %v, want %v", c.who, got, c.want)
		}
	}
}

func TestListFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"village=梁家务村", f.nums("lroad", "lheat")},
		{"area=东片区", f.nums("zroad", "zwater")},
		{"category=roads", f.nums("zroad", "lroad")},
		{"urgency=normal", f.nums("zroad", "zwater", "lroad", "lheat")},
		{"urgency=urgent", nil},
		{fmt.Sprintf("handler=%d", water), f.nums("zwater")},
		{"state=open", f.nums("zroad", "zwater", "lroad", "lheat")},
		{"state=closed", nil},
		{"state=assigned,accepted", f.nums("zroad", "zwater", "lroad", "lheat")},
		{"source=telegram", f.nums("zroad", "zwater", "lroad", "lheat")},
		{"source=checkin", nil},
		{"overdue=1", nil},
		{"from=2026-11-28&to=2026-11-28", f.nums("zroad", "zwater", "lroad", "lheat")},
		{"to=2026-11-27", nil},
		{"q=" + url.QueryEscape("路"), f.nums("zroad", "lroad")},
		{"q=" + url.QueryEscape("水管"), f.nums("zwater")},
	} {
		code, out := f.call(t, "GET", "/api/v1/tickets?"+c.query, center, nil)
		if code != 200 {
			t.Fatalf("%s: %d %v", c.query, code, out)
		}
		if got := listNumbers(out); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.query, got, c.want)
		}
	}
	// Overdue once the accept deadlines (4 h for normal) pass.
	f.now = f.now.Add(5 * time.Hour)
	if _, out := f.call(t, "GET", "/api/v1/tickets?overdue=1", center, nil); len(listNumbers(out)) != 4 {
		t.Errorf("overdue after 5 h: %v", listNumbers(out))
	}
	// Pages of one until there is no next cursor: the open ones by
	// deadline (all four were opened a minute apart with the same SLA),
	// everything newest first.
	pages := func(query string) []string {
		var seen []string
		path := "/api/v1/tickets?limit=1&" + query
		for range 10 {
			_, out := f.call(t, "GET", path, center, nil)
			seen = append(seen, listNumbers(out)...)
			next, ok := out["next_cursor"].(string)
			if !ok {
				break
			}
			path = "/api/v1/tickets?limit=1&" + query + "&cursor=" + next
		}
		return seen
	}
	byDeadline := []string{f.numbers["zroad"], f.numbers["zwater"], f.numbers["lroad"], f.numbers["lheat"]}
	if got := pages("state=open"); !slices.Equal(got, byDeadline) {
		t.Errorf("open pages gave %v, want %v", got, byDeadline)
	}
	newest := slices.Clone(byDeadline)
	slices.Reverse(newest)
	if got := pages("state=all"); !slices.Equal(got, newest) {
		t.Errorf("all pages gave %v", got)
	}
}

func TestListBadRequests(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{"state=lost", "area=北片区", "village=无名村", "category=weather", "urgency=asap",
		"handler=x", "overdue=maybe", "source=fax", "from=28/11/2026", "to=2026-13-01", "from=2026-11-29&to=2026-11-28",
		"cursor=!!!", "cursor=bm9wZQ", "limit=0", "limit=501", "q=" + strings.Repeat("长", 101)} {
		if code, out := f.call(t, "GET", "/api/v1/tickets?"+q, center, nil); code != 400 {
			t.Errorf("%s: %d %v", q, code, out)
		}
	}
}

func TestAuthentication(t *testing.T) {
	f := newFixture(t)
	bare := func(auth string) int {
		req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/tickets", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		code, _ := do(t, req)
		return code
	}
	if code := bare(""); code != 401 {
		t.Errorf("no credentials: %d", code)
	}
	if code := bare("Bearer nope.nope"); code != 401 {
		t.Errorf("bad token: %d", code)
	}
	if code := bare("Basic " + f.tokens[center]); code != 401 {
		t.Errorf("not Bearer: %d", code)
	}
	if code, _ := f.call(t, "GET", "/api/v1/tickets", gone, nil); code != 401 {
		t.Errorf("staff no longer in the roster: %d", code)
	}
	id, _, _ := strings.Cut(f.tokens[center], ".")
	if err := f.db.Update(context.Background(), func(tx *storage.Tx) error { return f.sign.RevokeToken(context.Background(), tx, id) }); err != nil {
		t.Fatal(err)
	}
	if code, _ := f.call(t, "GET", "/api/v1/tickets", center, nil); code != 401 {
		t.Errorf("revoked token: %d", code)
	}
	if code, _ := f.call(t, "GET", "/api/v1/nothing", admin, nil); code != 404 {
		t.Errorf("unknown endpoint: %d", code)
	}
}

func TestGetTicket(t *testing.T) {
	f := newFixture(t)
	code, out := f.call(t, "GET", "/api/v1/tickets/"+f.numbers["zroad"], cadre, nil)
	if code != 200 {
		t.Fatalf("%d %v", code, out)
	}
	if out["text"] != "村口的路灯坏了" || out["category"] != "roads" || out["village"] != "翟各庄村" || out["state"] != "assigned" {
		t.Errorf("ticket = %v", out)
	}
	res := out["resident"].(map[string]any)
	if res["phone"] != "138****5678" || res["name"] != "张大爷" {
		t.Errorf("resident = %v (the phone must be masked)", res)
	}
	body, _ := json.Marshal(out)
	if strings.Contains(string(body), "13812345678") {
		t.Error("the full phone number leaked")
	}
	var kinds []string
	for _, e := range out["events"].([]any) {
		kinds = append(kinds, e.(map[string]any)["kind"].(string))
	}
	if !slices.Equal(kinds, []string{"created", "classified", "assigned"}) {
		t.Errorf("events = %v", kinds)
	}
	for _, c := range []struct {
		who    roster.StaffID
		number string
		want   int
	}{
		{otherCadre, f.numbers["zroad"], 404}, // another village's: not found, not forbidden
		{water, f.numbers["zroad"], 404},
		{leader, f.numbers["lroad"], 404},
		{leader, f.numbers["zwater"], 200},
		{center, "2026-999999", 404},
		{center, "nonsense", 404},
		{0, f.numbers["zroad"], 401},
	} {
		if code, out := f.call(t, "GET", "/api/v1/tickets/"+c.number, c.who, nil); code != c.want {
			t.Errorf("staff %d, %s: %d %v, want %d", c.who, c.number, code, out, c.want)
		}
	}
}

func TestActions(t *testing.T) {
	f := newFixture(t)
	act := func(who roster.StaffID, name string, body any) (int, map[string]any) {
		t.Helper()
		return f.call(t, "POST", "/api/v1/tickets/"+f.numbers[name]+"/actions", who, body)
	}
	steps := []struct {
		what string
		who  roster.StaffID
		name string
		body any
		want int
	}{
		{"no credentials", 0, "zroad", ActionRequest{Action: "accept"}, 401},
		{"out of scope", otherCadre, "zroad", ActionRequest{Action: "accept"}, 404},
		{"seen but not theirs", leader, "zroad", ActionRequest{Action: "accept"}, 403},
		{"unknown action", cadre, "zroad", ActionRequest{Action: "fly"}, 400},
		{"not JSON", cadre, "zroad", "accept", 400},
		{"unknown field", cadre, "zroad", map[string]any{"action": "accept", "force": true}, 400},
		{"accept", cadre, "zroad", ActionRequest{Action: "accept"}, 200},
		{"accept twice", cadre, "zroad", ActionRequest{Action: "accept"}, 409},
		{"resolve without a note", cadre, "zroad", ActionRequest{Action: "resolve"}, 400},
		{"urge by the handler", cadre, "zroad", ActionRequest{Action: "urge"}, 403},
		{"urge by the leader", leader, "zroad", ActionRequest{Action: "urge", Note: "今天办完"}, 200},
		{"urge again at once", center, "zroad", ActionRequest{Action: "urge"}, 409},
		{"transfer to an area leader", cadre, "zroad", ActionRequest{Action: "transfer", To: int64(leader)}, 400},
		{"transfer to nobody", cadre, "zroad", ActionRequest{Action: "transfer"}, 400},
		{"transfer", cadre, "zroad", ActionRequest{Action: "transfer", To: int64(otherCadre)}, 200},
		{"the new handler sees it", otherCadre, "zroad", ActionRequest{Action: "accept"}, 200},
		{"recategorize to nothing", center, "zroad", ActionRequest{Action: "recategorize", Category: "weather"}, 400},
		{"recategorize by a department", water, "lheat", ActionRequest{Action: "recategorize", Category: "water"}, 404},
		{"recategorize", center, "lheat", ActionRequest{Action: "recategorize", Category: "water"}, 200},
		{"the department has it now", water, "lheat", ActionRequest{Action: "accept"}, 200},
		{"escalate", water, "zwater", ActionRequest{Action: "escalate", Note: "需要镇里协调"}, 200},
		{"escalate to the centre", leader, "zwater", ActionRequest{Action: "escalate"}, 200},
		{"escalate past the centre", center, "zwater", ActionRequest{Action: "escalate"}, 409},
		{"close without a note", admin, "lroad", ActionRequest{Action: "close"}, 400},
		{"close by a cadre", otherCadre, "lroad", ActionRequest{Action: "close", Note: "重复"}, 403},
		{"close", admin, "lroad", ActionRequest{Action: "close", Note: "与另一工单重复"}, 200},
		{"resolve a closed one", center, "lroad", ActionRequest{Action: "resolve", Note: "x"}, 409},
		{"urge a closed one", center, "lroad", ActionRequest{Action: "urge"}, 409},
		{"resolve", otherCadre, "zroad", ActionRequest{Action: "resolve", Note: "已换灯泡"}, 200},
	}
	for _, s := range steps {
		code, out := act(s.who, s.name, s.body)
		if code != s.want {
			t.Fatalf("%s: %d %v, want %d", s.what, code, out, s.want)
		}
		if code == 200 && out["number"] != f.numbers[s.name] {
			t.Fatalf("%s: answered %v", s.what, out)
		}
	}
	_, out := f.call(t, "GET", "/api/v1/tickets/"+f.numbers["zroad"], center, nil)
	if out["state"] != "resolved" || out["result_note"] != "已换灯泡" || out["handler"].(map[string]any)["name"] != "王强" {
		t.Errorf("after the steps: %v", out)
	}
	if f.notified == 0 {
		t.Error("the sender was never woken")
	}
	// The bot's messages were queued by the same lifecycle.
	var urged []storage.OutboxMessage
	if err := f.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		urged, err = tx.OutboxMessages(context.Background(), storage.OutboxFilter{Kind: "urged"})
		return err
	}); err != nil || len(urged) != 1 || urged[0].ChatID != int64(cadre) {
		t.Errorf("urge messages %+v, %v", urged, err)
	}
}

// TestSessionAndCSRF calls the API as the desk does: with the session
// cookie, and the CSRF token on POST.
func TestSessionAndCSRF(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var sess signin.Session
	err := f.db.Update(ctx, func(tx *storage.Tx) error {
		link, err := f.sign.Link(ctx, tx, cadre)
		if err != nil {
			return err
		}
		_, token, _ := strings.Cut(link, signin.LinkPath)
		sess, err = f.sign.Redeem(ctx, tx, token)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	req := func(method, path, csrf string, body string) *http.Request {
		r, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
		r.AddCookie(&http.Cookie{Name: signin.CookieName, Value: sess.Token})
		if csrf != "" {
			r.Header.Set(signin.CSRFHeader, csrf)
		}
		return r
	}
	if code, _ := do(t, req("GET", "/api/v1/tickets", "", "")); code != 200 {
		t.Fatalf("GET with a session: %d", code)
	}
	path := "/api/v1/tickets/" + f.numbers["zroad"] + "/actions"
	if code, out := do(t, req("POST", path, "", `{"action":"accept"}`)); code != 403 {
		t.Fatalf("POST without CSRF: %d %v", code, out)
	}
	if code, _ := do(t, req("POST", path, "wrong", `{"action":"accept"}`)); code != 403 {
		t.Fatalf("POST with a wrong CSRF: %d", code)
	}
	if code, out := do(t, req("POST", path, sess.CSRF, `{"action":"accept"}`)); code != 200 {
		t.Fatalf("POST with CSRF: %d %v", code, out)
	}
}

func TestStatusTable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{signin.ErrCSRF, 403},
		{signin.ErrExpired, 401},
		{ErrNotStaff, 401},
		{tickets.ErrForbidden, 403},
		{fmt.Errorf("x: %w", storage.ErrNotFound), 404},
		{badRequest("x"), 400},
		{tickets.ErrNeedNote, 400},
		{&routing.IllegalTransitionError{From: routing.Closed, Action: routing.Accept}, 409},
		{routing.ErrTop, 409},
		{tickets.ErrTooSoon, 409},
		{io.ErrUnexpectedEOF, 500},
	} {
		if code, msg := Status(c.err); code != c.want || (code == 500 && msg != "internal error") {
			t.Errorf("%v: %d %q, want %d", c.err, code, msg, c.want)
		}
	}
}

func TestStats(t *testing.T) {
	f := newFixture(t)
	groups := func(out map[string]any) map[string]float64 {
		m := map[string]float64{}
		for _, g := range out["groups"].([]any) {
			g := g.(map[string]any)
			m[g["name"].(string)] = g["tickets"].(float64)
		}
		return m
	}
	for _, c := range []struct {
		who   roster.StaffID
		query string
		want  map[string]float64
	}{
		{center, "from=2026-11-28&to=2026-11-28&by=village", map[string]float64{"翟各庄村": 2, "梁家务村": 2}},
		{admin, "by=area", map[string]float64{"东片区": 2, "西片区": 2}}, // the last 30 days
		{center, "from=2026-11-28&to=2026-11-28&by=category", map[string]float64{"roads": 2, "water": 1, "heating": 1}},
		{cadre, "from=2026-11-28&to=2026-11-28", map[string]float64{"翟各庄村": 2}},
		{leader, "from=2026-11-28&to=2026-11-28&by=handler", map[string]float64{"曾令发": 1, "水务站": 1}},
		{water, "from=2026-11-28&to=2026-11-28&by=category", map[string]float64{"water": 1}},
		{center, "from=2026-11-01&to=2026-11-27", map[string]float64{}},
	} {
		code, out := f.call(t, "GET", "/api/v1/stats?"+c.query, c.who, nil)
		if code != 200 {
			t.Fatalf("%d %s: %d %v", c.who, c.query, code, out)
		}
		if got := groups(out); !maps.Equal(got, c.want) {
			t.Errorf("%d %s: %v, want %v", c.who, c.query, got, c.want)
		}
	}
	// Rates are numbers, or null when nothing was due.
	f.now = f.now.Add(5 * time.Hour) // the accept deadlines (4 h) passed unaccepted
	_, out := f.call(t, "GET", "/api/v1/stats?from=2026-11-28&to=2026-11-28", center, nil)
	total := out["total"].(map[string]any)
	if total["tickets"] != 4.0 || total["accept_due"] != 4.0 || total["response_rate"] != 0.0 || total["satisfaction_rate"] != nil {
		t.Errorf("total = %v", total)
	}
	for _, q := range []string{"by=street", "from=2026-11-30&to=2026-11-01", "from=yesterday", "to=2026/11/28", "from=2030-01-01"} {
		if code, out := f.call(t, "GET", "/api/v1/stats?"+q, center, nil); code != 400 {
			t.Errorf("%s: %d %v", q, code, out)
		}
	}
	if code, _ := f.call(t, "GET", "/api/v1/stats", 0, nil); code != 401 {
		t.Errorf("no credentials: %d", code)
	}
}
