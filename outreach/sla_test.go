package outreach

import (
	"context"
	"testing"
	"time"

	"hotline/storage"
	"hotline/taxonomy"
)

// The deadline job reads the due queue the lifecycle keeps: a ticket is
// looked at when a reminder or a deadline falls due, not at every pass,
// and an overdue ticket at the top, once the centre is told, not again.
func TestDeadlineJobReadsOnlyWhatIsDue(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"})
	ctx := context.Background()
	start := f.now
	tk := f.openTicket(t, 1001, "翟各庄村", taxonomy.Power, taxonomy.Normal) // accept 4h, reminder 1h before
	due := func() []storage.TicketID {
		var ids []storage.TicketID
		f.update(t, func(ctx context.Context, tx *storage.Tx) error {
			ts, err := tx.DueTickets(ctx, f.now)
			for _, t := range ts {
				ids = append(ids, t.ID)
			}
			return err
		})
		return ids
	}
	for _, st := range []struct {
		after time.Duration
		due   bool
	}{
		{time.Hour, false},     // nothing before half the accept SLA
		{2 * time.Hour, true},  // the earliest a reminder could be
		{2 * time.Hour, false}, // looked at: next at the reminder, 3h
		{3 * time.Hour, true},  // reminded: next at the deadline
		{3*time.Hour + 30*time.Minute, false},
		{12 * time.Hour, true}, // escalated to the leader, with fresh deadlines from now
		{13 * time.Hour, false},
		{16 * time.Hour, true}, // the leader's 4h passed: the centre
		{20 * time.Hour, true}, // overdue at the top: the centre is told
	} {
		f.now = start.Add(st.after)
		if got := len(due()) > 0; got != st.due {
			t.Fatalf("after %v: due %v, want %v", st.after, got, st.due)
		}
		if _, err := f.svc.CheckDeadlines(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.ticket(t, tk.ID); got.Level != 2 || !got.WakeAt.IsZero() && !got.WakeAt.After(f.now) {
		t.Fatalf("at the top: level %d, next look %v (now %v)", got.Level, got.WakeAt, f.now)
	}
	if ids := due(); len(ids) != 0 {
		t.Errorf("told at the top, still due: %v", ids)
	}
}
