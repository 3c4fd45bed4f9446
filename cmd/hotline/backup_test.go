package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"hotline/storage"
)

func ticketNumbers(t *testing.T, db string) []string {
	t.Helper()
	ctx := context.Background()
	store, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var out []string
	err = store.View(ctx, func(tx *storage.Tx) error {
		ts, err := tx.Tickets(ctx, storage.TicketFilter{})
		for _, tk := range ts {
			es, err := tx.Events(ctx, tk.ID)
			if err != nil {
				return err
			}
			if len(es) == 0 {
				return fmt.Errorf("ticket %s has no history", tk.Number)
			}
			out = append(out, tk.Number)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A backup taken while serve runs and keeps taking reports opens, and
// holds every ticket opened before it started, with its history.
func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hotline.db")
	registered(t, db)
	s, watch, stop := startLocal(t, db)
	const before = 3 // the sender answers one chat at most 3 at once, then 1/s
	for i := range before {
		say(t, s, watch, zhangDaye, fmt.Sprintf("第%d件：村口路灯坏了", i), "工单编号")
	}

	// More reports arrive while the backup runs.
	more := make(chan struct{})
	go func() {
		defer close(more)
		for i := range 20 {
			s.sim.SendText(zhangDaye, fmt.Sprintf("又一件%d：垃圾好几天没人收了", i))
		}
	}()
	out := filepath.Join(dir, "backup.db")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), stdio{out: &stdout, err: &stderr}, []string{"backup", "--db", db, "--out", out}); code != 0 {
		t.Fatalf("backup = %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "checked") {
		t.Errorf("backup said %q", stdout.String())
	}
	<-more
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	copied := ticketNumbers(t, out)
	if len(copied) < before {
		t.Fatalf("the backup holds %d tickets, want at least %d", len(copied), before)
	}
	live := ticketNumbers(t, db)
	for i, n := range copied { // a snapshot: the live tickets up to a point
		if live[i] != n {
			t.Fatalf("backup ticket %d is %s, live %s", i, n, live[i])
		}
	}
}

func TestBackupUsage(t *testing.T) {
	for _, args := range [][]string{{"backup"}, {"backup", "--out", "x.db", "extra"}, {"backup", "--nonsense"}} {
		if code := run(context.Background(), stdio{out: io.Discard, err: io.Discard}, args); code != 2 {
			t.Errorf("%v = %d, want 2", args, code)
		}
	}
}
