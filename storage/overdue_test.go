package storage

import (
	"context"
	"testing"
	"time"

	"hotline/routing"
)

func TestCountOverdue(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	past, future := t0.Add(-time.Hour), t0.Add(time.Hour)
	err := db.Update(ctx, func(tx *Tx) error {
		for _, tk := range []Ticket{
			{State: routing.Assigned, AcceptBy: past, ResolveBy: future},   // accept overdue
			{State: routing.Assigned, AcceptBy: past, ResolveBy: past},     // both
			{State: routing.Accepted, AcceptBy: past, ResolveBy: past},     // resolve overdue only: accepted
			{State: routing.Accepted, AcceptBy: past, ResolveBy: future},   // in time
			{State: routing.Resolved, AcceptBy: past, ResolveBy: past},     // done: not counted
			{State: routing.Closed, AcceptBy: past, ResolveBy: past},       // done: not counted
			{State: routing.Assigned, AcceptBy: future, ResolveBy: future}, // in time
		} {
			tk.Text, tk.Category, tk.Urgency, tk.CreatedAt = "x", "other", "normal", past
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err := db.CountOverdue(ctx, t0)
	if err != nil || o != (Overdue{Accept: 2, Resolve: 2}) {
		t.Fatalf("CountOverdue = %+v, %v; want 2 accept, 2 resolve", o, err)
	}
}

func TestLastUpdateID(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if id, err := db.LastUpdateID(ctx); err != nil || id != 0 {
		t.Fatalf("empty journal: %d, %v", id, err)
	}
	for _, id := range []int64{5, 42, 7} {
		if err := db.JournalUpdate(ctx, id, []byte(`{}`), t0); err != nil {
			t.Fatal(err)
		}
	}
	// Processed updates keep their id (only the raw update is dropped).
	err := db.Update(ctx, func(tx *Tx) error { _, err := tx.ClaimUpdate(ctx, 42, t0); return err })
	if err != nil {
		t.Fatal(err)
	}
	if id, err := db.LastUpdateID(ctx); err != nil || id != 42 {
		t.Fatalf("LastUpdateID = %d, %v; want 42", id, err)
	}
}
