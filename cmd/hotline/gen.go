package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"hotline/loadgen"
	"hotline/storage"
)

// runGen is "hotline gen --tickets N --db FILE": a year of generated
// tickets through the real intake and lifecycle, for benchmarks and for
// trying the reports and the desk at scale.
func runGen(ctx context.Context, io stdio, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	n := fs.Int("tickets", 10000, "how many tickets")
	residents := fs.Int("residents", 20000, "how many registered residents write them")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same history")
	end := fs.String("end", "", "the generated year ends on this day, e.g. 2026-12-31 (default now)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *n <= 0 {
		fmt.Fprintln(io.err, "gen: --tickets must be positive")
		return errUsage
	}
	opts := loadgen.Options{Tickets: *n, Residents: *residents, Seed: *seed}
	if *end != "" {
		t, err := time.Parse(time.DateOnly, *end)
		if err != nil {
			fmt.Fprintf(io.err, "gen: --end %q: want 2026-12-31\n", *end)
			return errUsage
		}
		opts.End = t
	}
	store, err := storage.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	start, last := time.Now(), time.Now()
	opts.Progress = func(done, total int) {
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			fmt.Fprintf(io.err, "%d / %d tickets (%s)\n", done, total, time.Since(start).Round(time.Second))
		}
	}
	st, err := loadgen.Generate(ctx, store, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.out, "%d tickets (%d accepted, %d resolved, %d rated, %d reopened, %d escalations) in %s into %s\n",
		st.Tickets, st.Accepted, st.Resolved, st.Rated, st.Reopened, st.Escalations, time.Since(start).Round(time.Second), *db)
	return nil
}
