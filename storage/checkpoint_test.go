package storage

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// A WAL grown past walLimit is emptied by the next checkpoint, even
// though writes never pause; a reader in the way only delays it.
func TestCheckpointTruncatesALargeWAL(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	text := strings.Repeat("长", 1500) // about a page per row
	write := func(n int) {
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
	// A reader holding a snapshot keeps the WAL from being emptied.
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
		t.Errorf("a checkpoint blocked by a reader took %v", waited)
	}
	tx.Rollback()
	db.ckpt.checkpoint(4096)
	if s := walSize(); s >= walLimit {
		t.Fatalf("WAL is %d bytes after a checkpoint with no reader in the way", s)
	}
}
