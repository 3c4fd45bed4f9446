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

func (f *fixture) accept(t *testing.T, id storage.TicketID) storage.Ticket {
	t.Helper()
	tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Accept(ctx, tx, f.a, id, cadre)
	})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestContact(t *testing.T) {
	f := newFixture(t, cadre, center)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	contact := func(actor roster.StaffID, at time.Time) (storage.Ticket, error) {
		return f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Contact(ctx, tx, f.a, tk.ID, actor, at)
		})
	}
	var ill *routing.IllegalTransitionError
	if _, err := contact(cadre, time.Time{}); !errors.As(err, &ill) {
		t.Fatalf("contact before 接单: %v", err)
	}
	f.accept(t, tk.ID)
	f.now = f.now.Add(30 * time.Minute)
	if _, err := contact(otherCadre, time.Time{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("another cadre: %v", err)
	}
	if _, err := contact(roster.StaffID(resident), time.Time{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("the resident: %v", err)
	}
	if _, err := contact(cadre, f.now.Add(time.Minute)); err == nil {
		t.Error("a contact in the future: want error")
	}
	if _, err := contact(cadre, tk.CreatedAt.Add(-time.Minute)); err == nil {
		t.Error("a contact before the ticket existed: want error")
	}
	at := f.now.Add(-10 * time.Minute)
	got, err := contact(cadre, at)
	if err != nil || !got.ContactedAt.Equal(at) {
		t.Fatalf("contact: %+v %v", got.ContactedAt, err)
	}
	if _, err := contact(cadre, time.Time{}); !errors.Is(err, ErrDone) {
		t.Errorf("second contact: %v", err)
	}
	if ev := f.events(t, tk.ID); ev[len(ev)-1] != "contacted" {
		t.Errorf("events = %v", ev)
	}
	edits := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindCardEdit})
	last := edits[len(edits)-1]
	if !strings.Contains(last.Text, "先行联系：") || strings.Contains(strings.Join(buttonLabels(last), ","), "已先行联系") {
		t.Errorf("card after contact: %s %v", last.Text, buttonLabels(last))
	}
	// The centre may record it too (it supervises everything).
	other := f.open(t, taxonomy.Roads, taxonomy.Normal)
	f.accept(t, other.ID)
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Contact(ctx, tx, f.a, other.ID, center, time.Time{})
	}); err != nil {
		t.Errorf("centre contact: %v", err)
	}
}

func buttonLabels(m storage.OutboxMessage) []string {
	var out []string
	for _, row := range m.Buttons {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

func TestPromiseAndOutcome(t *testing.T) {
	f := newFixture(t, cadre)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	promise := func(actor roster.StaffID, by time.Time) (storage.Ticket, error) {
		return f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Promise(ctx, tx, f.a, tk.ID, actor, by)
		})
	}
	if _, err := promise(otherCadre, f.now.Add(48*time.Hour)); !errors.Is(err, ErrForbidden) {
		t.Errorf("another cadre: %v", err)
	}
	if _, err := promise(cadre, f.now.Add(-time.Hour)); err == nil {
		t.Error("a promise in the past: want error")
	}
	by := f.now.Add(72 * time.Hour)
	if got, err := promise(cadre, by); err != nil || !got.ReplyBy.Equal(by) {
		t.Fatalf("promise: %v %v", got.ReplyBy, err)
	}
	resolve := func(o routing.Outcome) (storage.Ticket, error) {
		return f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Resolve(ctx, tx, f.a, tk.ID, cadre, "已联系供电所，灯杆需更换，先装了临时灯", o)
		})
	}
	if _, err := resolve("maybe"); err == nil {
		t.Error("an unknown outcome: want error")
	}
	got, err := resolve(routing.Partly)
	if err != nil || got.Outcome != routing.Partly {
		t.Fatalf("resolve partly: %v %v", got.Outcome, err)
	}
	if _, err := promise(cadre, f.now.Add(96*time.Hour)); err == nil {
		t.Error("a promise on a resolved ticket: want error")
	}
	want := []string{"created", "classified", "assigned", "promised", "resolved"}
	if ev := f.events(t, tk.ID); !equal(ev, want) {
		t.Errorf("events = %v", ev)
	}
}

func (f *fixture) request(t *testing.T, id storage.TicketID, actor roster.StaffID, kind storage.RequestKind, due time.Time, reason string) (storage.Request, error) {
	t.Helper()
	var r storage.Request
	err := f.db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		if kind == storage.Extend {
			r, err = f.svc.RequestExtension(context.Background(), tx, f.a, id, actor, due, reason)
		} else {
			r, err = f.svc.RequestReturn(context.Background(), tx, f.a, id, actor, reason)
		}
		return err
	})
	return r, err
}

func (f *fixture) decide(t *testing.T, reqID int64, actor roster.StaffID, approve bool) (storage.Ticket, error) {
	t.Helper()
	return f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		_, tk, err := f.svc.Decide(ctx, tx, f.a, reqID, actor, approve, "同意，抓紧")
		return tk, err
	})
}

func TestExtension(t *testing.T) {
	f := newFixture(t, cadre, center, leader)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	later := tk.ResolveBy.Add(72 * time.Hour)
	tests := []struct {
		name   string
		actor  roster.StaffID
		due    time.Time
		reason string
		want   error
	}{
		{"another cadre", otherCadre, later, "等配件", ErrForbidden},
		{"the area leader is not the handler", leader, later, "等配件", ErrForbidden},
		{"the centre is not the handler", center, later, "等配件", ErrForbidden},
		{"no reason", cadre, later, "  ", nil},
		{"not later than now", cadre, tk.ResolveBy.Add(-time.Hour), "等配件", nil},
	}
	for _, tt := range tests {
		if _, err := f.request(t, tk.ID, tt.actor, storage.Extend, tt.due, tt.reason); err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	r, err := f.request(t, tk.ID, cadre, storage.Extend, later, "等配件到货")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.request(t, tk.ID, cadre, storage.Return, time.Time{}, "不归我们"); !errors.Is(err, ErrPending) {
		t.Errorf("a second request while one waits: %v", err)
	}
	asked := f.outbox(t, storage.OutboxFilter{ChatID: int64(center), Kind: notice.KindRequest})
	if len(asked) != 1 || !strings.Contains(asked[0].Text, "等配件到货") || !equal(buttonLabels(asked[0]), []string{"同意", "不同意"}) {
		t.Fatalf("centre was sent %+v", asked)
	}
	if _, err := f.decide(t, r.ID, cadre, true); !errors.Is(err, ErrForbidden) {
		t.Errorf("the handler approving their own request: %v", err)
	}
	got, err := f.decide(t, r.ID, center, true)
	if err != nil || !got.ResolveBy.Equal(later) {
		t.Fatalf("approve: %v %v", got.ResolveBy, err)
	}
	if _, err := f.decide(t, r.ID, center, false); !errors.Is(err, ErrDone) {
		t.Errorf("deciding twice: %v", err)
	}
	if m := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindRequestDecided}); len(m) != 1 || !strings.Contains(m[0].Text, "同意") {
		t.Errorf("handler told %+v", m)
	}
	if m := f.outbox(t, storage.OutboxFilter{ChatID: resident, Kind: notice.KindExtended}); len(m) != 1 {
		t.Errorf("resident told %d times of the new deadline", len(m))
	}
	want := []string{"created", "classified", "assigned", "extension_requested", "extension_approved"}
	if ev := f.events(t, tk.ID); !equal(ev, want) {
		t.Errorf("events = %v", ev)
	}
	// A refused extension leaves the deadline.
	r, err = f.request(t, tk.ID, cadre, storage.Extend, later.Add(time.Hour), "还要等")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.decide(t, r.ID, center, false); err != nil || !got.ResolveBy.Equal(later) {
		t.Errorf("refuse: %v %v", got.ResolveBy, err)
	}
}

func TestReturn(t *testing.T) {
	f := newFixture(t, cadre, center)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	r, err := f.request(t, tk.ID, cadre, storage.Return, time.Time{}, "这段路归县公路局管")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.decide(t, r.ID, center, false); err != nil || got.HandlerID != cadre {
		t.Fatalf("refuse: %d %v", got.HandlerID, err)
	}
	r, err = f.request(t, tk.ID, cadre, storage.Return, time.Time{}, "县公路局已确认归他们")
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.decide(t, r.ID, center, true)
	if err != nil || got.HandlerID != center || got.State != routing.Assigned || got.Level != routing.LevelCenter {
		t.Fatalf("approve: %+v %v", got, err)
	}
	want := []string{"created", "classified", "assigned", "return_requested", "return_refused", "return_requested", "transferred", "return_approved"}
	if ev := f.events(t, tk.ID); !equal(ev, want) {
		t.Errorf("events = %v", ev)
	}
	gone := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindCardEdit})
	if len(gone) == 0 || len(gone[len(gone)-1].Buttons) != 0 {
		t.Errorf("the old card must lose its buttons: %+v", gone)
	}
	if m := f.outbox(t, storage.OutboxFilter{ChatID: int64(center), Kind: notice.KindCard}); len(m) != 1 {
		t.Errorf("centre cards = %d", len(m))
	}
	// A request on a ticket resolved meanwhile cannot be decided, and a
	// resolved ticket takes no new request.
	r, err = f.request(t, tk.ID, center, storage.Extend, got.ResolveBy.Add(time.Hour), "等县公路局回复")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Resolve(ctx, tx, f.a, tk.ID, center, "已转县公路局", routing.Unsolved)
	}); err != nil {
		t.Fatal(err)
	}
	var ill *routing.IllegalTransitionError
	if _, err := f.decide(t, r.ID, center, true); !errors.As(err, &ill) {
		t.Errorf("deciding on a resolved ticket: %v", err)
	}
	if _, err := f.request(t, tk.ID, center, storage.Return, time.Time{}, "x"); !errors.As(err, &ill) {
		t.Errorf("request on a resolved ticket: %v", err)
	}
}
