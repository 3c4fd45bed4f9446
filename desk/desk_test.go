package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline/notice"
	"hotline/reports"
	"hotline/roster"
	"hotline/routing"
	"hotline/signin"
	"hotline/storage"
)

func TestSignIn(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	if code, body := b.get("/desk/tickets"); code != 401 || !strings.Contains(body, "/web") {
		t.Fatalf("not signed in: %d\n%s", code, body)
	}
	link := f.link(leader)
	// Opening the link (a chat app's preview too) spends nothing.
	for range 2 {
		if code, body := b.get(link); code != 200 || !strings.Contains(body, "李东") || !strings.Contains(body, `id="signin"`) {
			t.Fatalf("link page: %d\n%s", code, body)
		}
	}
	// Another site's page cannot post the link for this browser.
	cross, _ := http.NewRequest("POST", f.srv.URL+link, nil)
	cross.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := b.c.Do(cross); err != nil {
		t.Fatal(err)
	} else if resp.Body.Close(); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site sign-in: %d", resp.StatusCode)
	}
	resp, err := b.c.PostForm(f.srv.URL+link, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/desk/" {
		t.Fatalf("sign in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	cookie := resp.Cookies()[0]
	if cookie.Name != signin.CookieName || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Secure {
		t.Errorf("cookie = %+v (no Secure over http)", cookie)
	}
	if code, _ := b.get("/desk/tickets"); code != 200 {
		t.Fatalf("signed in: %d", code)
	}
	// The link is spent: a second use is refused, and so is an expired one.
	for _, c := range []struct {
		name string
		link string
		wait time.Duration
		want int
		says string
	}{
		{"used", link, 0, http.StatusGone, "已经用过"},
		{"expired", f.link(leader), signin.LinkTTL, http.StatusGone, "已过期"},
		{"unknown", "/desk/login/abc.def", 0, http.StatusNotFound, "无效"},
	} {
		f.now = f.now.Add(c.wait)
		other := f.browser()
		for _, method := range []string{"GET", "POST"} {
			var code int
			var body string
			if method == "GET" {
				code, body = other.get(c.link)
			} else {
				code, body = other.post(c.link, nil)
			}
			if code != c.want || !strings.Contains(body, c.says) {
				t.Errorf("%s link, %s: %d\n%s", c.name, method, code, body)
			}
		}
		if code, _ := other.get("/desk/tickets"); code != 401 {
			t.Errorf("%s link signed someone in", c.name)
		}
	}
}

func TestSignOutAndExpiry(t *testing.T) {
	f := newFixture(t)
	b := f.signIn(cadre)
	if code, _ := b.post("/desk/logout", url.Values{signin.CSRFField: {""}}); code != 403 {
		t.Fatalf("sign out without CSRF: %d", code)
	}
	if code, _ := b.post("/desk/logout", nil); code != 200 {
		t.Fatalf("sign out: %d", code)
	}
	if code, _ := b.get("/desk/tickets"); code != 401 {
		t.Fatalf("after sign-out: %d", code)
	}
	c := f.signIn(cadre)
	f.now = f.now.Add(signin.SessionTTL)
	if code, body := c.get("/desk/tickets"); code != 401 || !strings.Contains(body, "过期") {
		t.Fatalf("after 12 h: %d", code)
	}
}

func TestRemovedStaffLosesAccess(t *testing.T) {
	f := newFixture(t)
	b := f.signIn(otherCadre)
	f.a.Roster.Staff = slices.DeleteFunc(f.a.Roster.Staff, func(s roster.Staff) bool { return s.TelegramID == otherCadre })
	if code, _ := b.get("/desk/tickets"); code != 401 {
		t.Fatalf("removed from the roster: %d", code)
	}
}

func TestHeaders(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.srv.URL + "/desk/tickets")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := resp.Header
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("Referrer-Policy") != "no-referrer" || h.Get("Cache-Control") != "no-store" {
		t.Errorf("headers = %v", h)
	}
	for _, path := range []string{"/desk/static/desk.css", "/desk/static/desk.js", "/desk/static/echarts.min.js"} {
		if code, _ := f.browser().get(path); code != 200 {
			t.Errorf("%s: %d", path, code)
		}
	}
	if code, _ := f.browser().get("/desk/static/"); code != 404 {
		t.Errorf("static listing: %d", code)
	}
}

func TestQueueByRoleAndFilters(t *testing.T) {
	f := newFixture(t)
	rows := func(body string) []string {
		var out []string
		for _, n := range f.numbers {
			if strings.Contains(body, `href="/desk/tickets/`+n+`"`) {
				out = append(out, n)
			}
		}
		slices.Sort(out)
		return out
	}
	nums := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, f.numbers[n])
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct {
		who   roster.StaffID
		query string
		want  []string
	}{
		{cadre, "", nums("zroad", "zwater")},
		{otherCadre, "", nums("lroad")},
		{water, "", nums("zwater")},
		{leader, "", nums("zroad", "zwater")},
		{center, "", nums("zroad", "zwater", "lroad")},
		{center, "?category=roads", nums("zroad", "lroad")},
		{center, "?village=梁家务村", nums("lroad")},
		{center, "?q=" + url.QueryEscape("水管"), nums("zwater")},
		{center, "?state=closed", nil},
		{center, "?state=all&source=telegram", nums("zroad", "zwater", "lroad")},
		{otherCadre, "?village=翟各庄村", nil}, // asking does not widen the scope
	} {
		code, body := f.signIn(c.who).get("/desk/tickets" + c.query)
		if code != 200 {
			t.Fatalf("%d %s: %d", c.who, c.query, code)
		}
		if got := rows(body); !slices.Equal(got, c.want) {
			t.Errorf("%d %s: %v, want %v", c.who, c.query, got, c.want)
		}
		if c.query == "" && !strings.Contains(body, fmt.Sprintf("共 %d 件", len(c.want))) {
			t.Errorf("%d: count missing", c.who)
		}
	}
	b := f.signIn(center)
	if code, _ := b.get("/desk/tickets?category=weather"); code != 400 {
		t.Errorf("bad filter: %d", code)
	}
	// A page of one links to the next, which links back to the first.
	_, body := b.get("/desk/tickets?limit=1")
	m := regexp.MustCompile(`href="([^"]+)" id="next"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no next page:\n%s", body)
	}
	_, body = b.get(html.UnescapeString(m[1]))
	if !strings.Contains(body, `id="first"`) || len(rows(body)) != 1 {
		t.Errorf("second page:\n%s", body)
	}
	// The cadre's filters offer their own village only.
	_, body = f.signIn(cadre).get("/desk/tickets")
	if !strings.Contains(body, `value="翟各庄村"`) || strings.Contains(body, `value="梁家务村"`) {
		t.Error("the cadre is offered other villages")
	}
}

func TestExport(t *testing.T) {
	f := newFixture(t)
	b := f.signIn(center)
	resp, err := b.c.Get(f.srv.URL + "/desk/tickets.xlsx?category=roads")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
	}
	x, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("工单")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "工单编号" {
		t.Fatalf("rows = %v", rows)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[0])
		if r[3] != "道路与照明" || !strings.Contains(strings.Join(r, "|"), "138****5678") || strings.Contains(strings.Join(r, "|"), "13812345678") {
			t.Errorf("row = %v", r)
		}
	}
	slices.Sort(got)
	if want := []string{f.numbers["zroad"], f.numbers["lroad"]}; !slices.Equal(got, want) {
		t.Errorf("exported %v, want %v", got, want)
	}
	// The creation time is a date cell, not text.
	if typ, err := x.GetCellType("工单", "B2"); err != nil || typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("B2 type %v, %v", typ, err)
	}
	// A cadre's export holds their scope only.
	resp2, err := f.signIn(otherCadre).c.Get(f.srv.URL + "/desk/tickets.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	x2, err := excelize.OpenReader(resp2.Body)
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := x2.GetRows("工单"); len(rows) != 2 || rows[1][0] != f.numbers["lroad"] {
		t.Errorf("cadre's export = %v", rows)
	}
	f.desk.maxExport = 2
	if code, _ := b.get("/desk/tickets.xlsx?state=all"); code != 400 {
		t.Errorf("too many rows: %d", code)
	}
}

func TestTicketPage(t *testing.T) {
	f := newFixture(t)
	code, body := f.signIn(cadre).get("/desk/tickets/" + f.numbers["zroad"])
	if code != 200 {
		t.Fatalf("%d\n%s", code, body)
	}
	for _, want := range []string{"村口的路灯坏了 &lt;script&gt;alert(1)&lt;/script&gt;", "138****5678", "道路与照明", "87.0%",
		"曾令发", notice.EventChinese("created"), `id="act-accept"`, `id="act-transfer"`, `id="act-recategorize"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, unwanted := range []string{"<script>alert", "13812345678", `id="act-urge"`, `id="act-close"`} {
		if strings.Contains(body, unwanted) {
			t.Errorf("page has %q", unwanted)
		}
	}
	// The leader supervises: urge and close, but does not accept.
	_, body = f.signIn(leader).get("/desk/tickets/" + f.numbers["zroad"])
	if !strings.Contains(body, `id="act-urge"`) || !strings.Contains(body, `id="act-close"`) || strings.Contains(body, `id="act-accept"`) {
		t.Error("the leader's actions are wrong")
	}
	// What the ticket has: a photo's caption, a location.
	_, body = f.signIn(center).get("/desk/tickets/" + f.numbers["zwater"])
	if !strings.Contains(body, "居民发来了照片") || !strings.Contains(body, ">自来水管爆了<") {
		t.Error("photo caption not shown as such")
	}
	_, body = f.signIn(center).get("/desk/tickets/" + f.numbers["lroad"])
	if !strings.Contains(body, `id="location">39.12345, 116.54321<`) || !strings.Contains(body, ">路面塌了一个坑<") {
		t.Error("location not shown")
	}
	for _, c := range []struct {
		who  roster.StaffID
		path string
	}{
		{otherCadre, f.numbers["zroad"]},
		{water, f.numbers["zroad"]},
		{cadre, "2026-999999"},
		{cadre, "x"},
	} {
		if code, body := f.signIn(c.who).get("/desk/tickets/" + c.path); code != 404 || strings.Contains(body, "路灯") {
			t.Errorf("%d %s: %d", c.who, c.path, code)
		}
	}
}

func TestActions(t *testing.T) {
	f := newFixture(t)
	b := f.signIn(cadre)
	path := "/desk/tickets/" + f.numbers["zroad"]
	if code, _ := b.post(path, url.Values{"action": {"accept"}, signin.CSRFField: {""}}); code != 403 {
		t.Fatalf("no CSRF: %d", code)
	}
	if f.ticket("zroad").State != routing.Assigned {
		t.Fatal("a POST without CSRF changed the ticket")
	}
	if code, _ := f.signIn(otherCadre).post(path, url.Values{"action": {"accept"}}); code != 404 {
		t.Fatalf("another village's cadre: %d", code)
	}
	code, _ := b.post(path, url.Values{"action": {"accept"}})
	if code != http.StatusSeeOther || f.ticket("zroad").State != routing.Accepted {
		t.Fatalf("accept: %d", code)
	}
	if code, body := b.get(path + "?done=accept"); code != 200 || !strings.Contains(body, "已接单。") {
		t.Errorf("after accept: %d", code)
	}
	// Refusals show the ticket again with the reason and the status.
	for _, c := range []struct {
		b    *browser
		form url.Values
		want int
		says string
	}{
		{b, url.Values{"action": {"accept"}}, 409, "办理中"},
		{b, url.Values{"action": {"resolve"}, "note": {" "}}, 400, "请填写说明"},
		{b, url.Values{"action": {"fly"}}, 400, "输入有误"},
		{b, url.Values{"action": {"urge"}}, 403, "没有这项权限"},
	} {
		code, body := c.b.post(path, c.form)
		if code != c.want || !strings.Contains(body, c.says) || !strings.Contains(body, `id="timeline"`) {
			t.Errorf("%v: %d, want %d saying %q", c.form, code, c.want, c.says)
		}
	}
	lb := f.signIn(leader)
	if code, _ := lb.post(path, url.Values{"action": {"urge"}, "note": {"今天办完"}}); code != http.StatusSeeOther {
		t.Fatalf("urge: %d", code)
	}
	if code, body := lb.post(path, url.Values{"action": {"urge"}}); code != 409 || !strings.Contains(body, "刚刚督办过") {
		t.Errorf("urge again: %d", code)
	}
	if _, body := lb.get(path); !strings.Contains(body, `id="urged">1 次`) || !strings.Contains(body, "督办意见：今天办完") {
		t.Error("the 督办 is not counted on the page")
	}
	if code, _ := b.post(path, url.Values{"action": {"transfer"}, "to": {fmt.Sprint(otherCadre)}}); code != http.StatusSeeOther {
		t.Fatalf("transfer: %d", code)
	}
	if h := f.ticket("zroad").HandlerID; h != otherCadre {
		t.Fatalf("handler after transfer = %d", h)
	}
	// The cadre still sees their village's ticket, but may no longer work it.
	if _, body := b.get(path); strings.Contains(body, `id="act-resolve"`) {
		t.Error("the former handler is offered resolve")
	}
	cb := f.signIn(center)
	if code, _ := cb.post(path, url.Values{"action": {"close"}, "note": {"重复"}}); code != http.StatusSeeOther || f.ticket("zroad").State != routing.Closed {
		t.Fatalf("close: %d", code)
	}
	if code, _ := cb.post("/desk/tickets/"+f.numbers["zwater"], url.Values{"action": {"recategorize"}, "category": {"sanitation"}}); code != http.StatusSeeOther {
		t.Fatalf("recategorize: %d", code)
	}
	if c := f.ticket("zwater").Category; c != "sanitation" {
		t.Errorf("category = %s", c)
	}
}

func TestRoute(t *testing.T) {
	f := newFixture(t)
	f.now = f.now.Add(5 * time.Hour) // past the accept deadlines
	code, body := f.signIn(leader).get("/desk/route")
	if code != 200 || !strings.Contains(body, "东片区") || strings.Contains(body, "西片区") {
		t.Fatalf("leader's route: %d\n%s", code, body)
	}
	if !strings.Contains(body, "第 1 站：翟各庄村（2 件，超时 2 件）") || !strings.Contains(body, f.numbers["zwater"]) {
		t.Errorf("route:\n%s", body)
	}
	_, body = f.signIn(center).get("/desk/route")
	if !strings.Contains(body, "东片区") || !strings.Contains(body, "西片区") || !strings.Contains(body, "第 1 站：梁家务村") {
		t.Error("the centre sees every 片区")
	}
	if code, _ := f.signIn(center).get("/desk/route?area=北片区"); code != 404 {
		t.Errorf("unknown area: %d", code)
	}
	_, body = f.signIn(otherCadre).get("/desk/route")
	if strings.Contains(body, "东片区") {
		t.Error("a cadre of 西片区 sees 东片区's list")
	}
}

func TestRosterPageAndUpload(t *testing.T) {
	f := newFixture(t)
	code, body := f.signIn(leader).get("/desk/roster")
	if code != 200 || !strings.Contains(body, "曾令发") || !strings.Contains(body, "139****1111") || strings.Contains(body, "13900001111") {
		t.Fatalf("roster page: %d", code)
	}
	if strings.Contains(body, `id="upload"`) {
		t.Error("a leader is offered the upload")
	}
	upload := func(b *browser, files map[string]string) (int, string) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.WriteField(signin.CSRFField, b.csrf)
		for field, spec := range files {
			name, content, _ := strings.Cut(spec, "|")
			fw, _ := w.CreateFormFile(field, name)
			fw.Write([]byte(content))
		}
		w.Close()
		req, _ := http.NewRequest("POST", f.srv.URL+"/desk/roster", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out bytes.Buffer
		out.ReadFrom(resp.Body)
		return resp.StatusCode, out.String()
	}
	good := map[string]string{"villages": "村庄.csv|village,area\n翟各庄村,东片区\n新村,北片区\n",
		"staff": "人员.csv|name,telegram_id,role,village,area\n曾令发,11,village_cadre,翟各庄村,\n中心,41,center,,\n"}
	if code, _ := upload(f.signIn(leader), good); code != 403 {
		t.Errorf("upload by a leader: %d", code)
	}
	cb := f.signIn(center)
	bad := map[string]string{"villages": "村庄.csv|village,area\n翟各庄村,东片区\n,北片区\n",
		"staff": "人员.csv|name,telegram_id,role,village\n王五,abc,village_cadre,翟各庄村\n赵六,300001,boss,\n"}
	code, body = upload(cb, bad)
	if code != 400 {
		t.Fatalf("bad upload: %d", code)
	}
	for _, line := range []string{"村庄.csv:3", "人员.csv:2", "人员.csv:3"} {
		if !strings.Contains(body, line) {
			t.Errorf("problems lack %s", line)
		}
	}
	if code, body := upload(cb, map[string]string{"villages": "村庄.txt|x"}); code != 400 || !strings.Contains(body, "unsupported type") {
		t.Errorf("wrong type: %d", code)
	}
	if code, _ := upload(cb, map[string]string{}); code != 400 {
		t.Errorf("no file: %d", code)
	}
	var before int
	f.db.View(context.Background(), func(tx *storage.Tx) error {
		list, err := tx.RosterImports(context.Background(), 10)
		before = len(list)
		return err
	})
	if before != 0 {
		t.Fatal("a refused upload was imported")
	}
	if code, _ := upload(cb, good); code != http.StatusSeeOther {
		t.Fatalf("good upload: %d", code)
	}
	err := f.db.View(context.Background(), func(tx *storage.Tx) error {
		r, ok, err := tx.Roster(context.Background())
		if err == nil && (!ok || len(r.Villages) != 2 || len(r.Staff) != 2) {
			err = fmt.Errorf("roster after upload: %+v", r)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCampaignsAndBroadcast(t *testing.T) {
	f := newFixture(t)
	cb := f.signIn(center)
	code, body := cb.get("/desk/campaigns")
	if code != 200 || !strings.Contains(body, `id="campaigns"`) || !strings.Contains(body, `id="broadcast"`) {
		t.Fatalf("campaigns: %d", code)
	}
	if code, _ := cb.get("/desk/campaigns/nope"); code != 404 {
		t.Errorf("unknown campaign: %d", code)
	}
	// Each campaign previews whom it would reach now, phones masked.
	ids := regexp.MustCompile(`href="/desk/campaigns/([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(ids) == 0 {
		t.Fatal("no campaign to preview")
	}
	reached := false
	for _, id := range ids {
		code, page := cb.get("/desk/campaigns/" + id[1])
		if code != 200 || strings.Contains(page, "13812345678") {
			t.Fatalf("preview %s: %d", id[1], code)
		}
		reached = reached || strings.Contains(page, "138****5678")
	}
	if !reached {
		t.Error("no preview lists a resident")
	}
	// Step one shows the reach and sends nothing.
	form := url.Values{"segment": {"village:翟各庄村"}, "text": {"明天上午停水，请提前储水。"}}
	code, body = cb.post("/desk/broadcast", form)
	if code != 200 || !strings.Contains(body, "这条通知将发给 <b>2</b> 位居民") {
		t.Fatalf("preview: %d\n%s", code, body)
	}
	countRuns := func() int {
		var n int
		f.db.View(context.Background(), func(tx *storage.Tx) error {
			runs, err := tx.Runs(context.Background(), storage.RunFilter{})
			n = len(runs)
			return err
		})
		return n
	}
	if countRuns() != 0 {
		t.Fatal("the preview sent something")
	}
	form.Set("confirm", "1")
	if code, _ := cb.post("/desk/broadcast", form); code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", code)
	}
	var sent []storage.OutboxMessage
	f.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		sent, err = tx.OutboxMessages(context.Background(), storage.OutboxFilter{Kind: notice.KindCampaign})
		return err
	})
	if countRuns() != 1 || len(sent) != 2 {
		t.Fatalf("runs %d, messages %d", countRuns(), len(sent))
	}
	if _, body := cb.get("/desk/campaigns"); !strings.Contains(body, "临时通知") {
		t.Error("the run is not listed")
	}
	// The leader only inside 东片区; cadres not at all; bad segments said.
	for _, c := range []struct {
		who  roster.StaffID
		form url.Values
		want int
	}{
		{leader, url.Values{"segment": {"village:梁家务村"}, "text": {"x"}}, 403},
		{leader, url.Values{"segment": {"area:东片区"}, "text": {"x"}}, 200},
		{cadre, url.Values{"segment": {"village:翟各庄村"}, "text": {"x"}}, 403},
		{center, url.Values{"segment": {"planet:mars"}, "text": {"x"}}, 400},
		{center, url.Values{"segment": {"all"}, "text": {" "}}, 400},
		{leader, url.Values{"segment": {"village:梁家务村"}, "text": {"x"}, "confirm": {"1"}}, 403},
	} {
		if code, _ := f.signIn(c.who).post("/desk/broadcast", c.form); code != c.want {
			t.Errorf("%d %v: %d, want %d", c.who, c.form, code, c.want)
		}
	}
	if countRuns() != 1 {
		t.Error("a refused notice was recorded")
	}
}

func TestLocalShortcut(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	resp, err := b.c.Get(f.srv.URL + fmt.Sprintf("/desk/local/%d", center))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "http://127.0.0.1:8080"+signin.LinkPath) {
		t.Fatalf("local link: %d %q", resp.StatusCode, loc)
	}
	if code, _ := b.get("/desk/local/999"); code != 404 {
		t.Errorf("not staff: %d", code)
	}
	f.desk.cfg.Local = false
	off, err := New(f.desk.cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	off.ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/desk/local/%d", center), nil))
	if rec.Code == http.StatusSeeOther {
		t.Error("the shortcut exists outside local mode")
	}
}

func TestOverview(t *testing.T) {
	f := newFixture(t)
	code, body := f.signIn(center).get("/desk/")
	if code != 200 {
		t.Fatalf("overview: %d\n%s", code, body)
	}
	stat := func(body, label string) string {
		m := regexp.MustCompile(label + `</span><b>([^<]*)</b>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no %s on the page", label)
		}
		return m[1]
	}
	if stat(body, "今日新增") != "3" || stat(body, "未办结") != "3" || stat(body, "超时") != "0" || stat(body, "新增") != "3" {
		t.Errorf("figures: today %s open %s overdue %s new %s", stat(body, "今日新增"), stat(body, "未办结"), stat(body, "超时"), stat(body, "新增"))
	}
	// The charts' options are JSON in an attribute, drawn by the embedded ECharts.
	for _, id := range []string{"trend", "categories"} {
		m := regexp.MustCompile(`id="` + id + `" data-option="([^"]+)"`).FindStringSubmatch(body)
		var opt map[string]any
		if m == nil || json.Unmarshal([]byte(html.UnescapeString(m[1])), &opt) != nil || opt["series"] == nil {
			t.Errorf("chart %s: %v", id, m)
		}
	}
	if !strings.Contains(body, `/desk/static/echarts.min.js`) || !strings.Contains(body, `id="grid"`) || !strings.Contains(body, "翟各庄村") {
		t.Error("no chart script or grid")
	}
	// A cadre's overview counts their village only.
	_, body = f.signIn(cadre).get("/desk/")
	if stat(body, "未办结") != "2" || strings.Contains(body, "梁家务村") {
		t.Errorf("cadre's overview: open %s", stat(body, "未办结"))
	}
	f.now = f.now.Add(5 * time.Hour) // past the accept deadlines
	if _, body = f.signIn(center).get("/desk/?from=2026-11-28&to=2026-11-28"); stat(body, "超时") != "3" || stat(body, "响应率") != "0.0%" {
		t.Errorf("after the deadlines: overdue %s, response %s", stat(body, "超时"), stat(body, "响应率"))
	}
	if code, _ := f.signIn(center).get("/desk/?from=2026-12-01&to=2026-11-01"); code != 400 {
		t.Errorf("bad period: %d", code)
	}
}

func TestGridMarksHotCells(t *testing.T) {
	g := gridOf([]reports.GridCell{
		{Village: "翟各庄村", Category: "roads", N: 9}, {Village: "翟各庄村", Category: "water", N: 1},
		{Village: "梁家务村", Category: "roads", N: 1}, {Village: "梁家务村", Category: "heating", N: 1},
	})
	if g.HotFrom != 6 || len(g.Rows) != 2 || g.Rows[0].Village != "翟各庄村" || g.Rows[0].Total != 10 {
		t.Fatalf("grid = %+v", g)
	}
	if len(g.Categories) != 3 || g.Categories[0] != "heating" { // contract order
		t.Errorf("columns = %v", g.Categories)
	}
	hot := 0
	for _, r := range g.Rows {
		for _, c := range r.Cells {
			if c.Hot {
				hot++
			}
		}
	}
	if hot != 1 {
		t.Errorf("%d hot cells, want the 9 roads of 翟各庄村", hot)
	}
	if empty := gridOf(nil); len(empty.Rows) != 0 {
		t.Error("an empty period has rows")
	}
}

func TestVillagesPage(t *testing.T) {
	f := newFixture(t)
	code, body := f.signIn(center).get("/desk/villages")
	if code != 200 {
		t.Fatalf("villages: %d", code)
	}
	// 翟各庄村 has 300 households and 2 requests: 0.7 per 100, first.
	rank := regexp.MustCompile(`<td class="num">1</td>\s*<td>([^<]+)</td>`).FindStringSubmatch(body)
	if rank == nil || rank[1] != "翟各庄村" || !strings.Contains(body, ">0.7<") {
		t.Errorf("ranking: %v", rank)
	}
	if m := regexp.MustCompile(`id="quiet">([^<]*)<`).FindStringSubmatch(body); m == nil || m[1] != "马各庄村" {
		t.Errorf("quiet villages: %v", m)
	}
	_, body = f.signIn(cadre).get("/desk/villages")
	if strings.Contains(body, "梁家务村") || !strings.Contains(body, "翟各庄村") {
		t.Error("a cadre sees another village")
	}
}

func TestReportsPage(t *testing.T) {
	f := newFixture(t)
	cb := f.signIn(center)
	for _, kind := range []string{"daily", "weekly", "monthly"} {
		code, body := cb.get("/desk/reports?kind=" + kind)
		if code != 200 || !strings.Contains(body, "按片区") || !strings.Contains(body, "按承办人") {
			t.Fatalf("%s: %d", kind, code)
		}
	}
	_, body := cb.get("/desk/reports?kind=daily")
	if !strings.Contains(body, "新增</span><b>3</b>") {
		t.Error("the daily report does not count today's tickets")
	}
	resp, err := cb.c.Get(f.srv.URL + "/desk/reports.xlsx?kind=daily")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	x, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	if v, _ := x.GetCellValue("概览", "B2"); v != "3" {
		t.Errorf("new in the workbook = %q", v)
	}
	if code, body := cb.get("/desk/reports?kind=yearend"); code != 200 || !strings.Contains(body, "还没有进行过年终评议") {
		t.Errorf("year-end without a run: %d", code)
	}
	if code, _ := cb.get("/desk/reports.xlsx?kind=yearend"); code != 404 {
		t.Errorf("year-end workbook without a run: %d", code)
	}
	if code, _ := cb.get("/desk/reports?kind=hourly"); code != 400 {
		t.Errorf("unknown kind: %d", code)
	}
	kb := f.signIn(cadre)
	if code, body := kb.get("/desk/reports?kind=daily"); code != 200 || strings.Contains(body, "梁家务村") {
		t.Errorf("cadre's daily report: %d", code)
	}
	if code, _ := kb.get("/desk/reports?kind=yearend"); code != 404 {
		t.Errorf("a cadre opens the year-end evaluation: %d", code)
	}
}
