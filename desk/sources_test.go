package desk

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"hotline/intents"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// open opens a ticket for someone without a chat, as /new or the API does.
func (f *fixture) open(name string, by roster.StaffID, in tickets.OpenInput) storage.Ticket {
	f.t.Helper()
	var tk storage.Ticket
	err := f.db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		in.OpenedBy = by
		tk, err = f.svc.Open(context.Background(), tx, f.a, in)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	f.numbers[name] = tk.Number
	return tk
}

func TestTicketPageRequester(t *testing.T) {
	f := newFixture(t)
	f.open("walkin", cadre, tickets.OpenInput{Text: "家门口的下水道堵了", Source: taxonomy.Walkin,
		RequesterName: "赵大娘", RequesterPhone: "13655556666", ExternalID: "",
		Intent: intents.Result{Category: taxonomy.Sanitation, Urgency: taxonomy.Normal, Village: "翟各庄村", Confidence: 0.9}})
	path := "/desk/tickets/" + f.numbers["walkin"]
	// Its handler must call her: the number whole, with a link to dial.
	_, body := f.signIn(cadre).get(path)
	for _, want := range []string{`id="requester">赵大娘 13655556666`, `href="tel:13655556666"`, `id="source">来访`, "收不到机器人的消息"} {
		if !strings.Contains(body, want) {
			t.Errorf("handler's page lacks %q", want)
		}
	}
	// Anyone else sees it masked, in the page and the export.
	lb := f.signIn(leader)
	if _, body := lb.get(path); !strings.Contains(body, "赵大娘 136****6666") || strings.Contains(body, "13655556666") {
		t.Errorf("the leader's page shows the phone whole or not at all")
	}
	resp, err := lb.c.Get(f.srv.URL + "/desk/tickets.xlsx?source=walkin")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	x, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("工单")
	if len(rows) != 2 || !strings.Contains(strings.Join(rows[1], "|"), "赵大娘|136****6666") || strings.Contains(strings.Join(rows[1], "|"), "13655556666") {
		t.Errorf("export rows = %v", rows)
	}
	if rows[0][len(rows[0])-1] != "反映人数" || rows[1][len(rows[1])-1] != "1" {
		t.Errorf("export's last column: %v / %v", rows[0], rows[1])
	}
}

// TestHandlingForms walks the 12345 steps through the desk's forms.
func TestHandlingForms(t *testing.T) {
	f := newFixture(t)
	kb, cb := f.signIn(cadre), f.signIn(center)
	path := "/desk/tickets/" + f.numbers["zroad"]
	if _, body := kb.get(path); strings.Contains(body, `id="act-contact"`) || !strings.Contains(body, `id="act-extend"`) {
		t.Error("before 接单: contact offered or extension not")
	}
	post := func(b *browser, form url.Values, want int) string {
		t.Helper()
		code, body := b.post(path, form)
		if code != want {
			t.Fatalf("%v: %d, want %d\n%s", form, code, want, body)
		}
		return body
	}
	post(kb, url.Values{"action": {"accept"}}, http.StatusSeeOther)
	if _, body := kb.get(path); !strings.Contains(body, `id="act-contact"`) || !strings.Contains(body, `id="contacted">未记录`) {
		t.Error("after 接单 the contact button is missing")
	}
	post(kb, url.Values{"action": {"contact"}}, http.StatusSeeOther)
	post(kb, url.Values{"action": {"promise"}, "reply_by": {"2026-12-05"}}, http.StatusSeeOther)
	if body := post(kb, url.Values{"action": {"extend"}, "deadline": {"2026-12-20"}}, 400); !strings.Contains(body, "reason") {
		t.Error("an extension without a reason is not refused as such")
	}
	post(kb, url.Values{"action": {"extend"}, "deadline": {"2026-12-20"}, "note": {"灯具要订货"}}, http.StatusSeeOther)
	_, body := kb.get(path + "?done=contact")
	for _, want := range []string{`id="contacted">2026-11-28 17:04`, `id="reply-by">2026-12-05 23:59`, `id="request"`, "灯具要订货", "申请延期"} {
		if !strings.Contains(body, want) {
			t.Errorf("handler's page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="act-decide"`) || strings.Contains(body, `id="act-extend"`) || strings.Contains(body, `id="act-contact"`) {
		t.Error("the handler is offered to decide, to ask again, or to contact twice")
	}
	if _, body := cb.get(path); !strings.Contains(body, `id="act-decide"`) {
		t.Error("the centre is not offered the decision")
	}
	if code, _ := kb.post(path, url.Values{"action": {"approve"}}); code != 403 {
		t.Errorf("the handler approving their own request: %d", code)
	}
	post(cb, url.Values{"action": {"approve"}, "note": {"同意"}}, http.StatusSeeOther)
	if tk := f.ticket("zroad"); !tk.ResolveBy.Equal(time.Date(2026, 12, 20, 15, 59, 0, 0, time.UTC)) || tk.ContactedAt.IsZero() {
		t.Errorf("after approval: resolve by %s, contacted %s", tk.ResolveBy, tk.ContactedAt)
	}
	post(kb, url.Values{"action": {"return"}, "note": {"属公路段管"}}, http.StatusSeeOther)
	post(cb, url.Values{"action": {"refuse"}, "note": {"村内道路归村里"}}, http.StatusSeeOther)
	post(kb, url.Values{"action": {"resolve"}, "note": {"换了灯头，还差一盏"}, "outcome": {"partly"}}, http.StatusSeeOther)
	_, body = cb.get(path)
	for _, want := range []string{`id="outcome">部分解决`, "申请延至 2026-12-20 23:59", "办结时限改为", "理由：属公路段管", "意见：村内道路归村里", "部分解决"} {
		if !strings.Contains(body, want) {
			t.Errorf("page after the steps lacks %q", want)
		}
	}
	if tk := f.ticket("zroad"); tk.State != routing.Resolved || tk.Outcome != routing.Partly || tk.HandlerID != cadre {
		t.Errorf("after the steps: %s %s handled by %d", tk.State, tk.Outcome, tk.HandlerID)
	}
}

// TestLinkForms links a ticket to another by hand on the desk and unlinks it.
func TestLinkForms(t *testing.T) {
	f := newFixture(t)
	cb := f.signIn(center)
	lroad := "/desk/tickets/" + f.numbers["lroad"]
	if code, body := cb.post(lroad, url.Values{"action": {"link"}, "ticket": {f.numbers["lroad"]}}); code != 409 || !strings.Contains(body, "现在不能这样操作") {
		t.Errorf("linking to itself: %d", code)
	}
	if code, _ := cb.post(lroad, url.Values{"action": {"link"}, "ticket": {" " + f.numbers["zroad"] + " "}}); code != http.StatusSeeOther {
		t.Fatalf("link: %d", code)
	}
	_, body := cb.get(lroad)
	if !strings.Contains(body, `id="primary"`) || !strings.Contains(body, `id="act-unlink"`) || strings.Contains(body, `id="act-resolve"`) || strings.Contains(body, `id="act-transfer"`) {
		t.Error("a linked ticket's page: no primary, no unlink, or working actions offered")
	}
	// The cadre handling the primary sees the follower; a cadre of the
	// follower's village may not unlink from a ticket they cannot move.
	_, body = f.signIn(cadre).get("/desk/tickets/" + f.numbers["zroad"])
	if !strings.Contains(body, `id="followers"`) || !strings.Contains(body, f.numbers["lroad"]) || !strings.Contains(body, `id="requesters">2 人`) {
		t.Error("the primary's page does not show its follower")
	}
	if _, body := f.signIn(otherCadre).get(lroad); strings.Contains(body, `id="act-unlink"`) {
		t.Error("another village's cadre is offered unlinking")
	}
	if code, _ := cb.post(lroad, url.Values{"action": {"unlink"}}); code != http.StatusSeeOther {
		t.Fatalf("unlink: %d", code)
	}
	if tk := f.ticket("lroad"); tk.State != routing.Assigned || tk.LinkedTo != 0 || tk.HandlerID != otherCadre {
		t.Errorf("unlinked: %s linked to %d, handler %d", tk.State, tk.LinkedTo, tk.HandlerID)
	}
}

// ordersCSV is a small 12345 export over the fixture's villages, with
// the platform's column variants.
const ordersCSV = "工单号,来电时间,派发时间,来电人,来电号码,主要内容,诉求标题,诉求分类,诉求类型,发生地址,所属街乡,所属村,主办单位,应反时间,是否督办\n" +
	"GD20261128000031,2026/11/28 9:01,2026/11/28 9:30,刘大妈,13700004444,刘大妈反映梁家务村停水两天了。,停水,城乡建设>供水,求助,梁家务村,某某镇,梁家务村,某某镇人民政府,2个工作日,否\n" +
	"GD20261128000077,2026/11/28 10:12,2026/11/28 10:40,陈先生,18800005555,翟各庄村村口有人私搭乱建占用道路。,私搭乱建,城乡建设>违法建设,投诉,翟各庄村村口,某某镇,,某某镇人民政府,2026年12月4日,是\n"

func (b *browser) upload(path, field, name string, content []byte) (int, string) {
	b.f.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf", b.csrf)
	fw, _ := w.CreateFormFile(field, name)
	fw.Write(content)
	w.Close()
	req, _ := http.NewRequest("POST", b.f.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	if loc := resp.Header.Get("Location"); loc != "" {
		return resp.StatusCode, loc
	}
	return resp.StatusCode, out.String()
}

func TestOrdersUploadAndExport(t *testing.T) {
	f := newFixture(t)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(ordersCSV)
	if err != nil {
		t.Fatal(err)
	}
	lb := f.signIn(leader)
	if code, _ := lb.get("/desk/orders"); code != 404 {
		t.Errorf("a leader opens the 12345 page: %d", code)
	}
	if code, _ := lb.upload("/desk/orders", "file", "派单.csv", []byte(gbk)); code != 404 {
		t.Errorf("a leader uploads orders: %d", code)
	}
	cb := f.signIn(center)
	code, body := cb.get("/desk/orders")
	if code != 200 || !strings.Contains(body, `id="upload"`) || !strings.Contains(body, "被反映地址") || !strings.Contains(body, `href="/desk/orders"`) {
		t.Fatalf("orders page: %d", code)
	}
	// A bad row: nothing of the file is imported.
	bad := strings.Replace(ordersCSV, "18800005555", "电话未知", 1)
	bad = strings.Replace(bad, "2026/11/28 9:01", "昨天", 1)
	code, body = cb.upload("/desk/orders", "file", "派单.csv", []byte(bad))
	if code != 400 || !strings.Contains(body, "派单.csv:2") || !strings.Contains(body, "派单.csv:3") {
		t.Errorf("bad upload: %d\n%s", code, body)
	}
	if code, body := cb.upload("/desk/orders", "file", "派单.xlsx", []byte("not a workbook")); code != 400 || !strings.Contains(body, `id="upload-error"`) {
		t.Errorf("a broken workbook: %d", code)
	}
	count := func() int {
		var n int
		_ = f.db.View(context.Background(), func(tx *storage.Tx) error {
			var err error
			n, err = tx.CountTickets(context.Background(), storage.TicketQuery{Scope: storage.Scope{All: true}, Source: taxonomy.Hotline}, 100)
			return err
		})
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("%d orders imported from refused files", n)
	}
	code, loc := cb.upload("/desk/orders", "file", "派单.csv", []byte(gbk))
	if code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", code, loc)
	}
	_, body = cb.get(loc)
	if !strings.Contains(body, "CSV（GBK 编码）") || !strings.Contains(body, "新增 2 件，更新 0 件，未变 0 件") {
		t.Errorf("after the upload:\n%s", body)
	}
	_, loc = cb.upload("/desk/orders", "file", "派单.csv", []byte(gbk))
	if _, body := cb.get(loc); !strings.Contains(body, "新增 0 件，更新 0 件，未变 2 件") || count() != 2 {
		t.Errorf("the same file twice changed something (%d tickets)", count())
	}
}

// The results of the orders dispatched in a period, in the platform's
// columns.
func TestOrdersExport(t *testing.T) {
	f := newFixture(t)
	cb := f.signIn(center)
	if code, loc := cb.upload("/desk/orders", "file", "派单.csv", []byte(ordersCSV)); code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", code, loc)
	}
	if code, _ := f.signIn(leader).get("/desk/orders.xlsx?from=2026-11-28&to=2026-11-28"); code != 404 {
		t.Errorf("a leader downloads the results: %d", code)
	}
	resp, err := cb.c.Get(f.srv.URL + "/desk/orders.xlsx?from=2026-11-28&to=2026-11-28")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	x, err := excelize.OpenReader(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("export: %d %v", resp.StatusCode, err)
	}
	rows, _ := x.GetRows("办理结果")
	if len(rows) != 3 || rows[0][0] != "工单编号" || rows[1][0] != "GD20261128000031" || rows[1][1] != "否" || rows[1][3] != "待接单" {
		t.Errorf("results = %v", rows)
	}
	if code, _ := cb.get("/desk/orders.xlsx?from=2026-11-30&to=2026-11-01"); code != 400 {
		t.Errorf("a backwards period: %d", code)
	}
}

// The weekly and monthly reports carry the 12345 scorecard, on the page
// and in the workbook; the daily one does not.
func TestReportsScoreboard(t *testing.T) {
	f := newFixture(t)
	cb := f.signIn(center)
	_, body := cb.get("/desk/reports?kind=weekly")
	for _, want := range []string{`id="scoreboard"`, `id="score-total"`, "先行联系率", "按村", "翟各庄村", "响应 30 · 解决 35 · 满意 35"} {
		if !strings.Contains(body, want) {
			t.Errorf("weekly report lacks %q", want)
		}
	}
	if _, body := cb.get("/desk/reports?kind=daily"); strings.Contains(body, `id="scoreboard"`) {
		t.Error("the daily report has the scorecard")
	}
	resp, err := cb.c.Get(f.srv.URL + "/desk/reports.xlsx?kind=monthly")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	x, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := x.GetCellValue("12345考核", "B9"); v != "合计" {
		t.Errorf("the workbook's scorecard sheet: B9 = %q", v)
	}
}
