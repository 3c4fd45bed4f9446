package tickets

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"hotline/assets"
	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

const (
	resident   = int64(900001)
	stranger   = int64(900002)
	cadre      = roster.StaffID(11)
	otherCadre = roster.StaffID(12)
	leader     = roster.StaffID(21)
	water      = roster.StaffID(31)
	center     = roster.StaffID(41)
)

func testRoster() *roster.Roster {
	return &roster.Roster{
		Villages: []roster.Village{{Name: "翟各庄村", Area: "东片区"}, {Name: "梁家务村", Area: "西片区"}},
		Staff: []roster.Staff{
			{Name: "曾令发", TelegramID: cadre, Role: roster.VillageCadre, Villages: []string{"翟各庄村"}},
			{Name: "王强", TelegramID: otherCadre, Role: roster.VillageCadre, Villages: []string{"梁家务村"}},
			{Name: "李东", TelegramID: leader, Role: roster.AreaLeader, Area: "东片区"},
			{Name: "水务站", TelegramID: water, Role: roster.Department, Departments: []taxonomy.Category{taxonomy.Water}},
			{Name: "中心", TelegramID: center, Role: roster.Center},
		},
	}
}

type fixture struct {
	db  *storage.DB
	svc *Service
	a   *assets.Assets
	now time.Time
}

func newFixture(t *testing.T, started ...roster.StaffID) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	f.svc = New(routing.DefaultPolicy(), func() time.Time { return f.now }, slog.New(slog.DiscardHandler), nil)
	f.a = assets.New(0, testRoster(), nil)
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for _, id := range append(started, roster.StaffID(resident)) {
			if err := tx.MarkStarted(ctx, int64(id), f.now); err != nil {
				return err
			}
		}
		if _, err := tx.EnsureResident(ctx, resident, "张大爷", f.now); err != nil {
			return err
		}
		if err := tx.SetResidentPhone(ctx, resident, "13812345678"); err != nil {
			return err
		}
		return tx.SetResidentVillage(ctx, resident, "翟各庄村", f.now)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) do(t *testing.T, fn func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error)) (storage.Ticket, error) {
	t.Helper()
	var got storage.Ticket
	err := f.db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		got, err = fn(context.Background(), tx)
		return err
	})
	return got, err
}

func (f *fixture) open(t *testing.T, cat taxonomy.Category, urg taxonomy.Urgency) storage.Ticket {
	t.Helper()
	tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Open(ctx, tx, f.a, OpenInput{ResidentID: resident, Text: "翟各庄村口的路灯坏了一个星期了",
			Intent: intents.Result{Category: cat, Urgency: urg, Village: "翟各庄村", Confidence: 0.9, Source: "embedded"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func (f *fixture) outbox(t *testing.T, filter storage.OutboxFilter) []storage.OutboxMessage {
	t.Helper()
	var out []storage.OutboxMessage
	err := f.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		out, err = tx.OutboxMessages(context.Background(), filter)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) events(t *testing.T, id storage.TicketID) []string {
	t.Helper()
	var kinds []string
	err := f.db.View(context.Background(), func(tx *storage.Tx) error {
		es, err := tx.Events(context.Background(), id)
		for _, e := range es {
			kinds = append(kinds, e.Kind)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return kinds
}

func kinds(ms []storage.OutboxMessage) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Kind)
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestOpenRoutesAndQueues(t *testing.T) {
	f := newFixture(t, cadre)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	if tk.Number != "2026-000001" || tk.State != "assigned" || tk.HandlerID != cadre || tk.Area != "东片区" {
		t.Fatalf("ticket = %+v", tk)
	}
	if want := f.now.Add(4 * time.Hour); !tk.AcceptBy.Equal(want) {
		t.Errorf("AcceptBy = %v, want %v", tk.AcceptBy, want)
	}
	if got := f.events(t, tk.ID); !equal(got, []string{"created", "classified", "assigned"}) {
		t.Errorf("events = %v", got)
	}
	msgs := f.outbox(t, storage.OutboxFilter{TicketID: tk.ID})
	if got := kinds(msgs); !equal(got, []string{notice.KindCard, notice.KindReceipt}) {
		t.Fatalf("outbox = %v", got)
	}
	card := msgs[0]
	if card.ChatID != int64(cadre) || len(card.Buttons) != 3 || card.Buttons[0][0].Text != "接单" {
		t.Errorf("card = %+v", card)
	}
	if contains(card.Text, "13812345678") || !contains(card.Text, "138****5678") {
		t.Errorf("card must show the masked phone only: %s", card.Text)
	}
	if msgs[1].ChatID != resident || contains(msgs[1].Text, "138") {
		t.Errorf("receipt = %+v", msgs[1])
	}
	second := f.open(t, taxonomy.Water, taxonomy.Urgent)
	if second.Number != "2026-000002" || second.HandlerID != water {
		t.Errorf("second = %s to %d", second.Number, second.HandlerID)
	}
}

func TestOpenToUnstartedHandlerFlagsCentre(t *testing.T) {
	f := newFixture(t) // the cadre never sent /start
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	msgs := f.outbox(t, storage.OutboxFilter{TicketID: tk.ID})
	if got := kinds(msgs); !equal(got, []string{notice.KindUnstarted, notice.KindReceipt}) || msgs[0].ChatID != int64(center) {
		t.Fatalf("outbox = %v to %d", got, msgs[0].ChatID)
	}
	// When the cadre starts the bot, the missing card goes out.
	var n int
	err := f.db.Update(context.Background(), func(tx *storage.Tx) error {
		if err := tx.MarkStarted(context.Background(), int64(cadre), f.now); err != nil {
			return err
		}
		missing, err := f.svc.WithoutCard(context.Background(), tx, cadre)
		if err != nil {
			return err
		}
		n = len(missing)
		return f.svc.SendMissingCards(context.Background(), tx, f.a, missing)
	})
	if err != nil || n != 1 {
		t.Fatalf("SendMissingCards = %d, %v", n, err)
	}
	if got := kinds(f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre)})); !equal(got, []string{notice.KindCard}) {
		t.Errorf("cadre outbox = %v", got)
	}
}

func TestLifecycle(t *testing.T) {
	f := newFixture(t, cadre, leader, center)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)

	tk = lifecycleAccept(t, f, tk.ID)
	tk = lifecycleResolve(t, f, tk.ID)
	tk = lifecycleUnresolved(t, f, tk.ID)
	tk = lifecycleRate(t, f, tk.ID)

	want := []string{"created", "classified", "assigned", "accepted", "resolved", "reopened", "resolved", "rated", "closed"}
	if got := f.events(t, tk.ID); !equal(got, want) {
		t.Errorf("events = %v\nwant     %v", got, want)
	}
	residentKinds := kinds(f.outbox(t, storage.OutboxFilter{ChatID: resident}))
	if !equal(residentKinds, []string{"receipt", "accepted", "resolved", "reopened", "resolved", "rated"}) {
		t.Errorf("resident was told %v", residentKinds)
	}
}

// lifecycleAccept: only the village's cadre may accept, and only once.
func lifecycleAccept(t *testing.T, f *fixture, id storage.TicketID) storage.Ticket {
	t.Helper()
	// Another village's cadre may not touch it.
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Accept(ctx, tx, f.a, id, otherCadre)
	}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("other cadre accept: %v", err)
	}
	// Nor may a resident.
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Accept(ctx, tx, f.a, id, roster.StaffID(resident))
	}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("resident accept: %v", err)
	}
	f.now = f.now.Add(10 * time.Minute)
	tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Accept(ctx, tx, f.a, id, cadre)
	})
	if err != nil || tk.State != "accepted" || !tk.AcceptedAt.Equal(f.now) {
		t.Fatalf("accept: %+v %v", tk, err)
	}
	// Accepting twice is an illegal transition and changes nothing.
	var ill *routing.IllegalTransitionError
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Accept(ctx, tx, f.a, id, cadre)
	}); !errors.As(err, &ill) {
		t.Fatalf("second accept: %v", err)
	}
	return tk
}

// lifecycleResolve: a note is required; the resident is asked to rate.
func lifecycleResolve(t *testing.T, f *fixture, id storage.TicketID) storage.Ticket {
	t.Helper()
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Resolve(ctx, tx, f.a, id, cadre, "  ", "")
	}); err == nil {
		t.Fatal("resolve without note: want error")
	}
	tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Resolve(ctx, tx, f.a, id, cadre, "已更换灯泡", "")
	})
	if err != nil || tk.State != "resolved" || tk.ResultNote != "已更换灯泡" {
		t.Fatalf("resolve: %+v %v", tk, err)
	}
	resolved := f.outbox(t, storage.OutboxFilter{TicketID: tk.ID, Kind: notice.KindResolved})
	if len(resolved) != 1 || len(resolved[0].Buttons) != 2 || len(resolved[0].Buttons[0]) != 5 || resolved[0].Buttons[1][0].Text != "未解决" {
		t.Fatalf("resolved notice = %+v", resolved)
	}
	return tk
}

// lifecycleUnresolved: 未解决 reopens to the same handler with raised
// urgency; a stranger cannot.
func lifecycleUnresolved(t *testing.T, f *fixture, id storage.TicketID) storage.Ticket {
	t.Helper()
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Unresolved(ctx, tx, f.a, id, stranger)
	}); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("stranger unresolved: %v", err)
	}
	tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Unresolved(ctx, tx, f.a, id, resident)
	})
	if err != nil || tk.State != "assigned" || tk.HandlerID != cadre || tk.Urgency != "urgent" || tk.Reopened != 1 {
		t.Fatalf("unresolved: %+v %v", tk, err)
	}
	if want := f.now.Add(30 * time.Minute); !tk.AcceptBy.Equal(want) {
		t.Errorf("reopened AcceptBy = %v, want %v", tk.AcceptBy, want)
	}
	return tk
}

// lifecycleRate: resolved again, the ticket is rated once, from 1 to 5.
func lifecycleRate(t *testing.T, f *fixture, id storage.TicketID) storage.Ticket {
	t.Helper()
	tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Resolve(ctx, tx, f.a, id, cadre, "重新接好线路", "")
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Rate(ctx, tx, tk.ID, resident, 6)
	}); err == nil {
		t.Fatal("rating 6: want error")
	}
	tk, err = f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Rate(ctx, tx, tk.ID, resident, 5)
	})
	if err != nil || tk.State != "closed" || tk.Rating != 5 {
		t.Fatalf("rate: %+v %v", tk, err)
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Rate(ctx, tx, tk.ID, resident, 1)
	}); !errors.Is(err, ErrAlreadyRated) {
		t.Fatalf("second rating: %v", err)
	}
	return tk
}

func TestTransferAndEscalate(t *testing.T) {
	f := newFixture(t, cadre, otherCadre, leader, center, water)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Transfer(ctx, tx, f.a, tk.ID, otherCadre, water)
	}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("transfer by other cadre: %v", err)
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Transfer(ctx, tx, f.a, tk.ID, cadre, 777)
	}); err == nil {
		t.Fatal("transfer to unknown: want error")
	}
	tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Transfer(ctx, tx, f.a, tk.ID, cadre, water)
	})
	if err != nil || tk.HandlerID != water || tk.State != "assigned" {
		t.Fatalf("transfer: %+v %v", tk, err)
	}
	// The old card is edited to drop its buttons; the new handler gets one.
	edits := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindCardEdit})
	if len(edits) != 1 || len(edits[0].Buttons) != 0 || edits[0].EditRef == 0 {
		t.Errorf("old card edits = %+v", edits)
	}
	if len(f.outbox(t, storage.OutboxFilter{ChatID: int64(water), Kind: notice.KindCard})) != 1 {
		t.Error("no card for the department")
	}
	// Escalation: department (level 0) → area leader → centre → top.
	for _, want := range []roster.StaffID{leader, center} {
		tk, err = f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Escalate(ctx, tx, f.a, tk.ID, center, "deadline passed")
		})
		if err != nil || tk.HandlerID != want {
			t.Fatalf("escalate to %d: %+v %v", want, tk.HandlerID, err)
		}
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Escalate(ctx, tx, f.a, tk.ID, center, "")
	}); !errors.Is(err, routing.ErrTop) {
		t.Fatalf("escalate past centre: %v", err)
	}
	if got := kinds(f.outbox(t, storage.OutboxFilter{ChatID: resident})); !equal(got, []string{"receipt", "transferred", "escalated", "escalated"}) {
		t.Errorf("resident was told %v", got)
	}
}

func TestRecategorize(t *testing.T) {
	f := newFixture(t, cadre, water)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Recategorize(ctx, tx, f.a, tk.ID, stranger, taxonomy.Water)
	}); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("stranger: %v", err)
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Recategorize(ctx, tx, f.a, tk.ID, resident, "weather")
	}); err == nil {
		t.Fatal("bad category: want error")
	}
	tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Recategorize(ctx, tx, f.a, tk.ID, resident, taxonomy.Water)
	})
	if err != nil || tk.Category != "water" || tk.HandlerID != water {
		t.Fatalf("recategorize: %+v %v", tk, err)
	}
	if got := f.events(t, tk.ID); !equal(got, []string{"created", "classified", "assigned", "classified", "transferred"}) {
		t.Errorf("events = %v", got)
	}
}

// A failure after queuing leaves neither the ticket nor its messages.
func TestOpenRollsBackWithOutbox(t *testing.T) {
	f := newFixture(t, cadre)
	boom := errors.New("boom")
	err := f.db.Update(context.Background(), func(tx *storage.Tx) error {
		if _, err := f.svc.Open(context.Background(), tx, f.a, OpenInput{ResidentID: resident, Text: "停电了",
			Intent: intents.Result{Category: taxonomy.Power, Urgency: taxonomy.Normal, Village: "翟各庄村"}}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.outbox(t, storage.OutboxFilter{})); n != 0 {
		t.Errorf("outbox has %d rows after rollback", n)
	}
	// The number is not burnt either.
	if tk := f.open(t, taxonomy.Power, taxonomy.Normal); tk.Number != "2026-000001" {
		t.Errorf("number after rollback = %s", tk.Number)
	}
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
