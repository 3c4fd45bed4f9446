package reports

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

func openDB(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// insert stores tickets as given: created, then every field written back.
func insert(t *testing.T, db *storage.DB, ts ...storage.Ticket) []storage.Ticket {
	t.Helper()
	err := db.Update(context.Background(), func(tx *storage.Tx) error {
		for i := range ts {
			if ts[i].Urgency == "" {
				ts[i].Urgency = taxonomy.Normal
			}
			if err := tx.InsertTicket(context.Background(), &ts[i]); err != nil {
				return err
			}
			if err := tx.SaveTicket(context.Background(), ts[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func view[T any](t *testing.T, db *storage.DB, fn func(ctx context.Context, tx *storage.Tx) (T, error)) T {
	t.Helper()
	var out T
	if err := db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		out, err = fn(context.Background(), tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// knownData is five tickets of November whose rates are worked out by
// hand, and a sixth created an hour before the month's end, not yet due.
func knownData(t *testing.T, db *storage.DB) (at time.Time) {
	at = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	h := func(n int) time.Time {
		return time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Hour)
	}
	tk := func(village, area, handler string, accepted, resolved time.Time, rating int) storage.Ticket {
		return storage.Ticket{Village: village, Area: area, HandlerName: handler, CreatedAt: h(0), AcceptBy: h(4),
			ResolveBy: h(168), AcceptedAt: accepted, ResolvedAt: resolved, Rating: rating, State: "closed", Category: "roads"}
	}
	z := time.Time{}
	ts := []storage.Ticket{
		tk("翟各庄村", "东片区", "曾令发", h(1), h(10), 5),  // on time, on time, satisfied
		tk("翟各庄村", "东片区", "曾令发", h(5), h(200), 3), // late, late, not satisfied
		tk("翟各庄村", "东片区", "曾令发", h(2), h(100), 4), // on time, on time, satisfied
		tk("东寺庄村", "东片区", "李东", z, z, 0),          // never accepted: due and missed both
		tk("梁家务村", "西片区", "王强", h(3), z, 0),       // accepted; resolve overdue
	}
	ts[3].State, ts[4].State = "assigned", "accepted"
	young := tk("梁家务村", "西片区", "王强", z, z, 0) // deadlines after at: not yet due
	young.CreatedAt, young.AcceptBy, young.ResolveBy, young.State = at.Add(-time.Hour), at.Add(3*time.Hour), at.Add(100*time.Hour), "assigned"
	insert(t, db, append(ts, young)...)
	return at
}

func TestRatesOnKnownData(t *testing.T) {
	db := openDB(t)
	at := knownData(t, db)
	d := view(t, db, func(ctx context.Context, tx *storage.Tx) (Digest, error) {
		return DigestOf(ctx, tx, storage.Scope{All: true}, Period{Kind: Monthly, From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: at})
	})
	r := d.Total
	if r.Tickets != 6 || r.AcceptDue != 5 || r.AcceptedOnTime != 3 || r.ResolveDue != 5 || r.ResolvedOnTime != 2 ||
		r.Ratings != 3 || r.Satisfied != 2 || r.RatingSum != 12 {
		t.Fatalf("totals %+v", r)
	}
	got := []string{Pct(r.Response()), Pct(r.Resolution()), Pct(r.Satisfaction()), MeanText(r.Mean())}
	want := []string{"60.0%", "40.0%", "66.7%", "4.00"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("rate %d = %s, want %s", i, got[i], want[i])
		}
	}
	byName := map[string]Rates{}
	for _, v := range d.Villages {
		byName[v.Name] = v
	}
	if z := byName["翟各庄村"]; Pct(z.Response()) != "66.7%" || Pct(z.Resolution()) != "66.7%" || Pct(z.Satisfaction()) != "66.7%" {
		t.Errorf("翟各庄村 %+v", z)
	}
	if l := byName["梁家务村"]; Pct(l.Response()) != "100.0%" || Pct(l.Resolution()) != "0.0%" || Pct(l.Satisfaction()) != "—" {
		t.Errorf("梁家务村 %+v", l)
	}
	if d.Overdue != 2 || d.Accepted != 4 || d.Resolved != 3 {
		t.Errorf("counts new %d accepted %d resolved %d overdue %d", d.New, d.Accepted, d.Resolved, d.Overdue)
	}
}

// The same tickets seen from every side agree with the total.
func TestEverySideAgrees(t *testing.T) {
	db := openDB(t)
	at := knownData(t, db)
	d := view(t, db, func(ctx context.Context, tx *storage.Tx) (Digest, error) {
		return DigestOf(ctx, tx, storage.Scope{All: true}, Period{Kind: Monthly, From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: at})
	})
	if top, change, ok := d.Top(); !ok || top.Category != taxonomy.Roads || top.N != 6 || change.Before != 0 {
		t.Errorf("top %+v %+v %v", top, change, ok)
	}
	for _, dim := range []Dimension{ByVillage, ByArea, ByCategory} {
		sum := 0
		for _, r := range view(t, db, func(ctx context.Context, tx *storage.Tx) ([]Rates, error) {
			return stats(ctx, tx, storage.Scope{All: true}, d.Period, dim)
		}) {
			sum += r.Tickets
		}
		if sum != 6 {
			t.Errorf("by %s: %d tickets, want 6", dim, sum)
		}
	}
}

// The scope limits every figure: a 片区, villages, categories.
func TestScopeAndDeskFigures(t *testing.T) {
	db := openDB(t)
	at := knownData(t, db)
	p := Period{Kind: Monthly, From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: at}
	east := storage.Scope{Area: "东片区"}
	o := view(t, db, func(ctx context.Context, tx *storage.Tx) (Overview, error) {
		return LoadOverview(ctx, tx, east, p, at)
	})
	// 东片区: the three tickets of 翟各庄村 (closed) and 东寺庄村's, open and overdue.
	if o.New != 4 || o.Open != 1 || o.Overdue != 1 || o.Accepted != 3 || o.Resolved != 3 || o.Rates.Tickets != 4 {
		t.Errorf("overview %+v", o)
	}
	if want := []GridCell{{"东寺庄村", taxonomy.Roads, 1}, {"翟各庄村", taxonomy.Roads, 3}}; !slices.Equal(o.Grid, want) {
		t.Errorf("grid %v, want %v", o.Grid, want)
	}
	r := &roster.Roster{Villages: []roster.Village{
		{Name: "翟各庄村", Area: "东片区", Households: 600}, {Name: "东寺庄村", Area: "东片区", Households: 50},
		{Name: "小营村", Area: "东片区", Households: 80}, {Name: "梁家务村", Area: "西片区", Households: 100},
	}}
	rows := view(t, db, func(ctx context.Context, tx *storage.Tx) ([]VillageRow, error) {
		return LoadVillages(ctx, tx, r, east, p, at)
	})
	var names []string
	for _, v := range rows {
		names = append(names, v.Name)
	}
	// 东寺庄村 1 per 50 households = 2.0; 翟各庄村 3/600 = 0.5; 小营村 none (无诉求村).
	if want := []string{"东寺庄村", "翟各庄村", "小营村"}; !slices.Equal(names, want) {
		t.Fatalf("villages %v, want %v", names, want)
	}
	if p100, ok := rows[0].Per100(); !ok || p100 != 2 || rows[0].Open != 1 || rows[0].Overdue != 1 || !rows[2].Quiet() {
		t.Errorf("rows %+v", rows)
	}
	roads := storage.Scope{Categories: []taxonomy.Category{taxonomy.Water}}
	if s := view(t, db, func(ctx context.Context, tx *storage.Tx) ([]Rates, error) {
		return stats(ctx, tx, roads, p, ByVillage)
	}); len(s) != 0 {
		t.Errorf("water-only scope sees %+v", s)
	}
	two := storage.Scope{Villages: []string{"梁家务村"}}
	if s := view(t, db, func(ctx context.Context, tx *storage.Tx) ([]Rates, error) {
		return stats(ctx, tx, two, p, ByHandler)
	}); len(s) != 1 || s[0].Name != "王强" || s[0].Tickets != 2 {
		t.Errorf("梁家务村 by handler %+v", s)
	}
}

func TestTrendCountsDaysInTheZone(t *testing.T) {
	db := openDB(t)
	loc := time.FixedZone("CST", 8*3600)
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, loc) }
	var ts []storage.Ticket
	for _, c := range []time.Time{day(28, 0), day(28, 23), day(29, 7), day(30, 1), day(30, 2), day(30, 9)} {
		ts = append(ts, storage.Ticket{Category: taxonomy.Power, State: "assigned", CreatedAt: c, AcceptBy: c, ResolveBy: c})
	}
	insert(t, db, ts...)
	days := view(t, db, func(ctx context.Context, tx *storage.Tx) ([]Day, error) {
		return LoadTrend(ctx, tx, storage.Scope{All: true}, day(30, 10), 4, loc)
	})
	var got []int
	for _, d := range days {
		got = append(got, d.New)
	}
	if want := []int{0, 2, 1, 3}; !slices.Equal(got, want) || !days[3].Day.Equal(day(30, 0)) {
		t.Errorf("trend %v from %s, want %v", got, days[0].Day, want)
	}
}

func TestPeriods(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, loc)
	for _, tc := range []struct {
		kind     PeriodKind
		from, to string
		prev     string
	}{
		{Daily, "2026-03-01 00:00", "2026-03-01 09:00", "2026-02-28 15:00"},
		{Weekly, "2026-02-22 09:00", "2026-03-01 09:00", "2026-02-15 09:00"},
		{Monthly, "2026-02-01 00:00", "2026-03-01 00:00", "2026-01-01 00:00"},
	} {
		p, err := PeriodFor(tc.kind, at, loc)
		f := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") }
		if err != nil || f(p.From) != tc.from || f(p.To) != tc.to || f(p.Previous().From) != tc.prev {
			t.Errorf("%s: %s – %s (prev from %s) %v", tc.kind, f(p.From), f(p.To), f(p.Previous().From), err)
		}
	}
	if _, err := PeriodFor("yearly", at, loc); err == nil {
		t.Error("yearly accepted")
	}
	if _, err := Between(at, at); err == nil {
		t.Error("empty custom period accepted")
	}
	if _, err := ParseDimension("street"); err == nil {
		t.Error("unknown dimension accepted")
	}
}

func TestChange(t *testing.T) {
	for _, tc := range []struct {
		c   Change
		pct int
		ok  bool
	}{{Change{5, 4}, 25, true}, {Change{3, 4}, -25, true}, {Change{1, 3}, -66, true}, {Change{4, 0}, 0, false}} {
		if pct, ok := tc.c.Percent(); pct != tc.pct || ok != tc.ok {
			t.Errorf("%+v: %d %v", tc.c, pct, ok)
		}
	}
}

func TestBacklog(t *testing.T) {
	d := Digest{Generated: time.Unix(0, 0)}
	d, err := WithBacklog(context.Background(), d, func(context.Context, time.Time) (Backlog, error) {
		return Backlog{Pending: map[storage.Lane]int{storage.LaneTicket: 300}, AheadOfTickets: 12 * time.Second}, nil
	})
	if err != nil || d.Backlog == nil || !d.Backlog.Overloaded() {
		t.Fatalf("%+v %v", d.Backlog, err)
	}
	boom := errors.New("boom")
	if _, err := WithBacklog(context.Background(), d, func(context.Context, time.Time) (Backlog, error) { return Backlog{}, boom }); !errors.Is(err, boom) {
		t.Errorf("error lost: %v", err)
	}
	if d, _ := WithBacklog(context.Background(), Digest{}, nil); d.Backlog != nil {
		t.Error("backlog without a source")
	}
}

// stats is what GET /api/v1/stats groups: the rates of p within scope by d.
func stats(ctx context.Context, tx *storage.Tx, scope storage.Scope, p Period, d Dimension) ([]Rates, error) {
	sheet, err := LoadSheetFor(ctx, tx, scope, p, d)
	return sheet.By(d), err
}
