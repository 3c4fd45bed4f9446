package tickets

import (
	"context"
	"testing"
	"time"

	"hotline/storage"
	"hotline/taxonomy"
)

// Every change puts the ticket where the deadline job will next find it:
// half the SLA before the deadline it works towards (the earliest a
// reminder may go), and out of the queue once it is resolved.
func TestEveryChangeKeepsTheNextLook(t *testing.T) {
	f := newFixture(t, cadre, leader, center)
	tk := f.open(t, taxonomy.Power, taxonomy.Normal) // accept 4h, resolve 168h
	if want := f.now.Add(2 * time.Hour); !tk.WakeAt.Equal(want) {
		t.Errorf("opened: next look %v, want %v", tk.WakeAt, want)
	}
	steps := []struct {
		name string
		do   func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error)
		want time.Time
	}{
		{"accepted", func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Accept(ctx, tx, f.a, tk.ID, cadre)
		}, tk.ResolveBy.Add(-84 * time.Hour)},
		{"resolved", func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Resolve(ctx, tx, f.a, tk.ID, cadre, "已修好", "")
		}, time.Time{}},
		{"reopened", func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Unresolved(ctx, tx, f.a, tk.ID, resident)
		}, f.now.Add(15 * time.Minute)}, // urgency raised: accept within 30m
	}
	for _, st := range steps {
		got, err := f.do(t, st.do)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		stored, _ := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) { return tx.Ticket(ctx, tk.ID) })
		if !got.WakeAt.Equal(st.want) || !stored.WakeAt.Equal(st.want) {
			t.Errorf("%s: next look %v (stored %v), want %v", st.name, got.WakeAt, stored.WakeAt, st.want)
		}
	}
}
