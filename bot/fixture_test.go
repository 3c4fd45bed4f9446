package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/assets"
	"hotline/conversation"
	"hotline/intents"
	"hotline/outreach"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// Demo roster people the tests act as.
const (
	cadreZhai  = int64(100000001) // 曾令发, 翟各庄村 (东片区)
	cadreLiang = int64(100000008) // 郑国庆, 梁家务村 (西片区)
	leaderEast = int64(200000001) // 刘振宇, 东片区
	waterDept  = int64(300000001) // 宋立军, water
	centre     = int64(400000001) // 韩晓雪
	residentA  = int64(900000001)
	residentB  = int64(900000002)
)

// The conversation steps a chat's State holds (conversation's stateIdle,
// stateRegister and stateNote).
const (
	stateIdle     = ""
	stateRegister = "register" // a registered resident is choosing a new village
	stateNote     = "note"     // staff: the next text is the result note of ticket state_data
)

// swapAssets is the roster in force, which a test may replace as an
// import would.
type swapAssets struct {
	p atomic.Pointer[assets.Assets]
}

func (s *swapAssets) Assets() *assets.Assets { return s.p.Load() }

func (s *swapAssets) set(r *roster.Roster) {
	s.p.Store(assets.New(0, r, func(*intents.Gazetteer) intents.Classifier { return keywordClassifier{r.Villages} }))
}

// keywordClassifier is a tiny deterministic stand-in for the embedded model.
type keywordClassifier struct{ villages []roster.Village }

func (k keywordClassifier) Classify(_ context.Context, in intents.Input) (intents.Result, error) {
	res := intents.Result{Category: taxonomy.Other, Urgency: taxonomy.Normal, Village: in.ResidentVillage, Confidence: 0.9, Source: "fake"}
	for _, rule := range []struct {
		word string
		cat  taxonomy.Category
		urg  taxonomy.Urgency
	}{
		{"煤气", taxonomy.Safety, taxonomy.Urgent},
		{"路灯", taxonomy.Roads, taxonomy.Normal},
		{"停水", taxonomy.Water, taxonomy.Normal},
		{"暖气", taxonomy.Heating, taxonomy.Normal},
		{"垃圾", taxonomy.Sanitation, taxonomy.Normal},
	} {
		if strings.Contains(in.Text, rule.word) {
			res.Category, res.Urgency = rule.cat, rule.urg
			break
		}
	}
	for _, v := range k.villages {
		if strings.Contains(in.Text, v.Name) {
			res.Village = v.Name
		}
	}
	return res, nil
}

// fakeAPI records the calls made directly to the Bot API.
type fakeAPI struct {
	mu       sync.Mutex
	answers  map[string]string // query id → toast
	commands map[string][]models.BotCommand
}

func (f *fakeAPI) AnswerCallbackQuery(_ context.Context, p *tg.AnswerCallbackQueryParams) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[p.CallbackQueryID] = p.Text
	return true, nil
}

func (f *fakeAPI) SetMyCommands(_ context.Context, p *tg.SetMyCommandsParams) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := "default"
	if s, ok := p.Scope.(*models.BotCommandScopeChat); ok {
		key = fmt.Sprint(s.ChatID)
	}
	f.commands[key] = p.Commands
	return true, nil
}

type countingNotifier struct {
	mu sync.Mutex
	n  int
}

func (c *countingNotifier) Notify() { c.mu.Lock(); c.n++; c.mu.Unlock() }

type fixture struct {
	t      testing.TB
	ctx    context.Context
	db     *storage.DB
	svc    *tickets.Service
	live   *swapAssets
	out    *outreach.Service
	h      *Handler
	api    *fakeAPI
	notify *countingNotifier
	now    time.Time
	nextID int64
	msgID  int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureWith(t, roster.Demo())
}

// newFixtureWith is newFixture over another roster.
func newFixtureWith(t testing.TB, r *roster.Roster) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{t: t, ctx: ctx, db: db, now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC), nextID: 1000, msgID: 1}
	f.live = &swapAssets{}
	f.live.set(r)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.svc = tickets.New(routing.DefaultPolicy(), f.clock, log, nil)
	f.api = &fakeAPI{answers: map[string]string{}, commands: map[string][]models.BotCommand{}}
	f.notify = &countingNotifier{}
	cfg, err := outreach.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	f.out = outreach.New(db, f.live, f.svc, cfg, f.clock, log)
	f.h = NewHandler(db, f.live, conversation.New(f.svc, f.out, nil, log), f.out, f.notify, f.api, nil, f.clock, log)
	return f
}

func (f *fixture) clock() time.Time { return f.now }

func (f *fixture) user(id int64) models.User {
	names := map[int64]string{residentA: "张大爷", residentB: "李奶奶"}
	if s, ok := f.live.Assets().Roster.StaffByID(roster.StaffID(id)); ok {
		return models.User{ID: id, FirstName: s.Name}
	}
	return models.User{ID: id, FirstName: names[id]}
}

func (f *fixture) message(from int64, m models.Message) *models.Update {
	f.nextID++
	f.msgID++
	u := f.user(from)
	m.ID, m.From, m.Date = f.msgID, &u, int(f.now.Unix())
	m.Chat = models.Chat{ID: from, Type: models.ChatTypePrivate, FirstName: u.FirstName}
	return &models.Update{ID: f.nextID, Message: &m}
}

// handle processes an update and waits for its callback answer.
func (f *fixture) handle(upd *models.Update) {
	f.t.Helper()
	if err := f.h.Handle(f.ctx, upd); err != nil {
		f.t.Fatalf("update %d: %v", upd.ID, err)
	}
	f.h.Wait()
}

func (f *fixture) text(from int64, text string) {
	f.handle(f.message(from, models.Message{Text: text}))
}

// press presses a button on message msgID of the presser's chat and
// returns the toast.
func (f *fixture) pressOn(from int64, msgID int, data string) string {
	f.t.Helper()
	f.nextID++
	u := f.user(from)
	q := &models.CallbackQuery{ID: fmt.Sprintf("q%d", f.nextID), From: u, Data: data, Message: models.MaybeInaccessibleMessage{
		Type:    models.MaybeInaccessibleMessageTypeMessage,
		Message: &models.Message{ID: msgID, Date: int(f.now.Unix()), Chat: models.Chat{ID: from, Type: models.ChatTypePrivate}},
	}}
	f.handle(&models.Update{ID: f.nextID, CallbackQuery: q})
	f.api.mu.Lock()
	defer f.api.mu.Unlock()
	return f.api.answers[q.ID]
}

func (f *fixture) press(from int64, data string) string { return f.pressOn(from, 77, data) }

func (f *fixture) outbox(filter storage.OutboxFilter) []storage.OutboxMessage {
	f.t.Helper()
	var out []storage.OutboxMessage
	err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		var err error
		out, err = tx.OutboxMessages(f.ctx, filter)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// last returns the newest outbox row to chat, failing if there is none.
func (f *fixture) last(chat int64) storage.OutboxMessage {
	f.t.Helper()
	ms := f.outbox(storage.OutboxFilter{ChatID: chat})
	if len(ms) == 0 {
		f.t.Fatalf("nothing queued to %d", chat)
	}
	return ms[len(ms)-1]
}

// since returns the kinds queued to chat after the first n rows.
func (f *fixture) kindsSince(chat int64, n int) []string {
	var out []string
	for _, m := range f.outbox(storage.OutboxFilter{ChatID: chat})[n:] {
		out = append(out, m.Kind)
	}
	return out
}

func (f *fixture) count(chat int64) int { return len(f.outbox(storage.OutboxFilter{ChatID: chat})) }

func (f *fixture) ticket(id storage.TicketID) storage.Ticket {
	f.t.Helper()
	var tk storage.Ticket
	err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		var err error
		tk, err = tx.Ticket(f.ctx, id)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return tk
}

func (f *fixture) resident(id int64) storage.Resident {
	f.t.Helper()
	var r storage.Resident
	err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		var err error
		r, err = tx.Resident(f.ctx, id)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func (f *fixture) chat(id int64) storage.Chat {
	f.t.Helper()
	var c storage.Chat
	err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		var err error
		c, _, err = tx.Chat(f.ctx, id)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// snapshot is everything a refused press must leave as it was: tickets,
// their events and the outbox.
func (f *fixture) snapshot() string {
	f.t.Helper()
	var b strings.Builder
	err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		ts, err := tx.Tickets(f.ctx, storage.TicketFilter{})
		if err != nil {
			return err
		}
		for _, tk := range ts {
			fmt.Fprintf(&b, "%s %s %s %d %s %d %d %q;", tk.Number, tk.State, tk.Category, tk.HandlerID, tk.Urgency, tk.Rating, tk.Reopened, tk.ResultNote)
			es, err := tx.Events(f.ctx, tk.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "events=%d;", len(es))
		}
		ms, err := tx.OutboxMessages(f.ctx, storage.OutboxFilter{})
		fmt.Fprintf(&b, "outbox=%d", len(ms))
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return b.String()
}

// register walks a resident through /start → 片区 → village, skipping the
// optional questions.
func (f *fixture) register(id int64, area, village string) {
	f.t.Helper()
	f.text(id, "/start")
	f.press(id, "area:0:"+area)
	f.press(id, "vil:0:"+village)
	f.press(id, "tag:0:skip")
	if r := f.resident(id); r.Village != village {
		f.t.Fatalf("resident %d registered in %q, want %q", id, r.Village, village)
	}
}

// report sends a resident's text and returns the ticket it opened.
func (f *fixture) report(id int64, text string) storage.Ticket {
	f.t.Helper()
	f.text(id, text)
	m := f.last(id)
	if m.TicketID == 0 {
		f.t.Fatalf("no ticket for %q: last message %s %q", text, m.Kind, m.Text)
	}
	return f.ticket(m.TicketID)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func buttonData(m storage.OutboxMessage) []string {
	var out []string
	for _, row := range m.Buttons {
		for _, b := range row {
			out = append(out, b.Data)
		}
	}
	return out
}

func buttonTexts(m storage.OutboxMessage) []string {
	var out []string
	for _, row := range m.Buttons {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}
