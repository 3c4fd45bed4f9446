package storage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func insertTickets(t *testing.T, db *DB, n int) {
	t.Helper()
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		for range n {
			tk := Ticket{Text: "路灯坏了", Category: "roads", Urgency: "normal", State: "assigned", CreatedAt: t0, AcceptBy: t0, ResolveBy: t0}
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func countTickets(t *testing.T, path string) int {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	err = db.View(ctx, func(tx *Tx) error {
		ts, err := tx.Tickets(ctx, TicketFilter{})
		n = len(ts)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "hotline.db")
	db, err := Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	insertTickets(t, db, 25)

	// Taken while the source is open, with its WAL not yet checkpointed.
	dst := filepath.Join(dir, "backup.db")
	res, err := Backup(ctx, src, dst)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages == 0 || res.Bytes == 0 {
		t.Errorf("result = %+v", res)
	}
	if n := countTickets(t, dst); n != 25 {
		t.Fatalf("backup holds %d tickets, want 25", n)
	}
	// A second backup replaces the first whole, and leaves no temporary
	// file behind.
	insertTickets(t, db, 5)
	if _, err := Backup(ctx, src, dst); err != nil {
		t.Fatal(err)
	}
	if n := countTickets(t, dst); n != 30 {
		t.Fatalf("second backup holds %d tickets, want 30", n)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "backup.db.tmp-*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestBackupErrorsNameThePath(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "hotline.db")
	db, err := Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	missing := filepath.Join(dir, "missing.db")
	for _, tc := range []struct {
		name, src, dst string
		says           []string
	}{
		{"no such database", missing, filepath.Join(dir, "b.db"), []string{missing, "no such file"}},
		{"no such directory", src, filepath.Join(dir, "nope", "b.db"), []string{filepath.Join(dir, "nope"), "no such file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Backup(ctx, tc.src, tc.dst)
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%q does not say %q", err, s)
				}
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("backing up a missing database created it")
	}
}
