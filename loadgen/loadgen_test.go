package loadgen_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hotline/loadgen"
	"hotline/reports"
	"hotline/storage"
)

// A generated year is a real history: every ticket went through the
// lifecycle, most are closed, the newest still open, some escalated, and
// the reports read it like any other; the same seed gives the same year.
func TestGenerate(t *testing.T) {
	ctx := context.Background()
	end := loadgen.SmallEnd
	gen := func() (*storage.DB, loadgen.Stats) {
		db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		st, err := loadgen.Generate(ctx, db, loadgen.Options{Tickets: 1500, Residents: 300, End: end, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		return db, st
	}
	db, st := gen()
	if _, again := gen(); again != st {
		t.Errorf("same seed, another year: %+v and %+v", st, again)
	}
	if st.Tickets != 1500 || st.Resolved < 1300 || st.Rated < 900 || st.Escalations == 0 || st.Reopened == 0 {
		t.Errorf("stats %+v", st)
	}
	var open, all []storage.Ticket
	var misses []storage.SLAMiss
	var d reports.Digest
	if err := db.View(ctx, func(tx *storage.Tx) error {
		var err error
		if all, err = tx.Tickets(ctx, storage.TicketFilter{}); err != nil {
			return err
		}
		if open, err = tx.Tickets(ctx, storage.TicketFilter{Open: true}); err != nil {
			return err
		}
		if misses, err = tx.SLAMisses(ctx, end.AddDate(-1, 0, 0), end, end); err != nil {
			return err
		}
		d, err = reports.LoadDigest(ctx, tx, reports.Monthly, end, time.UTC)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(all) != 1500 || len(open) == 0 || len(open) > 150 || len(misses) == 0 || len(misses) > st.Escalations {
		t.Errorf("%d tickets, %d open, %d missed deadlines (%d escalations)", len(all), len(open), len(misses), st.Escalations)
	}
	for _, tk := range open {
		if tk.CreatedAt.Before(end.AddDate(0, 0, -30)) && tk.Level == 0 {
			t.Errorf("ticket %s open since %s, never escalated", tk.Number, tk.CreatedAt)
		}
	}
	if r, ok := d.Total.Response(); d.New < 100 || !ok || r < 0.7 || r > 0.95 {
		t.Errorf("November: %d new, response %.2f", d.New, r)
	}
}

// The benchmark database is the one the environment names, else a small
// generated one, made once and removed at the end.
func TestBenchData(t *testing.T) {
	ctx := context.Background()
	t.Setenv(loadgen.BenchEnv, "/somewhere/big.db")
	var named loadgen.BenchData
	if p, err := named.Path(ctx); err != nil || p != "/somewhere/big.db" {
		t.Errorf("with %s set: %q, %v", loadgen.BenchEnv, p, err)
	}
	if err := named.Remove(); err != nil {
		t.Errorf("nothing generated, yet Remove: %v", err)
	}

	t.Setenv(loadgen.BenchEnv, "")
	var small loadgen.BenchData
	p, err := small.Path(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := small.Path(ctx); again != p {
		t.Errorf("generated twice: %q then %q", p, again)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	if err := small.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(p)); !os.IsNotExist(err) {
		t.Errorf("%s left behind: %v", filepath.Dir(p), err)
	}
}
