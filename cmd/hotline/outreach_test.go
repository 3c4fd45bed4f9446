package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline/assets"
	"hotline/intents"
	"hotline/notice"
	"hotline/outreach"
	"hotline/reports"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// seedOutreach makes a database over the demo roster with three
// registered residents — two with electric heating in 东片区, one in
// 西片区 — and the first centre member started, and returns its path.
func seedOutreach(t *testing.T) (db string, r *roster.Roster) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "h.db")
	ctx := context.Background()
	store, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if r, err = assets.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	err = store.Update(ctx, func(tx *storage.Tx) error {
		for _, res := range []struct {
			id      int64
			village string
			tags    []string
		}{
			{9001, "翟各庄村", []string{notice.TagElectricHeating}},
			{9002, "东寺庄村", []string{notice.TagElectricHeating, notice.TagAlone}},
			{9003, "梁家务村", nil},
		} {
			if _, err := tx.EnsureResident(ctx, res.id, "居民", now); err != nil {
				return err
			}
			if err := tx.SetResidentVillage(ctx, res.id, res.village, now); err != nil {
				return err
			}
			if err := tx.SetResidentTags(ctx, res.id, res.tags); err != nil {
				return err
			}
			if err := tx.MarkStarted(ctx, res.id, now); err != nil {
				return err
			}
		}
		return tx.MarkStarted(ctx, int64(r.Centers()[0].TelegramID), now)
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, r
}

// withStore runs fn over the database at path.
func withStore(t *testing.T, path string, fn func(ctx context.Context, tx *storage.Tx) error) {
	t.Helper()
	ctx := context.Background()
	store, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Update(ctx, func(tx *storage.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

func outboxRows(t *testing.T, db string, f storage.OutboxFilter) []storage.OutboxMessage {
	t.Helper()
	var out []storage.OutboxMessage
	withStore(t, db, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		out, err = tx.OutboxMessages(ctx, f)
		return err
	})
	return out
}

var fireTime = regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}`)

func TestOutreachList(t *testing.T) {
	db, _ := seedOutreach(t)
	code, out, errOut := runCmd(t, "outreach", "list", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	cfg, err := outreach.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(cfg.Campaigns) {
		t.Fatalf("%d lines for %d campaigns:\n%s", len(lines), len(cfg.Campaigns), out)
	}
	for _, c := range cfg.Campaigns {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, c.ID+" ") })
		if i < 0 {
			t.Errorf("%s not listed:\n%s", c.ID, out)
			continue
		}
		if n := len(fireTime.FindAllString(lines[i], -1)); n != 3 {
			t.Errorf("%s: %d next fire times, want 3: %s", c.ID, n, lines[i])
		}
	}
	if !strings.Contains(out, "segment=tag:electric_heating") || !regexp.MustCompile(`heating-check .*size=2 `).MatchString(out) {
		t.Errorf("heating-check segment size missing:\n%s", out)
	}
}

func TestOutreachPreview(t *testing.T) {
	db, _ := seedOutreach(t)
	code, out, errOut := runCmd(t, "outreach", "preview", "heating-check", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"设备运行正常吗", "recipients: 2", "9001", "9002"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "9003") {
		t.Errorf("preview lists a resident outside the segment:\n%s", out)
	}
	if n := len(outboxRows(t, db, storage.OutboxFilter{})); n != 0 {
		t.Errorf("preview queued %d rows", n)
	}

	// Campaigns to staff preview what staff would get, not "0 recipients".
	for name, want := range map[string]string{"daily-digest": "日调度", "wednesday-visit": "area leader"} {
		code, out, errOut := runCmd(t, "outreach", "preview", name, "--db", db)
		if code != 0 || !strings.Contains(out, want) || strings.Contains(out, "recipients") || strings.Contains(out, "<b>") {
			t.Errorf("preview %s: exit %d %q %s", name, code, out, errOut)
		}
	}

	code, _, errOut = runCmd(t, "outreach", "preview", "nope", "--db", db)
	if code != 1 || !strings.Contains(errOut, `unknown campaign "nope"`) {
		t.Errorf("unknown campaign: exit %d, %s", code, errOut)
	}
	if code, _, _ := runCmd(t, "outreach", "preview", "--db", db); code != 2 {
		t.Errorf("missing name: exit %d, want 2", code)
	}
}

func TestOutreachRunSlot(t *testing.T) {
	db, _ := seedOutreach(t)
	digests := func() int { return len(outboxRows(t, db, storage.OutboxFilter{Kind: notice.KindDigest})) }
	code, out, errOut := runCmd(t, "outreach", "run", "daily-digest", "--slot", "2026-11-28T17:30", "--db", db)
	if code != 0 || !strings.Contains(out, "daily-digest @ 2026-11-28T17:30: ran, status done") {
		t.Fatalf("first run: exit %d %q %s", code, out, errOut)
	}
	if n := digests(); n != 1 {
		t.Fatalf("first run queued %d digests, want 1 (one started centre member)", n)
	}
	code, out, errOut = runCmd(t, "outreach", "run", "daily-digest", "--slot", "2026-11-28T17:30", "--db", db)
	if code != 0 || !strings.Contains(out, "already recorded") || !strings.Contains(out, "0 message(s) queued now") {
		t.Fatalf("second run: exit %d %q %s", code, out, errOut)
	}
	if n := digests(); n != 1 {
		t.Fatalf("second run of the same slot sent again: %d digests", n)
	}

	// A resident campaign: two messages, then none.
	for i, want := range []string{"2 message(s) queued now", "0 message(s) queued now"} {
		code, out, errOut := runCmd(t, "outreach", "run", "heating-check", "--slot", "2026-11-15T10:00", "--db", db)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("heating-check run %d: exit %d %q %s", i+1, code, out, errOut)
		}
	}
	if n := len(outboxRows(t, db, storage.OutboxFilter{Kind: notice.KindCampaign})); n != 2 {
		t.Errorf("%d campaign messages, want 2", n)
	}

	for _, bad := range []string{"2026-11-28 17:30", "2026-11-28T17:30:00", "tomorrow", "2026-13-01T00:00", ""} {
		code, _, errOut := runCmd(t, "outreach", "run", "daily-digest", "--slot", bad, "--db", db)
		if bad == "" {
			// An empty --slot means "now": a fresh one-off slot, not an error.
			if code != 0 {
				t.Errorf("--slot '': exit %d %s", code, errOut)
			}
			continue
		}
		if code != 2 || !strings.Contains(errOut, "--slot") {
			t.Errorf("--slot %q: exit %d, %s", bad, code, errOut)
		}
	}
	if code, _, errOut := runCmd(t, "outreach", "run", "nope", "--db", db); code != 1 || !strings.Contains(errOut, "unknown campaign") {
		t.Errorf("unknown campaign: exit %d %s", code, errOut)
	}
}

func TestOutreachBroadcast(t *testing.T) {
	db, _ := seedOutreach(t)
	code, out, errOut := runCmd(t, "outreach", "broadcast", "--db", db, "--segment", "area:东片区",
		"--text", "明天 9 点到 12 点计划停电，来电后请告诉我们家里用电是否正常。", "--checkin", "power")
	if code != 0 || !strings.Contains(out, "2 message(s) queued") {
		t.Fatalf("broadcast: exit %d %q %s", code, out, errOut)
	}
	msgs := outboxRows(t, db, storage.OutboxFilter{Kind: notice.KindCampaign})
	var to []int64
	for _, m := range msgs {
		to = append(to, m.ChatID)
		if !strings.Contains(m.Text, "计划停电") {
			t.Errorf("text %q", m.Text)
		}
		if len(m.Buttons) != 1 || len(m.Buttons[0]) != 2 || m.Buttons[0][0].Text != "正常" || m.Buttons[0][1].Text != "有问题" {
			t.Fatalf("buttons %+v", m.Buttons)
		}
		for i, arg := range []string{"ok", "bad"} {
			a, err := notice.ParseAction(m.Buttons[0][i].Data)
			if err != nil || a.Verb != notice.VerbCheckin || a.Arg != arg {
				t.Errorf("button %d data %q: %+v %v", i, m.Buttons[0][i].Data, a, err)
			}
		}
	}
	if slices.Sort(to); !slices.Equal(to, []int64{9001, 9002}) {
		t.Errorf("broadcast reached %v, want 9001 and 9002", to)
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown segment term", []string{"--segment", "street:长安街", "--text", "停电"}, "unknown term"},
		{"unknown tag", []string{"--segment", "tag:vip", "--text", "停电"}, "unknown tag"},
		{"village not in the roster", []string{"--segment", "village:火星村", "--text", "停电"}, "火星村"},
		{"missing text", []string{"--segment", "all"}, "missing text"},
		{"unknown category", []string{"--segment", "all", "--text", "停电", "--checkin", "weather"}, "unknown category"},
	} {
		code, _, errOut := runCmd(t, append([]string{"outreach", "broadcast", "--db", db}, tc.args...)...)
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, %s", tc.name, code, errOut)
		}
	}
	if n := len(outboxRows(t, db, storage.OutboxFilter{Kind: notice.KindCampaign})); n != 2 {
		t.Errorf("refused broadcasts queued rows: %d in all", n)
	}
}

func sheets(t *testing.T, path string) ([]string, *excelize.File) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f.GetSheetList(), f
}

func TestReportWorkbooks(t *testing.T) {
	db, r := seedOutreach(t)
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// One ticket on the day of the digest.
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, loc)
	tk := tickets.New(routing.DefaultPolicy(), func() time.Time { return at }, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	a := assets.New(0, r, nil)
	withStore(t, db, func(ctx context.Context, tx *storage.Tx) error {
		_, err := tk.Open(ctx, tx, a, tickets.OpenInput{ResidentID: 9001, Text: "路灯不亮",
			Intent: intents.Result{Category: taxonomy.Roads, Urgency: taxonomy.Normal, Village: "翟各庄村", Confidence: 1, Source: "test"}})
		return err
	})
	dir := t.TempDir()
	for _, kind := range []string{"daily", "weekly", "monthly"} {
		path := filepath.Join(dir, kind+".xlsx")
		code, out, errOut := runCmd(t, "report", kind, "--db", db, "--at", "2026-11-28T17:30", "--xlsx", path)
		if code != 0 || !strings.Contains(out, "wrote "+path) {
			t.Fatalf("%s: exit %d %q %s", kind, code, out, errOut)
		}
		if strings.Contains(out, "<b>") {
			t.Errorf("%s: HTML on the terminal:\n%s", kind, out)
		}
		names, f := sheets(t, path)
		if want := []string{"概览", "按片区", "按村", "按承办人", "按来源", "12345考核"}; !slices.Equal(names, want) {
			t.Errorf("%s sheets %v, want %v", kind, names, want)
		}
		if kind == "daily" {
			if v, _ := f.GetCellValue("概览", "B2"); v != "1" || !strings.Contains(out, "新增 1") {
				t.Errorf("daily: 新增 cell %q, text:\n%s", v, out)
			}
		}
	}

}

func TestReportYearEnd(t *testing.T) {
	db, _ := seedOutreach(t)
	dir := t.TempDir()
	// No evaluation yet: a clear error.
	code, _, errOut := runCmd(t, "report", "yearend", "--db", db)
	if code != 1 || !strings.Contains(errOut, "no year-end evaluation") {
		t.Fatalf("yearend before any run: exit %d, %s", code, errOut)
	}
	if code, out, errOut := runCmd(t, "outreach", "run", "year-end-evaluation", "--slot", "2026-12-10T10:00", "--db", db); code != 0 ||
		!strings.Contains(out, "3 message(s) queued now") {
		t.Fatalf("year-end run: exit %d %q %s", code, out, errOut)
	}
	var ioErr bytes.Buffer
	svc, a, store, err := openOutreach(context.Background(), stdio{out: &ioErr, err: &ioErr}, db, "")
	if err != nil {
		t.Fatal(err)
	}
	err = store.Update(context.Background(), func(tx *storage.Tx) error {
		y, err := reports.LatestYearEnd(context.Background(), tx, a.Roster, 0, svc.Config().Location())
		if err != nil {
			return err
		}
		return svc.RateCadre(context.Background(), tx, y.Run.ID, 9001, 5)
	})
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "yearend.xlsx")
	code, out, errOut := runCmd(t, "report", "yearend", "--db", db, "--xlsx", path)
	if code != 0 {
		t.Fatalf("yearend: exit %d %s", code, errOut)
	}
	for _, want := range []string{"参与：1 / ", "翟各庄村（东片区）1 / 1260", "⚠ 低于 80%", "曾令发：1 户评分，平均 5.00", "wrote " + path} {
		if !strings.Contains(out, want) {
			t.Errorf("yearend report lacks %q:\n%s", want, out)
		}
	}
	names, f := sheets(t, path)
	if want := []string{"概览", "按村参与率", "干部评分"}; !slices.Equal(names, want) {
		t.Errorf("yearend sheets %v, want %v", names, want)
	}
	rows, err := f.GetRows("按村参与率")
	if err != nil || len(rows) < 2 || !slices.Equal(rows[1], []string{"翟各庄村", "东片区", "1260", "1", "0.1%", "未达标"}) {
		t.Errorf("按村参与率 rows %v %v", rows[:min(2, len(rows))], err)
	}
	// Rates are numbers, shown as percentages: Excel sorts and charts them.
	if raw, err := f.GetCellValue("按村参与率", "E2", excelize.Options{RawCellValue: true}); err != nil || !numberNear(raw, 1.0/1260) {
		t.Errorf("participation cell %q (%v), want the fraction 1/1260", raw, err)
	}
	if code, _, _ := runCmd(t, "report", "yearend", "--db", db, "--year", "2025"); code != 1 {
		t.Errorf("--year with no evaluation: exit %d, want 1", code)
	}
	for _, args := range [][]string{{"report"}, {"report", "yearly"}, {"report", "daily", "--at", "noon", "--db", db}} {
		if code, _, _ := runCmd(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func numberNear(s string, want float64) bool {
	v, err := strconv.ParseFloat(s, 64)
	return err == nil && math.Abs(v-want) < 1e-9
}

// The terminal gets plain text: names as they are, no tags, no entities;
// the year-end evaluation with its flags, from a hand-made result.
func TestTerminalRendering(t *testing.T) {
	loc := time.UTC
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, loc)
	d := reports.Digest{Period: reports.Period{Kind: reports.Monthly, From: at.AddDate(0, -1, 0), To: at}, New: 3, PrevNew: 4,
		ByCategory: []reports.CategoryCount{{Category: taxonomy.Roads, N: 3}}, PrevByCat: map[taxonomy.Category]int{taxonomy.Roads: 2},
		ByVillage: []reports.Count{{Name: "王&李村", N: 3}},
		Handlers:  []reports.Rates{{Name: "A<B>", RateCounts: storage.RateCounts{Tickets: 3, AcceptDue: 2, AcceptedOnTime: 1}}}}
	var b bytes.Buffer
	printDigest(&b, d, loc)
	for _, want := range []string{"月综合", "新增 3", "上期新增 4（↓25%）", "道路与照明 3 件（上期 2，↑50%）", "王&李村 3 件", "A<B>", "50.0%"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("digest lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "&amp;") || strings.Contains(b.String(), "<b>") {
		t.Errorf("HTML on the terminal:\n%s", b.String())
	}
	y := reports.YearEnd{Run: storage.Run{ID: 7, Campaign: "year-end-evaluation", Slot: at}, Answers: 8, Households: 20,
		Villages: []reports.VillageTurnout{{Name: "翟各庄村", Area: "东片区", Households: 6, Answers: 3}, {Name: "东寺庄村", Area: "东片区", Households: 4, Answers: 4}},
		Cadres:   []reports.CadreScore{{Name: "曾令发", Ratings: 7, Sum: 30}, {Name: "王强", Ratings: 1, Sum: 2}}}
	b.Reset()
	printYearEnd(&b, y, loc)
	for _, want := range []string{"8 / 20 户 = 40.0%", "未达标", "翟各庄村（东片区）3 / 6 = 50.0%  ⚠ 低于 80%",
		"东寺庄村（东片区）4 / 4 = 100.0%\n", "曾令发：7 户评分，平均 4.29", "王强：1 户评分，平均 2.00"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}
