package tickets

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

func TestUrge(t *testing.T) {
	f := newFixture(t, cadre, leader, center)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	urge := func(actor roster.StaffID, note string) error {
		_, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Urge(ctx, tx, f.a, tk.ID, actor, note)
		})
		return err
	}
	for _, c := range []struct {
		actor roster.StaffID
		want  error
	}{
		{cadre, ErrForbidden},      // the handler does not urge themselves
		{otherCadre, ErrForbidden}, // nor does another village's cadre
		{water, ErrForbidden},
		{roster.StaffID(resident), ErrForbidden},
	} {
		if err := urge(c.actor, ""); !errors.Is(err, c.want) {
			t.Errorf("urge by %d: %v, want %v", c.actor, err, c.want)
		}
	}
	if err := urge(leader, " 今天之内处理 "); err != nil {
		t.Fatal(err)
	}
	if err := urge(center, ""); !errors.Is(err, ErrTooSoon) {
		t.Fatalf("second urge at once: %v", err)
	}
	f.now = f.now.Add(UrgeInterval)
	if err := urge(center, ""); err != nil {
		t.Fatal(err)
	}
	urged := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindUrged})
	if len(urged) != 2 {
		t.Fatalf("handler got %d 督办 messages, want 2", len(urged))
	}
	if !strings.Contains(urged[0].Text, "李东") || !strings.Contains(urged[0].Text, "今天之内处理") || len(urged[0].Buttons) == 0 {
		t.Errorf("first 督办 = %+v", urged[0])
	}
	if !strings.Contains(urged[1].Text, "第 2 次督办") {
		t.Errorf("second 督办 does not count: %s", urged[1].Text)
	}
	if got := f.events(t, tk.ID); !equal(got, []string{"created", "classified", "assigned", EventUrged, EventUrged}) {
		t.Errorf("events = %v", got)
	}
	if len(f.outbox(t, storage.OutboxFilter{ChatID: resident, Kind: notice.KindUrged})) != 0 {
		t.Error("the resident is not told of a 督办")
	}
	// A resolved ticket is not urged.
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Resolve(ctx, tx, f.a, tk.ID, cadre, "已修好", "")
	}); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(UrgeInterval)
	if err := urge(center, ""); !errors.Is(err, ErrNotOpen) {
		t.Fatalf("urge a resolved ticket: %v", err)
	}
	// Nor one that does not exist.
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Urge(ctx, tx, f.a, 999, center, "")
	}); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("urge a missing ticket: %v", err)
	}
}

func TestDismiss(t *testing.T) {
	f := newFixture(t, cadre, leader, center)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	dismiss := func(id storage.TicketID, actor roster.StaffID, note string) (storage.Ticket, error) {
		return f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Dismiss(ctx, tx, f.a, id, actor, note)
		})
	}
	if _, err := dismiss(tk.ID, cadre, "重复"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("the handler closes: %v", err)
	}
	if _, err := dismiss(tk.ID, center, "  "); !errors.Is(err, ErrNeedNote) || !errors.Is(err, ErrBadInput) {
		t.Fatalf("close without a note: %v", err)
	}
	f.now = f.now.Add(time.Hour)
	got, err := dismiss(tk.ID, leader, "与 2026-000002 重复")
	if err != nil || got.State != routing.Closed || !got.ClosedAt.Equal(f.now) || !got.WakeAt.IsZero() {
		t.Fatalf("close: %+v, %v (a closed ticket leaves the due queue)", got, err)
	}
	var ill *routing.IllegalTransitionError
	if _, err := dismiss(tk.ID, center, "再关一次"); !errors.As(err, &ill) {
		t.Fatalf("close a closed ticket: %v", err)
	}
	if ev := f.events(t, tk.ID); ev[len(ev)-1] != string(routing.Dismiss) {
		t.Errorf("events = %v", ev)
	}
	res := f.outbox(t, storage.OutboxFilter{ChatID: resident, Kind: notice.KindDismissed})
	if len(res) != 1 || !strings.Contains(res[0].Text, "与 2026-000002 重复") {
		t.Fatalf("resident told %+v", res)
	}
	staff := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindDismissedStaff})
	if len(staff) != 1 || !strings.Contains(staff[0].Text, "李东") {
		t.Fatalf("handler told %+v", staff)
	}
	edits := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindCardEdit})
	if len(edits) != 1 || len(edits[0].Buttons) != 0 {
		t.Fatalf("card edits %+v", edits)
	}

	// A resolved ticket the resident never rated can be closed too; its
	// handler, who resolved it, is not told again.
	second := f.open(t, taxonomy.Roads, taxonomy.Normal)
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Resolve(ctx, tx, f.a, second.ID, cadre, "已修好", "")
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := dismiss(second.ID, center, "居民未评价，超期关闭"); err != nil {
		t.Fatal(err)
	}
	if n := len(f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindDismissedStaff})); n != 1 {
		t.Errorf("handler told %d times", n)
	}
}

func TestCorrectCategory(t *testing.T) {
	f := newFixture(t, cadre, water, center)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	correct := func(actor roster.StaffID, c taxonomy.Category) (storage.Ticket, error) {
		return f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.CorrectCategory(ctx, tx, f.a, tk.ID, actor, c)
		})
	}
	if _, err := correct(otherCadre, taxonomy.Water); !errors.Is(err, ErrForbidden) {
		t.Fatalf("another cadre: %v", err)
	}
	if _, err := correct(cadre, "weather"); !errors.Is(err, ErrBadInput) {
		t.Fatalf("bad category: %v", err)
	}
	if same, err := correct(cadre, taxonomy.Roads); err != nil || same.Category != taxonomy.Roads {
		t.Fatalf("same category: %+v %v", same, err)
	}
	// Within the same handler: the card is edited.
	got, err := correct(cadre, taxonomy.Safety)
	if err != nil || got.Category != taxonomy.Safety || got.HandlerID != cadre {
		t.Fatalf("safety: %+v %v", got, err)
	}
	// To a department's category: handed over, and the former handler
	// told (they did not ask for it).
	got, err = correct(center, taxonomy.Water)
	if err != nil || got.HandlerID != water || got.State != routing.Assigned {
		t.Fatalf("water: %+v %v", got, err)
	}
	want := []string{"created", "classified", "assigned", "classified", "classified", "transferred"}
	if ev := f.events(t, tk.ID); !equal(ev, want) {
		t.Errorf("events = %v, want %v", ev, want)
	}
	told := f.outbox(t, storage.OutboxFilter{ChatID: resident, Kind: notice.KindRecategory})
	if len(told) != 2 || !strings.Contains(told[1].Text, "水务站") {
		t.Fatalf("resident told %+v", told)
	}
	if len(f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindHandedOver})) != 1 {
		t.Error("the former handler is not told")
	}
	// A closed ticket only changes its category.
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Dismiss(ctx, tx, f.a, tk.ID, center, "重复")
	}); err != nil {
		t.Fatal(err)
	}
	got, err = correct(center, taxonomy.Heating)
	if err != nil || got.Category != taxonomy.Heating || got.HandlerID != water || got.State != routing.Closed {
		t.Fatalf("closed: %+v %v", got, err)
	}
	if n := len(f.outbox(t, storage.OutboxFilter{ChatID: resident, Kind: notice.KindRecategory})); n != 2 {
		t.Errorf("resident told of a closed ticket's category: %d notices", n)
	}
}

func TestTransferOnlyToOfferedTargets(t *testing.T) {
	f := newFixture(t, cadre, leader, center)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	// An area leader is not a transfer target (escalation reaches them).
	for _, to := range []roster.StaffID{leader, cadre, 777} {
		if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Transfer(ctx, tx, f.a, tk.ID, center, to)
		}); !errors.Is(err, ErrBadInput) {
			t.Errorf("transfer to %d: %v", to, err)
		}
	}
}
