package storage

import (
	"context"
	"testing"
	"time"
)

func TestOutboxBacklog(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	now := t0.Add(time.Minute)
	b, err := db.OutboxBacklog(ctx, now)
	if err != nil || b.Pending[LaneTicket] != 0 || b.OldestDue[LaneCampaign] != 0 || b.AheadOfTickets != 0 {
		t.Fatalf("empty backlog = %+v, %v", b, err)
	}
	var ms []OutboxMessage
	for i := range 50 {
		ms = append(ms, OutboxMessage{ChatID: int64(i), Text: "card", CreatedAt: t0.Add(10 * time.Second)})
	}
	for i := range 100 {
		ms = append(ms, OutboxMessage{ChatID: int64(i), Text: "通知", Lane: LaneCampaign, CreatedAt: t0})
	}
	ids := enqueue(t, db, ms...)
	// The oldest ticket row backs off: the oldest due one is the next.
	record(t, db, OutboxOp{Kind: OpRetry, ID: ids[0], At: now.Add(time.Minute)})
	b, err = db.OutboxBacklog(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if b.Pending[LaneTicket] != 50 || b.Pending[LaneCampaign] != 100 {
		t.Errorf("pending = %v", b.Pending)
	}
	if b.OldestDue[LaneTicket] != 50*time.Second || b.OldestDue[LaneCampaign] != time.Minute {
		t.Errorf("oldest due = %v", b.OldestDue)
	}
	if b.AheadOfTickets != 2*time.Second { // 50 rows at the assumed 25/s
		t.Errorf("ahead of tickets = %v", b.AheadOfTickets)
	}
	// At the rate the sender saved after 429s, the same queue is longer.
	if err := db.Record(ctx, SendBatch{Rate: 10, RateAt: now}); err != nil {
		t.Fatal(err)
	}
	if b, _ = db.OutboxBacklog(ctx, now); b.AheadOfTickets != 5*time.Second {
		t.Errorf("ahead of tickets at 10/s = %v", b.AheadOfTickets)
	}
}
