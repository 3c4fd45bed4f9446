package storage

import (
	"context"
	"slices"
	"testing"
	"time"

	"hotline/routing"
	"hotline/taxonomy"
)

func TestPruneOutbox(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	old, cutoff, recent := t0, t0.Add(30*24*time.Hour), t0.Add(31*24*time.Hour)
	open := insertTicket(t, db, routing.Assigned)
	closed := insertTicket(t, db, routing.Closed)
	ids := enqueue(t, db,
		OutboxMessage{ChatID: 1, Text: "old sent", CreatedAt: old},                                  // 0 pruned
		OutboxMessage{ChatID: 1, Text: "old failed", CreatedAt: old},                                // 1 pruned
		OutboxMessage{ChatID: 1, Text: "old pending", CreatedAt: old},                               // 2 kept: not sent
		OutboxMessage{ChatID: 2, Text: "card of an open ticket", TicketID: open, CreatedAt: old},    // 3 kept
		OutboxMessage{ChatID: 2, Text: "card of a closed ticket", TicketID: closed, CreatedAt: old}, // 4 pruned
		OutboxMessage{ChatID: 3, Text: "message an edit names", CreatedAt: old},                     // 5 kept
		OutboxMessage{ChatID: 1, Text: "recent sent", CreatedAt: recent},                            // 6 kept: young
		OutboxMessage{ChatID: 3, Method: "edit", Text: "the edit", CreatedAt: recent},               // 7 kept
		OutboxMessage{ChatID: 9, Text: "newest, sent long ago (a clock set back)", CreatedAt: old},  // 8 kept: the head
	)
	if _, err := db.write.Exec(`UPDATE outbox SET edit_ref = ? WHERE id = ?`, ids[5], ids[7]); err != nil {
		t.Fatal(err)
	}
	db.Update(ctx, func(tx *Tx) error {
		if err := tx.SetTicketCard(ctx, open, 2, ids[3]); err != nil {
			return err
		}
		return tx.SetTicketCard(ctx, closed, 2, ids[4])
	})
	var ops []OutboxOp
	for i, id := range ids {
		if i != 1 && i != 2 {
			ops = append(ops, OutboxOp{Kind: OpSent, ID: id, TelegramIDs: []int{i + 1}, At: old})
		}
	}
	record(t, db, append(ops, OutboxOp{Kind: OpFail, ID: ids[1], Reason: "400"})...)

	n, err := db.PruneOutbox(ctx, cutoff)
	if err != nil || n != 3 {
		t.Fatalf("pruned %d, %v; want 3", n, err)
	}
	var left []int64
	db.View(ctx, func(tx *Tx) error {
		ms, err := tx.OutboxMessages(ctx, OutboxFilter{})
		for _, m := range ms {
			left = append(left, m.ID)
		}
		return err
	})
	if want := []int64{ids[2], ids[3], ids[5], ids[6], ids[7], ids[8]}; !slices.Equal(left, want) {
		t.Fatalf("left %v, want %v", left, want)
	}
	if n, err := db.PruneOutbox(ctx, cutoff); err != nil || n != 0 {
		t.Fatalf("second pass pruned %d, %v", n, err)
	}
}

func insertTicket(t *testing.T, db *DB, state routing.State) TicketID {
	t.Helper()
	tk := Ticket{Text: "路灯坏了", Category: taxonomy.Power, Urgency: taxonomy.Normal, State: state,
		AcceptBy: t0, ResolveBy: t0, CreatedAt: t0}
	err := db.Update(context.Background(), func(tx *Tx) error { return tx.InsertTicket(context.Background(), &tk) })
	if err != nil {
		t.Fatal(err)
	}
	return tk.ID
}
