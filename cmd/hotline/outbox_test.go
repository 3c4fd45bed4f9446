package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"
	"time"

	"hotline/storage"
)

func TestParseRetention(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{"", 30 * 24 * time.Hour, false},
		{"7d", 7 * 24 * time.Hour, false},
		{"720h", 720 * time.Hour, false},
		{"90m", 90 * time.Minute, false},
		{"0d", 0, true},
		{"-3d", 0, true},
		{"10m", 0, true},
		{"a month", 0, true},
		{"3.5d", 0, true},
	}
	for _, tt := range tests {
		got, err := parseRetention(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("parseRetention(%q) = %v, %v", tt.in, got, err)
		}
	}
	var errBuf bytes.Buffer
	_, err := parseServe(stdio{out: io.Discard, err: &errBuf}, nil, func(k string) string {
		return map[string]string{"HOTLINE_OUTBOX_RETENTION": "forever"}[k]
	})
	if !errors.Is(err, errUsage) || !bytes.Contains(errBuf.Bytes(), []byte("HOTLINE_OUTBOX_RETENTION")) {
		t.Fatalf("a bad retention: %v, %q", err, errBuf.String())
	}
}

func TestPruneOnce(t *testing.T) {
	ctx := context.Background()
	store, err := storage.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	var ids []int64
	err = store.Update(ctx, func(tx *storage.Tx) error {
		for _, at := range []time.Time{now.Add(-40 * 24 * time.Hour), now.Add(-20 * 24 * time.Hour), now} {
			id, err := tx.Enqueue(ctx, storage.OutboxMessage{ChatID: 1, Text: "x"}, at)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ops []storage.OutboxOp
	for _, id := range ids {
		ops = append(ops, storage.OutboxOp{Kind: storage.OpSent, ID: id, TelegramIDs: []int{int(id)}, At: now})
	}
	if err := store.Record(ctx, storage.SendBatch{Ops: ops}); err != nil {
		t.Fatal(err)
	}
	job := pruneJob(store, defaultRetention, func() time.Time { return now })
	if n, err := job.Run(ctx); err != nil || n != 1 || job.Every != time.Hour {
		t.Fatalf("prune job: %d, %v (every %s); want 1 row, hourly", n, err, job.Every)
	}
	store.View(ctx, func(tx *storage.Tx) error {
		ms, err := tx.OutboxMessages(ctx, storage.OutboxFilter{})
		if err != nil || len(ms) != 2 || ms[0].ID != ids[1] {
			t.Errorf("left %+v, %v; want the two younger than 30 days", ms, err)
		}
		return nil
	})
}
