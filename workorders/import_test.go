package workorders

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline/assets"
	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/table"
	"hotline/taxonomy"
	"hotline/tickets"
)

// wordClassifier is a tiny deterministic classifier for the orders whose
// 问题分类 does not map.
type wordClassifier struct{}

func (wordClassifier) Classify(_ context.Context, in intents.Input) (intents.Result, error) {
	res := intents.Result{Category: taxonomy.Other, Urgency: taxonomy.Normal, Confidence: 0.8, Source: "fake"}
	for w, c := range map[string]taxonomy.Category{"下水道": taxonomy.Water, "健身器材": taxonomy.CultureEdu} {
		if strings.Contains(in.Text, w) {
			res.Category = c
		}
	}
	return res, nil
}

type env struct {
	db  *storage.DB
	svc *tickets.Service
	a   *assets.Assets
	im  Importer
	now time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{db: db, now: at("2026-11-28 08:00")}
	log := slog.New(slog.DiscardHandler)
	e.svc = tickets.New(routing.DefaultPolicy(), func() time.Time { return e.now }, log, nil)
	e.a = assets.New(0, roster.Demo(), func(*intents.Gazetteer) intents.Classifier { return wordClassifier{} })
	e.im = Importer{DB: db, Tickets: e.svc, Log: log}
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for _, s := range e.a.Roster.Staff {
			if err := tx.MarkStarted(ctx, int64(s.TelegramID), e.now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) importFile(t *testing.T, path string) (Result, error) {
	t.Helper()
	tb, err := table.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	orders, err := testParser().Parse(tb)
	if err != nil {
		t.Fatal(err)
	}
	return e.im.Import(context.Background(), e.a, orders, path)
}

// state is every ticket, event and outbox row, to show that an import
// changed nothing.
func (e *env) state(t *testing.T) (tickets, events, outbox int) {
	t.Helper()
	ctx := context.Background()
	err := e.db.View(ctx, func(tx *storage.Tx) error {
		ts, err := tx.Tickets(ctx, storage.TicketFilter{})
		for _, tk := range ts {
			es, err := tx.Events(ctx, tk.ID)
			if err != nil {
				return err
			}
			events += len(es)
		}
		tickets = len(ts)
		ms, _ := tx.OutboxMessages(ctx, storage.OutboxFilter{})
		outbox = len(ms)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return
}

func (e *env) byNumber(t *testing.T, ext string) storage.Ticket {
	t.Helper()
	var tk storage.Ticket
	err := e.db.View(context.Background(), func(tx *storage.Tx) error {
		o, err := tx.WorkOrder(context.Background(), ext)
		if err != nil {
			return err
		}
		tk, err = tx.Ticket(context.Background(), o.TicketID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// checkSupervised checks that the one supervised order's handler was told.
func (e *env) checkSupervised(t *testing.T, number string) {
	t.Helper()
	var supervised []storage.OutboxMessage
	_ = e.db.View(context.Background(), func(tx *storage.Tx) error {
		supervised, _ = tx.OutboxMessages(context.Background(), storage.OutboxFilter{Kind: notice.KindSupervised})
		return nil
	})
	if len(supervised) != 1 || !strings.Contains(supervised[0].Text, number) {
		t.Errorf("supervision notices = %+v", supervised)
	}
}

func TestImportOpensTicketsOnce(t *testing.T) {
	e := newEnv(t)
	res, err := e.importFile(t, "testdata/orders-utf8.csv")
	if err != nil || res != (Result{New: 6}) {
		t.Fatalf("import = %+v, %v", res, err)
	}
	tk := e.byNumber(t, "GD20261125000118")
	if tk.Source != taxonomy.Hotline || tk.ExternalID != "GD20261125000118" || tk.RequesterName != "张先生" ||
		tk.RequesterPhone != "13800001111" || tk.Village != "翟各庄村" || tk.Category != taxonomy.Roads ||
		!tk.ResolveBy.Equal(at("2026-11-30 09:15")) || tk.HandlerID != 100000001 || tk.ResidentID != 0 {
		t.Errorf("ticket = %+v", tk)
	}
	if got := e.byNumber(t, "GD20261126000211"); got.Category != taxonomy.Water || got.Classifier != "fake" {
		t.Errorf("unmapped 问题分类 classified as %s by %s", got.Category, got.Classifier)
	}
	if got := e.byNumber(t, "GD20261125000342"); got.Classifier != "12345" {
		t.Errorf("mapped 问题分类 decided by %s", got.Classifier)
	}
	e.checkSupervised(t, "GD20261125000342")
	before1, before2, before3 := e.state(t)
	e.now = e.now.Add(time.Hour)
	res, err = e.importFile(t, "testdata/orders-utf8.csv")
	if err != nil || res != (Result{Unchanged: 6}) {
		t.Fatalf("second import = %+v, %v", res, err)
	}
	if a, b, c := e.state(t); a != before1 || b != before2 || c != before3 {
		t.Errorf("the second import changed something: %d/%d/%d tickets/events/outbox, was %d/%d/%d", a, b, c, before1, before2, before3)
	}
	res, err = e.importFile(t, "testdata/orders-gbk-variants.csv")
	if err != nil || res != (Result{New: 2}) {
		t.Fatalf("GBK import = %+v, %v", res, err)
	}
	if got := e.byNumber(t, "GD20261128000077"); got.Village != "胡家堡村" || got.Category != taxonomy.Construction {
		t.Errorf("GBK order = %+v", got)
	}
}

// A re-export with changes updates the ticket and records what changed.
func TestImportUpdatesChangedOrder(t *testing.T) {
	e := newEnv(t)
	if _, err := e.importFile(t, "testdata/orders-utf8.csv"); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/orders-utf8.csv")
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(raw), "希望尽快维修。,村口路灯不亮,城乡建设>市政管理>路灯,求助,翟各庄村村口,某某镇,翟各庄村,某某镇人民政府,3个工作日,否",
		"希望尽快维修。来电人再次来电催促。,村口路灯不亮,城乡建设>市政管理>路灯,求助,翟各庄村村口,某某镇,翟各庄村,某某镇人民政府,5个工作日,是", 1)
	changed = strings.Replace(changed, "张先生,13800001111,", "张先生,13900002222,", 1)
	if changed == string(raw) || !strings.Contains(changed, "13900002222") {
		t.Fatal("the test file changed; fix the replacement")
	}
	path := filepath.Join(t.TempDir(), "orders-again.csv")
	if err := os.WriteFile(path, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := e.importFile(t, path)
	if err != nil || res != (Result{Updated: 1, Unchanged: 5}) {
		t.Fatalf("re-export = %+v, %v", res, err)
	}
	tk := e.byNumber(t, "GD20261125000118")
	if !strings.Contains(tk.Text, "再次来电催促") || !tk.ResolveBy.Equal(at("2026-12-02 09:15")) {
		t.Errorf("updated ticket: %q by %s", tk.Text, tk.ResolveBy.In(notice.Zone))
	}
	var events []storage.Event
	_ = e.db.View(context.Background(), func(tx *storage.Tx) error {
		events, _ = tx.Events(context.Background(), tk.ID)
		return nil
	})
	kinds := []string{}
	var changes string
	for _, ev := range events {
		kinds = append(kinds, ev.Kind)
		if ev.Kind == tickets.EventOrderUpdated {
			changes = ev.Data
		}
	}
	if !strings.HasSuffix(strings.Join(kinds, ","), "order_updated,supervised") {
		t.Errorf("events = %v", kinds)
	}
	for _, want := range []string{"诉求内容", "办理时限", "5个工作日", "督办标志", "联系电话", "138****1111", "139****2222"} {
		if !strings.Contains(changes, want) {
			t.Errorf("changes lack %q: %s", want, changes)
		}
	}
	if strings.Contains(changes, "13900002222") || tk.RequesterPhone != "13900002222" {
		t.Errorf("the new phone is %q on the ticket and in the history: %s", tk.RequesterPhone, changes)
	}
}

// A failure inside the transaction leaves nothing of the file: an order
// whose number a ticket opened by hand already carries.
func TestImportAllOrNothing(t *testing.T) {
	e := newEnv(t)
	_, err := func() (storage.Ticket, error) {
		var tk storage.Ticket
		err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
			var err error
			tk, err = e.svc.Open(context.Background(), tx, e.a, tickets.OpenInput{Text: "电线下垂", Source: taxonomy.Hotline,
				ExternalID: "GD20261127000009", OpenedBy: 400000001,
				Intent: intents.Result{Category: taxonomy.Power, Village: "前辛庄村"}})
			return err
		})
		return tk, err
	}()
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := e.state(t)
	if _, err := e.importFile(t, "testdata/orders-utf8.csv"); err == nil || !strings.Contains(err.Error(), "orders-utf8.csv:6") {
		t.Fatalf("import over a taken number: %v", err)
	}
	if after, _, _ := e.state(t); after != before {
		t.Errorf("%d tickets after a failed import, %d before", after, before)
	}
}

// Results go back in the platform's columns, read again through excelize.
func TestExportRoundTrip(t *testing.T) {
	e := newEnv(t)
	if _, err := e.importFile(t, "testdata/orders-utf8.csv"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	light := e.byNumber(t, "GD20261125000118")
	e.now = at("2026-11-28 09:00")
	steps := []func(tx *storage.Tx) error{
		func(tx *storage.Tx) error {
			_, err := e.svc.Accept(ctx, tx, e.a, light.ID, light.HandlerID)
			return err
		},
		func(tx *storage.Tx) error {
			_, err := e.svc.Contact(ctx, tx, e.a, light.ID, light.HandlerID, at("2026-11-28 08:50"))
			return err
		},
		func(tx *storage.Tx) error {
			_, err := e.svc.Resolve(ctx, tx, e.a, light.ID, light.HandlerID, "已更换灯杆，恢复照明", routing.Partly)
			return err
		},
	}
	for _, step := range steps {
		if err := e.db.Update(ctx, step); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := Results(ctx, e.db, at("2026-11-25 00:00"), at("2026-11-26 00:00"))
	if err != nil || len(rows) != 2 {
		t.Fatalf("results = %+v, %v", rows, err)
	}
	path := filepath.Join(t.TempDir(), "results.xlsx")
	if err := WriteXLSX(path, rows, notice.Zone); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		ExportColumns,
		{"GD20261125000118", "是", "2026-11-28 08:50:00", "已办结", "已更换灯杆，恢复照明", "部分解决", "", "2026-11-28 09:00:00"},
		{"GD20261125000342", "否", "", "待接单"},
	}
	if len(got) != len(want) {
		t.Fatalf("rows = %q", got)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q\n     want %q", i+1, got[i], want[i])
		}
	}
}

func TestResultOf(t *testing.T) {
	done := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		t    storage.Ticket
		want ResultRow
	}{
		{storage.Ticket{State: routing.Closed, Outcome: routing.Unsolved, Rating: 2, ResultNote: "不属本镇", ResolvedAt: done},
			ResultRow{Result: "已办结", Reply: "不属本镇", Solved: "未解决", Satisfied: "不满意", ResolvedAt: done}},
		{storage.Ticket{State: routing.Closed, Rating: 3, ResolvedAt: done}, ResultRow{Result: "已办结", Solved: "解决", Satisfied: "基本满意", ResolvedAt: done}},
		{storage.Ticket{State: routing.Closed}, ResultRow{Result: "已关闭"}}, // closed as 重复 without a resolution
		{storage.Ticket{State: routing.Resolved, Outcome: routing.Solved, Rating: 5}, ResultRow{Result: "已办结", Solved: "解决", Satisfied: "满意"}},
		{storage.Ticket{State: routing.Accepted}, ResultRow{Result: "办理中"}},
		{storage.Ticket{State: routing.Linked}, ResultRow{Result: "办理中"}},
	}
	for _, tt := range tests {
		if got := resultOf("", tt.t); got != tt.want {
			t.Errorf("resultOf(%s) = %+v, want %+v", tt.t.State, got, tt.want)
		}
	}
}
