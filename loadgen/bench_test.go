package loadgen_test

import (
	"context"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"hotline/assets"
	"hotline/loadgen"
	"hotline/outreach"
	"hotline/reports"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// The scale benchmarks run on the database HOTLINE_BENCH_DB names, e.g.
// one made with `hotline gen --tickets 1000000 --end 2026-12-01 --db
// big.db`; without it, on a small generated one, so that CI's one pass
// stays cheap. They report time per operation, bytes allocated per
// operation (the memory a report needs beyond the service's own) and the
// process's peak resident memory.
//
//	HOTLINE_BENCH_DB=big.db go test ./loadgen -run '^$' -bench . -benchtime 20x

var benchData loadgen.BenchData

func TestMain(m *testing.M) {
	code := m.Run()
	benchData.Remove()
	os.Exit(code)
}

// benchDB opens the benchmark database and says when its history ends.
func benchDB(b *testing.B) (*storage.DB, time.Time) {
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
	// A database from the environment ends where its newest ticket is.
	last := loadgen.SmallEnd
	if err := db.View(ctx, func(tx *storage.Tx) error {
		ts, err := tx.Tickets(ctx, storage.TicketFilter{NewestFirst: true, Limit: 1})
		if len(ts) == 1 {
			last = ts[0].CreatedAt
		}
		return err
	}); err != nil {
		b.Fatal(err)
	}
	return db, last
}

// cpuTime is the process's user and system time so far: on a shared
// machine wall time per operation varies with the neighbours' load, CPU
// time much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs op b.N times and reports, besides ns/op, the CPU time per
// operation and the peak resident memory.
func measure(b *testing.B, op func()) {
	b.ReportAllocs()
	start := cpuTime()
	n := 0
	for b.Loop() {
		op()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(n)/1e6, "cpu-ms/op")
	}
	peakRSS(b)
}

// peakRSS reports the process's peak resident memory (VmHWM) in MB.
func peakRSS(b *testing.B) {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return // not Linux: nothing to report
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			if kb, err := strconv.Atoi(f[1]); err == nil {
				b.ReportMetric(float64(kb)/1024, "peakRSS-MB")
			}
		}
	}
}

func view(b *testing.B, db *storage.DB, fn func(ctx context.Context, tx *storage.Tx) error) {
	if err := db.View(context.Background(), func(tx *storage.Tx) error { return fn(context.Background(), tx) }); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkMonthlyReport is the 月综合 of the last full month: every rate
// by 片区, village and handler. Goal at 1,000,000 tickets: < 200 ms and
// < 50 MB extra.
func BenchmarkMonthlyReport(b *testing.B) {
	db, last := benchDB(b)
	measure(b, func() {
		view(b, db, func(ctx context.Context, tx *storage.Tx) error {
			d, err := reports.LoadDigest(ctx, tx, reports.Monthly, last, time.UTC)
			if err == nil && d.New == 0 {
				b.Fatal("an empty month")
			}
			return err
		})
	})
}

// BenchmarkScoreboard is the 12345 scorecard of the last full month by
// 片区, village, department, handler and source: the sheet and a second
// pass for the scores.
func BenchmarkScoreboard(b *testing.B) {
	db, last := benchDB(b)
	p, err := reports.PeriodFor(reports.Monthly, last, time.UTC)
	if err != nil {
		b.Fatal(err)
	}
	measure(b, func() {
		view(b, db, func(ctx context.Context, tx *storage.Tx) error {
			sb, err := reports.LoadScoreboard(ctx, tx, storage.Scope{All: true}, p, reports.DefaultWeights(), roster.Demo())
			if err == nil && sb.Total.Problems == 0 {
				b.Fatal("an empty month")
			}
			return err
		})
	})
}

// BenchmarkDailyDigest is the 日调度 at the end of the last day.
func BenchmarkDailyDigest(b *testing.B) {
	db, last := benchDB(b)
	measure(b, func() {
		view(b, db, func(ctx context.Context, tx *storage.Tx) error {
			_, err := reports.LoadDigest(ctx, tx, reports.Daily, last, time.UTC)
			return err
		})
	})
}

// BenchmarkOverview is the desk's 总览 of the last 30 days with its trend.
func BenchmarkOverview(b *testing.B) {
	db, last := benchDB(b)
	p, err := reports.Between(last.AddDate(0, 0, -30), last)
	if err != nil {
		b.Fatal(err)
	}
	measure(b, func() {
		view(b, db, func(ctx context.Context, tx *storage.Tx) error {
			if _, err := reports.LoadOverview(ctx, tx, storage.Scope{All: true}, p, last); err != nil {
				return err
			}
			_, err := reports.LoadTrend(ctx, tx, storage.Scope{All: true}, last, 30, time.UTC)
			return err
		})
	})
}

// BenchmarkMinuteJobs is one pass of every periodic job (deadlines,
// signals, resume, unanswered, fixed?) at the end of the history. Goal at
// 1,000,000 tickets: < 50 ms a pass, RSS < 100 MB.
func BenchmarkMinuteJobs(b *testing.B) {
	db, last := benchDB(b)
	ctx := context.Background()
	var r *roster.Roster
	view(b, db, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		r, _, err = tx.Roster(ctx)
		return err
	})
	cfg, err := outreach.DefaultConfig()
	if err != nil {
		b.Fatal(err)
	}
	now := last
	clock := func() time.Time { return now }
	log := slog.New(slog.DiscardHandler)
	tk := tickets.New(routing.DefaultPolicy(), clock, log, nil)
	svc := outreach.New(db, assets.Fixed{A: assets.New(0, r, nil)}, tk, cfg, clock, log)
	// The first passes after start catch up (the signal counts start a
	// baseline back, 20,000 tickets a pass; reminders come due at once);
	// the passes measured are the steady ones.
	for range 6 {
		if err := svc.RunJobs(ctx); err != nil {
			b.Fatal(err)
		}
	}
	measure(b, func() {
		now = now.Add(time.Minute)
		if err := svc.RunJobs(ctx); err != nil {
			b.Fatal(err)
		}
	})
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapInuse)/(1<<20), "heap-MB")
}

// BenchmarkTasks is /tasks for the centre (every open ticket), an area
// leader (their 片区's, and any they handle elsewhere) and a cadre (their
// own), read as the bot reads them.
func BenchmarkTasks(b *testing.B) {
	db, _ := benchDB(b)
	var r *roster.Roster
	view(b, db, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		r, _, err = tx.Roster(ctx)
		return err
	})
	leader := slices.IndexFunc(r.Staff, func(s roster.Staff) bool { return s.Role == roster.AreaLeader })
	for _, tc := range []struct {
		name  string
		scope storage.Scope
	}{
		{"centre", storage.Scope{All: true}},
		{"area-leader", tickets.ScopeOf(r.Staff[leader])},
		{"cadre", storage.Scope{HandlerID: r.CadresOf(r.Villages[0].Name)[0].TelegramID}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			n := 0
			measure(b, func() {
				view(b, db, func(ctx context.Context, tx *storage.Tx) error {
					ts, err := tx.QueryTickets(ctx, storage.TicketQuery{States: routing.OpenStates, Scope: tc.scope})
					n = len(ts)
					return err
				})
			})
			b.ReportMetric(float64(n), "tickets")
		})
	}
}
