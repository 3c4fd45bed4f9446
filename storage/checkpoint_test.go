package storage

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// A WAL grown past walLimit starts over at the next write after a
// checkpoint and is cut back to walLimit, although writes never pause; a
// reader in the way only puts that off, and the checkpoint never waits
// for it.
func TestCheckpointLetsALargeWALStartOver(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	text := strings.Repeat("长", 1500) // about a page per row
	written := 0
	write := func(n int) {
		written += n / 100 * 100
		for range n / 100 {
			var ms []OutboxMessage
			for range 100 {
				ms = append(ms, OutboxMessage{ChatID: 1, Text: text})
			}
			enqueue(t, db, ms...)
		}
	}
	walSize := func() int64 {
		fi, err := os.Stat(db.Path() + "-wal")
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	// A reader holding a snapshot keeps the WAL from starting over.
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	write(walLimit / 4096 * 2)
	start := time.Now()
	db.ckpt.checkpoint(4096)
	if waited := time.Since(start); waited > 2*time.Second {
		t.Errorf("a checkpoint with a reader in the way took %v", waited)
	}
	write(100)
	if s := walSize(); s < walLimit {
		t.Fatalf("WAL is %d bytes although a reader kept it", s)
	}
	tx.Rollback()
	db.ckpt.checkpoint(4096)
	write(100)
	if s := walSize(); s > walLimit+1<<20 {
		t.Fatalf("WAL is %d bytes after a checkpoint with no reader in the way", s)
	}
	if due, _ := db.Pending(ctx, LaneTicket, 0, 100_000); len(due) != written {
		t.Fatalf("%d rows, want %d", len(due), written)
	}
}
