package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// enqueue queues ms at the given times (t0 when at is empty) and returns their ids.
func enqueue(t *testing.T, db *DB, ms ...OutboxMessage) []int64 {
	t.Helper()
	var ids []int64
	err := db.Update(context.Background(), func(tx *Tx) error {
		for _, m := range ms {
			at := t0
			if !m.CreatedAt.IsZero() {
				at = m.CreatedAt
			}
			id, err := tx.Enqueue(context.Background(), m, at)
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
	return ids
}

func record(t *testing.T, db *DB, ops ...OutboxOp) {
	t.Helper()
	if err := db.Record(context.Background(), SendBatch{Ops: ops}); err != nil {
		t.Fatal(err)
	}
}

func pendingIDs(t *testing.T, db *DB, lane Lane, after int64) []int64 {
	t.Helper()
	rows, err := db.Pending(context.Background(), lane, after, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestOutboxLanesAndCursor(t *testing.T) {
	db := openTest(t)
	ids := enqueue(t, db,
		OutboxMessage{ChatID: 1, Text: "a", Buttons: [][]Button{{{Text: "接单", Data: "acc:1"}}}},
		OutboxMessage{ChatID: 2, Text: "b", DedupeKey: "run:1:2", Lane: LaneCampaign},
		OutboxMessage{ChatID: 2, Text: "b again", DedupeKey: "run:1:2", Lane: LaneCampaign}, // dropped
		OutboxMessage{ChatID: 3, Text: "c"},
		OutboxMessage{ChatID: 3, Text: "d", Lane: LaneCampaign},
	)
	if ids[2] != 0 {
		t.Fatalf("duplicate dedupe key queued as %d", ids[2])
	}
	if got := pendingIDs(t, db, LaneTicket, 0); !slices.Equal(got, []int64{ids[0], ids[3]}) {
		t.Fatalf("ticket lane = %v", got)
	}
	if got := pendingIDs(t, db, LaneCampaign, 0); !slices.Equal(got, []int64{ids[1], ids[4]}) {
		t.Fatalf("campaign lane = %v", got)
	}
	if got := pendingIDs(t, db, LaneTicket, ids[0]); !slices.Equal(got, []int64{ids[3]}) {
		t.Fatalf("ticket lane after %d = %v", ids[0], got)
	}
	rows, err := db.Pending(context.Background(), LaneTicket, 0, 1)
	if err != nil || len(rows) != 1 || rows[0].Lane != LaneTicket || rows[0].Buttons[0][0].Data != "acc:1" ||
		!rows[0].NotBefore.Equal(t0) || !rows[0].CreatedAt.Equal(t0) {
		t.Fatalf("row = %+v, %v", rows, err)
	}
	if head, err := db.Head(context.Background()); err != nil || head != ids[4] {
		t.Fatalf("head = %d, %v", head, err)
	}
}

func TestOutboxLaneChecked(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.Enqueue(ctx, OutboxMessage{ChatID: 1, Text: "x", Lane: "urgent"}, t0)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `unknown lane "urgent"`) {
		t.Fatalf("enqueue in an unknown lane: %v", err)
	}
	id := enqueue(t, db, OutboxMessage{ChatID: 1, Text: "x"})[0]
	if _, err := db.write.Exec(`UPDATE outbox SET lane = 'bulk' WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pending(ctx, "bulk", 0, 10); err == nil || !strings.Contains(err.Error(), "unknown lane") {
		t.Fatalf("a row of an unknown lane was read: %v", err)
	}
}

func TestRecordOutcomes(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	ids := enqueue(t, db,
		OutboxMessage{ChatID: 1, Text: "sent in two parts"},
		OutboxMessage{ChatID: 2, Text: "retried"},
		OutboxMessage{ChatID: 3, Text: "refused"},
		OutboxMessage{ChatID: 4, Text: "half sent"},
	)
	record(t, db,
		OutboxOp{Kind: OpParts, ID: ids[0], TelegramIDs: []int{100}},
		OutboxOp{Kind: OpSent, ID: ids[0], TelegramIDs: []int{100, 101}, At: t0},
		OutboxOp{Kind: OpParts, ID: ids[0], TelegramIDs: []int{99}}, // late: a sent row keeps its ids
		OutboxOp{Kind: OpRetry, ID: ids[1], At: t0.Add(time.Minute), Reason: "500"},
		OutboxOp{Kind: OpFail, ID: ids[2], Reason: "400"},
		OutboxOp{Kind: OpParts, ID: ids[3], TelegramIDs: []int{10, 11}},
	)
	if mid, ok, err := db.MessageID(ctx, ids[0]); err != nil || !ok || mid != 101 {
		t.Errorf("MessageID = %d, %v, %v; want the last part 101", mid, ok, err)
	}
	for _, id := range ids[1:] {
		if _, ok, _ := db.MessageID(ctx, id); ok {
			t.Errorf("row %d is not sent but has a message id", id)
		}
	}
	rows, err := db.Pending(ctx, LaneTicket, 0, 10)
	if err != nil || len(rows) != 2 {
		t.Fatalf("pending = %+v, %v", rows, err)
	}
	if r := rows[0]; r.ID != ids[1] || r.Attempts != 1 || !r.NotBefore.Equal(t0.Add(time.Minute)) {
		t.Errorf("retried row = %+v", r)
	}
	if r := rows[1]; r.ID != ids[3] || fmt.Sprint(r.SentParts) != "[10 11]" || r.Attempts != 0 {
		t.Errorf("half-sent row = %+v", r)
	}
	db.View(ctx, func(tx *Tx) error {
		ms, err := tx.OutboxMessages(ctx, OutboxFilter{Status: OutboxFailed})
		if err != nil || len(ms) != 1 || ms[0].ID != ids[2] {
			t.Errorf("failed = %+v, %v", ms, err)
		}
		return nil
	})
}

// A batch is one transaction: if any of it fails, none of it is written,
// and the sender can hand the same batch in again.
func TestRecordIsAtomic(t *testing.T) {
	db := openTest(t)
	ids := enqueue(t, db, OutboxMessage{ChatID: 1, Text: "a"})
	err := db.Record(context.Background(), SendBatch{
		Ops:   []OutboxOp{{Kind: OpSent, ID: ids[0], TelegramIDs: []int{7}, At: t0}, {Kind: 99, ID: ids[0]}},
		Sends: []Send{{ChatID: 1, At: t0}},
	})
	if err == nil || !strings.Contains(err.Error(), "unknown outcome") {
		t.Fatalf("err = %v", err)
	}
	if got := pendingIDs(t, db, LaneTicket, 0); len(got) != 1 {
		t.Fatalf("a failed batch was half written: pending %v", got)
	}
	if h, _ := db.SenderHistory(context.Background(), t0.Add(-time.Hour)); len(h.Sends) != 0 {
		t.Fatalf("a failed batch left history: %+v", h)
	}
}

func TestSenderHistory(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if h, err := db.SenderHistory(ctx, t0); err != nil || h.Rate != 0 || len(h.Sends) != 0 {
		t.Fatalf("empty history = %+v, %v", h, err)
	}
	b := SendBatch{Sends: []Send{{1, t0}, {-5, t0.Add(time.Second)}}, Rate: 25, RateAt: t0}
	if err := db.Record(ctx, b); err != nil {
		t.Fatal(err)
	}
	b = SendBatch{Sends: []Send{{2, t0.Add(90 * time.Second)}}, Rate: 12.5, RateAt: t0.Add(90 * time.Second), Forget: t0.Add(30 * time.Second)}
	if err := db.Record(ctx, b); err != nil {
		t.Fatal(err)
	}
	h, err := db.SenderHistory(ctx, t0.Add(60*time.Second))
	if err != nil || h.Rate != 12.5 || len(h.Sends) != 1 || h.Sends[0].ChatID != 2 || !h.Sends[0].At.Equal(t0.Add(90*time.Second)) {
		t.Fatalf("history = %+v, %v", h, err)
	}
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM sender_sends`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d sends kept, want the one not forgotten (%v)", n, err)
	}
}

// The sender's reads, a 403's update and pruning go through small
// indexes, never through the whole table (every message ever sent).
func TestOutboxQueriesUseIndexes(t *testing.T) {
	db := openTest(t)
	tests := []struct{ query, want string }{
		{`SELECT id FROM outbox WHERE lane = 'ticket' AND status = 'pending' AND id > 5 ORDER BY id LIMIT 10`, "outbox_pending"},
		{`UPDATE outbox SET status = 'failed' WHERE status = 'pending' AND lane IN ('ticket', 'campaign') AND chat_id = 5`, "outbox_pending"},
		{`SELECT count(*) FROM outbox WHERE lane = 'campaign' AND status = 'pending'`, "outbox_pending"},
		{`SELECT 1 FROM outbox e WHERE e.edit_ref = 7 AND e.edit_ref != 0`, "outbox_edit_ref"},
		{`DELETE FROM sender_sends WHERE at < '2026'`, "sender_sends_at"},
	}
	for _, tt := range tests {
		rows, err := db.write.Query("EXPLAIN QUERY PLAN " + tt.query)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if text := strings.Join(plan, "; "); !strings.Contains(text, tt.want) || strings.Contains(text, "SCAN") {
			t.Errorf("%s\nplan %q, want a search of %s", tt.query, text, tt.want)
		}
	}
}
