package desk

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/api"
	"hotline/assets"
	"hotline/loadgen"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/signin"
	"hotline/storage"
	"hotline/tickets"
)

// The desk's pages at scale. They run on the database HOTLINE_BENCH_DB
// names (one from `hotline gen --tickets 1000000 --end 2026-12-01 --db
// big.db`); without it, on a small generated one, so that CI's one pass
// stays cheap. Each reports its p95 in milliseconds besides the mean; the
// goal at a million tickets is p95 < 100 ms.
//
//	HOTLINE_BENCH_DB=big.db go test ./desk -run '^$' -bench . -benchtime 50x

var benchData loadgen.BenchData

func TestMain(m *testing.M) {
	code := m.Run()
	benchData.Remove()
	os.Exit(code)
}

// benchDesk is the desk over the benchmark database, with a signed-in
// browser per staff member asked for.
type benchDesk struct {
	db   *storage.DB
	s    *Server
	sign *signin.Service
	a    *assets.Assets
	now  time.Time
}

func newBenchDesk(b *testing.B) *benchDesk {
	b.Helper()
	ctx := context.Background()
	path, err := benchData.Path(ctx)
	if err != nil {
		b.Fatal(err)
	}
	db, err := storage.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	indexAll(b, db)
	r, err := assets.Load(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	d := &benchDesk{db: db, a: assets.New(0, r, nil), now: newest(b, db)}
	clock := func() time.Time { return d.now }
	if d.sign, err = signin.New("http://127.0.0.1:8080", clock); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	d.s, err = New(Config{Config: api.Config{DB: db, Assets: assets.Fixed{A: d.a}, Tickets: tickets.New(routing.DefaultPolicy(), clock, log, nil),
		SignIn: d.sign, Now: clock, Log: log}})
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// indexAll brings the search index up to date, as the service does beside
// intake, and says how fast it went.
func indexAll(b *testing.B, db *storage.DB) {
	start, n := time.Now(), 0
	for {
		k, err := db.IndexSearch(context.Background(), 5000)
		if err != nil {
			b.Fatal(err)
		}
		if n += k; k == 0 {
			break
		}
	}
	if n > 0 {
		b.Logf("indexed %d tickets for search in %s (%.0f/s)", n, time.Since(start).Round(time.Millisecond), float64(n)/time.Since(start).Seconds())
	}
}

// newest is when the database's history ends: the benchmark's now.
func newest(b *testing.B, db *storage.DB) time.Time {
	var t time.Time
	err := db.View(context.Background(), func(tx *storage.Tx) error {
		ts, err := tx.Tickets(context.Background(), storage.TicketFilter{NewestFirst: true, Limit: 1})
		if len(ts) == 1 {
			t = ts[0].CreatedAt.Add(time.Minute)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// staff is the first staff member of the role (and 片区) in the roster.
func (d *benchDesk) staff(b *testing.B, role roster.Role) roster.Staff {
	for _, s := range d.a.Roster.Staff {
		if s.Role == role {
			return s
		}
	}
	b.Fatalf("no %s in the roster", role)
	return roster.Staff{}
}

// cookie signs a staff member in and returns the session cookie.
func (d *benchDesk) cookie(b *testing.B, st roster.Staff) *http.Cookie {
	var sess signin.Session
	err := d.db.Update(context.Background(), func(tx *storage.Tx) error {
		link, err := d.sign.Link(context.Background(), tx, st.TelegramID)
		if err != nil {
			return err
		}
		_, token, _ := strings.Cut(link, signin.LinkPath)
		sess, err = d.sign.Redeem(context.Background(), tx, token)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return &http.Cookie{Name: signin.CookieName, Value: sess.Token}
}

// run serves path b.N times as the holder of cookie and reports the p95.
func (d *benchDesk) run(b *testing.B, cookie *http.Cookie, path string) {
	b.Helper()
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		start := time.Now()
		d.s.ServeHTTP(rec, req)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d\n%s", path, rec.Code, rec.Body.String())
		}
	}
	b.StopTimer()
	reportP95(b, took)
}

func reportP95(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	b.ReportMetric(float64(took[(len(took)*95+99)/100-1].Microseconds())/1000, "p95-ms")
}

// BenchmarkOverviewPage is 总览 for the centre (the whole township), an
// area leader and a cadre, over its default week, and the centre's over 30
// days.
func BenchmarkOverviewPage(b *testing.B) {
	d := newBenchDesk(b)
	for _, role := range []roster.Role{roster.Center, roster.AreaLeader, roster.VillageCadre} {
		b.Run(string(role), func(b *testing.B) {
			d.run(b, d.cookie(b, d.staff(b, role)), "/desk/")
		})
	}
	// A month chosen in the form instead of the default week.
	from := d.now.AddDate(0, 0, -29).In(notice.Zone).Format("2006-01-02")
	b.Run("center-30-days", func(b *testing.B) {
		d.run(b, d.cookie(b, d.staff(b, roster.Center)), "/desk/?from="+from)
	})
}

// BenchmarkQueuePage is the 工单 page with the filters staff use most.
func BenchmarkQueuePage(b *testing.B) {
	d := newBenchDesk(b)
	centre := d.cookie(b, d.staff(b, roster.Center))
	village := d.a.Roster.Villages[0].Name
	day := func(t time.Time) string { return t.In(notice.Zone).Format("2006-01-02") }
	for _, c := range []struct {
		name  string
		who   *http.Cookie
		query url.Values
	}{
		{"open", centre, nil},
		{"overdue", centre, url.Values{"overdue": {"1"}}},
		{"open-village", centre, url.Values{"village": {village}}},
		{"open-category", centre, url.Values{"category": {"roads"}}},
		{"last-week-all", centre, url.Values{"state": {"all"}, "from": {day(d.now.AddDate(0, 0, -7))}, "to": {day(d.now)}}},
		{"search-2", centre, url.Values{"state": {"all"}, "q": {"路灯"}}},
		{"search-1", centre, url.Values{"state": {"all"}, "q": {"坑"}}},
		{"search-village", centre, url.Values{"state": {"all"}, "q": {"自来水"}, "village": {village}}},
		{"area-leader", d.cookie(b, d.staff(b, roster.AreaLeader)), nil},
		{"cadre", d.cookie(b, d.staff(b, roster.VillageCadre)), nil},
		{"cadre-all", d.cookie(b, d.staff(b, roster.VillageCadre)), url.Values{"state": {"all"}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			d.run(b, c.who, "/desk/tickets?"+c.query.Encode())
		})
	}
}

// BenchmarkTicketPage is one ticket with its history, for the centre.
func BenchmarkTicketPage(b *testing.B) {
	d := newBenchDesk(b)
	var number string
	err := d.db.View(context.Background(), func(tx *storage.Tx) error {
		ts, err := tx.Tickets(context.Background(), storage.TicketFilter{NewestFirst: true, Limit: 100})
		if len(ts) > 0 {
			number = ts[len(ts)-1].Number
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	d.run(b, d.cookie(b, d.staff(b, roster.Center)), "/desk/tickets/"+number)
}
