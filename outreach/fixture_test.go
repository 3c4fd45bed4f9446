package outreach

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"hotline/assets"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// Staff ids are untyped constants: they are Telegram ids (chats) and staff
// ids alike.
const (
	cadre  = 11
	cadre2 = 12
	leader = 21
	center = 41
	admin  = 51
)

func testRoster() *roster.Roster {
	return &roster.Roster{
		Villages: []roster.Village{
			{Name: "翟各庄村", Area: "东片区", Size: "large", Households: 6},
			{Name: "东寺庄村", Area: "东片区", Size: "small", Households: 4},
			{Name: "梁家务村", Area: "西片区", Size: "small", Households: 10},
		},
		Staff: []roster.Staff{
			{Name: "曾令发", TelegramID: cadre, Role: roster.VillageCadre, Villages: []string{"翟各庄村", "东寺庄村"}},
			{Name: "王强", TelegramID: cadre2, Role: roster.VillageCadre, Villages: []string{"梁家务村"}},
			{Name: "李东", TelegramID: leader, Role: roster.AreaLeader, Area: "东片区"},
			{Name: "中心", TelegramID: center, Role: roster.Center},
			{Name: "管理员", TelegramID: admin, Role: roster.Admin},
		},
	}
}

type fixture struct {
	db  *storage.DB
	svc *Service
	tk  *tickets.Service
	a   *assets.Assets
	now time.Time
}

// resident is one test resident: id, village, tags, and whether they
// started the bot and opted out.
type resident struct {
	id      int64
	village string
	tags    []string
	off     bool
	unstart bool
}

func newFixture(t testing.TB, residents ...resident) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	f.tk = tickets.New(routing.DefaultPolicy(), clock, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	f.a = assets.New(0, testRoster(), nil)
	f.svc = New(db, assets.Fixed{A: f.a}, f.tk, cfg, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.addResidents(t, residents...)
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for _, id := range []roster.StaffID{cadre, cadre2, leader, center, admin} {
			if err := tx.MarkStarted(ctx, int64(id), f.now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) addResidents(t testing.TB, rs ...resident) {
	t.Helper()
	ctx := context.Background()
	err := f.db.Update(ctx, func(tx *storage.Tx) error {
		for _, r := range rs {
			if _, err := tx.EnsureResident(ctx, r.id, "居民", f.now); err != nil {
				return err
			}
			if err := tx.SetResidentVillage(ctx, r.id, r.village, f.now); err != nil {
				return err
			}
			if err := tx.SetResidentTags(ctx, r.id, r.tags); err != nil {
				return err
			}
			if err := tx.SetOptedOut(ctx, r.id, r.off); err != nil {
				return err
			}
			if !r.unstart {
				if err := tx.MarkStarted(ctx, r.id, f.now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) outbox(t testing.TB, filter storage.OutboxFilter) []storage.OutboxMessage {
	t.Helper()
	var out []storage.OutboxMessage
	if err := f.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		out, err = tx.OutboxMessages(context.Background(), filter)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) campaign(t testing.TB, id string) Campaign {
	t.Helper()
	c, ok := f.svc.cfg.Campaign(id)
	if !ok {
		t.Fatalf("no campaign %s", id)
	}
	return c
}

func (f *fixture) update(t testing.TB, fn func(ctx context.Context, tx *storage.Tx) error) {
	t.Helper()
	if err := f.db.Update(context.Background(), func(tx *storage.Tx) error { return fn(context.Background(), tx) }); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) openTicket(t testing.TB, residentID int64, village string, c taxonomy.Category, u taxonomy.Urgency) storage.Ticket {
	t.Helper()
	var tk storage.Ticket
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		tk, err = f.tk.Open(ctx, tx, f.a, tickets.OpenInput{ResidentID: residentID, Text: "测试诉求",
			Intent: intentFor(c, u, village)})
		return err
	})
	return tk
}
