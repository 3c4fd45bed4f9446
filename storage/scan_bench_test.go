package storage

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"hotline/routing"
)

// BenchmarkMinuteJobScans measures the scans the minute jobs make over a
// township's tickets without an index on state (migration 0006): 50,000
// tickets, a tenth of them open.
func BenchmarkMinuteJobScans(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "scan.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	err = db.Update(ctx, func(tx *Tx) error {
		for i := 0; i < 50_000; i++ {
			at := t0.Add(time.Duration(i) * time.Minute)
			state, wake := routing.Closed, time.Time{}
			if i%10 == 0 {
				// An open ticket is due when the lifecycle says: the deadline
				// job reads wake_at (migration 0030).
				state, wake = routing.Assigned, at.Add(2*time.Hour)
			}
			tk := Ticket{Text: "路灯坏了", Category: "roads", Urgency: "normal", Village: "翟各庄村", State: state,
				CreatedAt: at, AcceptBy: at.Add(4 * time.Hour), ResolveBy: at.Add(7 * 24 * time.Hour), WakeAt: wake}
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	horizon := t0.Add(20_000 * time.Minute)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		err := db.View(ctx, func(tx *Tx) error {
			due, err := tx.DueTickets(ctx, horizon)
			if err == nil && len(due) == 0 {
				b.Fatal("no due tickets")
			}
			if err != nil {
				return err
			}
			_, err = tx.Tickets(ctx, TicketFilter{CreatedFrom: horizon.Add(-2 * time.Hour), CreatedBefore: horizon})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
