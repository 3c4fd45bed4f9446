package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"hotline/assets"
	"hotline/loadgen"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/signin"
	"hotline/storage"
	"hotline/tickets"
)

// The API at scale, on the database HOTLINE_BENCH_DB names (one from
// `hotline gen --tickets 1000000 --end 2026-12-01 --db big.db`), else on a
// small generated one so that CI's one pass stays cheap. Each reports its
// p95; the goal at a million tickets is p95 < 100 ms.
//
//	HOTLINE_BENCH_DB=big.db go test ./api -run '^$' -bench . -benchtime 50x

var benchData loadgen.BenchData

func TestMain(m *testing.M) {
	code := m.Run()
	benchData.Remove()
	os.Exit(code)
}

type benchAPI struct {
	s     *Server
	token string
	now   time.Time
}

// newBenchAPI serves the API over the benchmark database with a token of
// the first staff member in role.
func newBenchAPI(b *testing.B, role roster.Role) *benchAPI {
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
	r, err := assets.Load(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	a := &benchAPI{now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return a.now }
	sign, err := signin.New("http://127.0.0.1:8080", clock)
	if err != nil {
		b.Fatal(err)
	}
	i := slices.IndexFunc(r.Staff, func(s roster.Staff) bool { return s.Role == role })
	if i < 0 {
		b.Fatalf("no %s", role)
	}
	if err := db.Update(ctx, func(tx *storage.Tx) error {
		a.token, err = sign.CreateToken(ctx, tx, r.Staff[i].TelegramID, "benchmark")
		return err
	}); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	a.s = New(Config{DB: db, Assets: assets.Fixed{A: assets.New(0, r, nil)}, SignIn: sign,
		Tickets: tickets.New(routing.DefaultPolicy(), clock, log, nil), Now: clock, Log: log})
	return a
}

func (a *benchAPI) run(b *testing.B, path string) {
	b.Helper()
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+a.token)
		rec := httptest.NewRecorder()
		start := time.Now()
		a.s.ServeHTTP(rec, req)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
		}
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[(len(took)*95+99)/100-1].Microseconds())/1000, "p95-ms")
}

// BenchmarkStats is GET /api/v1/stats over the last 30 days (and a whole
// month) by each dimension, for the centre.
func BenchmarkStats(b *testing.B) {
	a := newBenchAPI(b, roster.Center)
	day := func(t time.Time) string { return t.In(notice.Zone).Format(DateLayout) }
	from30 := day(a.now.AddDate(0, 0, -30))
	for _, by := range []string{"village", "area", "category", "handler"} {
		b.Run(by, func(b *testing.B) {
			a.run(b, "/api/v1/stats?by="+by+"&from="+from30+"&to="+day(a.now))
		})
	}
	b.Run("area-leader", func(b *testing.B) {
		l := newBenchAPI(b, roster.AreaLeader)
		l.run(b, "/api/v1/stats?by=village&from="+from30+"&to="+day(a.now))
	})
}

// BenchmarkTicketList is GET /api/v1/tickets: the open queue and a page of
// a filtered history.
func BenchmarkTicketList(b *testing.B) {
	a := newBenchAPI(b, roster.Center)
	b.Run("open", func(b *testing.B) { a.run(b, "/api/v1/tickets?state=open") })
	b.Run("category-month", func(b *testing.B) {
		a.run(b, "/api/v1/tickets?category=water&from=2026-11-01&to=2026-11-30")
	})
}
