package reports

import (
	"context"
	"math"
	"testing"
	"time"

	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// scoreData is ten tickets of November, judged on 1 December, whose
// scorecard is worked out by hand in TestScorecardKnownData.
//
//	T1 翟各庄 roads 曾令发  accepted on time, phoned first, 解决, 5★
//	L1 翟各庄 roads        linked to T1, its requester rated 4★
//	T2 翟各庄 roads 曾令发  on time, phoned first, 部分解决, 3★
//	T3 翟各庄 roads 曾令发  accepted late, not phoned, 未解决, 1★ (延期 asked and approved)
//	T4 翟各庄 roads 曾令发  on time, phoned first, 解决 but reopened once, 4★
//	T5 梁家务 roads 郑国庆  on time, phoned first, 解决, promised reply kept
//	T6 梁家务 roads 郑国庆  on time, phoned first, resolve deadline passed (退单 asked), promise broken
//	T7 梁家务 roads 郑国庆  assigned, nothing due yet
//	T8 翟各庄 water 宋立军  12345 order, on time, phoned only after resolving, 解决, 5★ (督办)
//	T9 翟各庄 water 宋立军  accept deadline passed, not accepted, resolve not due
func scoreData(t *testing.T, db *storage.DB) time.Time {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	h := func(n int) time.Time {
		return time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Hour)
	}
	z := time.Time{}
	tk := func(village, area, handler string, cat taxonomy.Category, state routing.State, accepted, contacted, resolved time.Time,
		o routing.Outcome, rating int) storage.Ticket {
		return storage.Ticket{Village: village, Area: area, HandlerName: handler, Category: cat, State: state, CreatedAt: h(0),
			AcceptBy: h(4), ResolveBy: h(168), AcceptedAt: accepted, ContactedAt: contacted, ResolvedAt: resolved, Outcome: o, Rating: rating}
	}
	t8 := tk("翟各庄村", "东片区", "宋立军", "water", routing.Closed, h(1), h(12), h(10), routing.Solved, 5)
	t8.Source, t8.ExternalID = taxonomy.Hotline, "GD1"
	ts := insert(t, db,
		tk("翟各庄村", "东片区", "曾令发", "roads", routing.Closed, h(1), h(2), h(10), routing.Solved, 5),
		tk("翟各庄村", "东片区", "曾令发", "roads", routing.Closed, h(1), h(2), h(10), routing.Partly, 3),
		tk("翟各庄村", "东片区", "曾令发", "roads", routing.Closed, h(6), z, h(10), routing.Unsolved, 1),
		tk("翟各庄村", "东片区", "曾令发", "roads", routing.Closed, h(1), h(2), h(10), routing.Solved, 4),
		tk("梁家务村", "西片区", "郑国庆", "roads", routing.Resolved, h(1), h(2), h(10), routing.Solved, 0),
		tk("梁家务村", "西片区", "郑国庆", "roads", routing.Accepted, h(1), h(2), z, "", 0),
		tk("梁家务村", "西片区", "郑国庆", "roads", routing.Assigned, z, z, z, "", 0),
		t8,
		tk("翟各庄村", "东片区", "宋立军", "water", routing.Assigned, z, z, z, "", 0),
	)
	ts[3].Reopened = 1
	ts[4].ReplyBy = h(48)
	ts[5].ReplyBy = h(48)
	ts[6].AcceptBy, ts[6].ResolveBy = at.Add(time.Hour), at.Add(48*time.Hour)
	ts[8].ResolveBy = at.Add(time.Hour)
	linked := tk("翟各庄村", "东片区", "曾令发", "roads", routing.Closed, z, z, h(10), routing.Solved, 4)
	linked.LinkedTo = ts[0].ID
	err := db.Update(context.Background(), func(tx *storage.Tx) error {
		ctx := context.Background()
		for _, x := range []storage.Ticket{ts[3], ts[4], ts[5], ts[6], ts[8]} {
			if err := tx.SaveTicket(ctx, x); err != nil {
				return err
			}
		}
		return tx.AddEvents(ctx,
			storage.Event{TicketID: ts[2].ID, At: h(20), Kind: "extension_requested"},
			storage.Event{TicketID: ts[2].ID, At: h(21), Kind: "extension_approved"},
			storage.Event{TicketID: ts[5].ID, At: h(20), Kind: "return_requested"},
			storage.Event{TicketID: ts[5].ID, At: h(21), Kind: "return_refused"},
			storage.Event{TicketID: ts[7].ID, At: h(1), Kind: "supervised"})
	})
	if err != nil {
		t.Fatal(err)
	}
	insert(t, db, linked)
	return at
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.0005 }

func TestScorecardKnownData(t *testing.T) {
	db := openDB(t)
	at := scoreData(t, db)
	p := Period{Kind: Monthly, From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: at}
	sheet := view(t, db, func(ctx context.Context, tx *storage.Tx) (Sheet, error) {
		return LoadSheet(ctx, tx, storage.Scope{All: true}, p)
	})
	b := view(t, db, func(ctx context.Context, tx *storage.Tx) (Scoreboard, error) {
		return LoadScoreboard(ctx, tx, storage.Scope{All: true}, p, DefaultWeights(), roster.Demo())
	})
	tot := b.Total
	// Counts: nine problems (the linked report only rates); contact and
	// response due for T1–T6, T8, T9 (8); resolution due for T1–T6 and T8
	// (7): 解决 T1 T5 T8, 部分解决 T2, 未解决 T3, reopened T4, overdue T6; six
	// ratings: 满意 T1 T4 L1 T8, 基本满意 T2, 不满意 T3.
	want := storage.ScoreCounts{Problems: 9, ContactDue: 8, ContactedFirst: 5, ResolveDue: 7, Solved: 3, Partly: 1, Unsolved: 1,
		Reopened: 1, Overdue: 1, Ratings: 6, Satisfied: 4, Basic: 1, Dissatisfied: 1, Promised: 2, PromiseKept: 1,
		ExtensionsAsked: 1, ExtensionsApproved: 1, ReturnsAsked: 1, Supervised: 1}
	if tot.ScoreCounts != want {
		t.Errorf("counts\n got %+v\nwant %+v", tot.ScoreCounts, want)
	}
	w := DefaultWeights()
	check := func(name string, got float64, ok bool, want float64) {
		t.Helper()
		if !ok || !near(got, want) {
			t.Errorf("%s = %.4f (ok %v), want %.4f", name, got, ok, want)
		}
	}
	v, ok := tot.Contact()
	check("先行联系率 5/8", v, ok, 0.625)
	v, ok = tot.Response()
	check("响应率 6/8", v, ok, 0.75)
	v, ok = tot.Resolution(w)
	check("解决率 (3 + 0.5×1)/7", v, ok, 0.5)
	v, ok = tot.Satisfaction(w)
	check("满意率 (4 + 0.8×1)/6", v, ok, 0.8)
	v, ok = tot.PromisesKept()
	check("promises kept 1/2", v, ok, 0.5)
	v, ok = tot.Score(w)
	check("score 30×0.75 + 35×0.5 + 35×0.8", v, ok, 68)
	withContact, err := ParseWeights("contact=10")
	if err != nil {
		t.Fatal(err)
	}
	v, ok = tot.Score(withContact)
	check("score with contact=10: (10×0.625 + 22.5 + 17.5 + 28)/110", v, ok, 67.5)

	byName := func(cs []Scorecard) map[string]Scorecard {
		m := map[string]Scorecard{}
		for _, c := range cs {
			m[c.Name] = c
		}
		return m
	}
	scores := []struct {
		list, name string
		cs         []Scorecard
		want       float64 // score on 100, by hand
		ok         bool
	}{
		// 翟各庄村: response 4/6, resolution 2.5/5, satisfaction 4.8/6.
		{"village", "翟各庄村", b.Villages, 30*4.0/6 + 35*0.5 + 35*0.8, true},
		// 梁家务村: response 2/2, resolution 1/2, no ratings: (30 + 17.5)/65.
		{"village", "梁家务村", b.Villages, (30 + 17.5) / 65 * 100, true},
		{"area", "东片区", b.Areas, 30*4.0/6 + 35*0.5 + 35*0.8, true},
		// Roads has no department in the demo roster: 村级办理, response
		// 5/6, resolution 2.5/6, satisfaction 3.8/5.
		{"department", villageLevel, b.Departments, 30*5.0/6 + 35*2.5/6 + 35*3.8/5, true},
		// Water: 宋立军, response 1/2, resolution 1/1, satisfaction 1/1.
		{"department", "宋立军（供排水与防汛）", b.Departments, 15 + 35 + 35, true},
		// 曾令发: response 3/4, resolution 1.5/4, satisfaction 3.8/5 (the linked rating is his).
		{"handler", "曾令发", b.Handlers, 30*0.75 + 35*0.375 + 35*0.76, true},
		{"source", "12345", b.Sources, 30 + 35 + 35, true},
	}
	for _, sc := range scores {
		c, found := byName(sc.cs)[sc.name]
		if !found {
			t.Errorf("%s: no %q in %v", sc.list, sc.name, names(sc.cs))
			continue
		}
		got, ok := c.Score(w)
		if ok != sc.ok || !near(got, sc.want) {
			t.Errorf("%s %s: score %.3f (ok %v), want %.3f", sc.list, sc.name, got, ok, sc.want)
		}
	}
	// The three rates split by source: the 12345 order alone, the rest.
	bySource := map[string]Rates{}
	for _, r := range sheet.By(BySource) {
		bySource[r.Name] = r
	}
	if bySource["12345"].Tickets != 1 || bySource["telegram"].Tickets != 8 || bySource["telegram"].Ratings != 5 {
		t.Errorf("by source = %+v", bySource)
	}
	if c := byName(b.Villages)["梁家务村"]; func() bool { _, ok := c.Satisfaction(w); return ok }() {
		t.Error("梁家务村 has no ratings: its satisfaction rate must be — ")
	}
}

func names(cs []Scorecard) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestParseWeights(t *testing.T) {
	w, err := ParseWeights("response=15, contact=15,partly=0.6")
	if err != nil || w.Response != 15 || w.Contact != 15 || w.Resolution != 35 || w.Satisfaction != 35 || w.Partly != 0.6 || w.Basic != 0.8 {
		t.Errorf("ParseWeights = %+v, %v", w, err)
	}
	if back, err := ParseWeights(w.String()); err != nil || back != w {
		t.Errorf("round trip %q = %+v, %v", w.String(), back, err)
	}
	if d, err := ParseWeights(""); err != nil || d != DefaultWeights() {
		t.Errorf("empty = %+v, %v", d, err)
	}
	for _, bad := range []string{"response", "speed=3", "response=-1", "partly=2", "response=0,resolution=0,satisfaction=0", "basic=x"} {
		if _, err := ParseWeights(bad); err == nil {
			t.Errorf("ParseWeights(%q): want error", bad)
		}
	}
}
