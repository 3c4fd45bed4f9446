package loadgen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"hotline/storage"
)

// BenchEnv names the database the scale benchmarks run on, e.g. one made
// with `hotline gen --tickets 1000000 --end 2026-12-01 --db big.db`.
const BenchEnv = "HOTLINE_BENCH_DB"

// SmallEnd is where the small benchmark database's generated year ends.
var SmallEnd = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// BenchData is the database a test binary's benchmarks share: the file
// BenchEnv names, else a small one generated once (3,000 tickets, so that
// CI's one pass of every benchmark stays cheap). Its zero value is ready;
// Remove deletes what it generated (call it from TestMain).
type BenchData struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// Path returns the database file the benchmarks should open.
func (d *BenchData) Path(ctx context.Context) (string, error) {
	if p := os.Getenv(BenchEnv); p != "" {
		return p, nil
	}
	d.once.Do(func() { d.path, d.err = d.generate(ctx) })
	return d.path, d.err
}

func (d *BenchData) generate(ctx context.Context) (string, error) {
	dir, err := os.MkdirTemp("", "hotline-bench")
	if err != nil {
		return "", fmt.Errorf("benchmark database: %w", err)
	}
	d.dir = dir
	path := filepath.Join(dir, "small.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := Generate(ctx, db, Options{Tickets: 3000, Residents: 2000, End: SmallEnd}); err != nil {
		return "", fmt.Errorf("benchmark database: %w", err)
	}
	return path, nil
}

// Remove deletes the small database, if one was generated.
func (d *BenchData) Remove() error {
	if d.dir == "" {
		return nil
	}
	return os.RemoveAll(d.dir)
}
