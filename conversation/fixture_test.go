package conversation

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/assets"
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
	safetyDept = int64(300000004) // 邓海军, safety
	centreHan  = int64(400000001) // 韩晓雪
	centreDu   = int64(400000002) // 杜明辉
	residentA  = int64(900000001)
	residentB  = int64(900000002)
)

// keywords is a small deterministic classifier: the conversation's tests
// are about what happens to a classification, not about the model. The
// real model runs in the emergency recall test.
type keywords struct{ villages []roster.Village }

func (k keywords) Classify(_ context.Context, in intents.Input) (intents.Result, error) {
	res := intents.Result{Category: taxonomy.Other, Urgency: taxonomy.Normal, Village: in.ResidentVillage, Confidence: 0.9, Source: "keywords"}
	for _, rule := range []struct {
		word string
		cat  taxonomy.Category
		urg  taxonomy.Urgency
	}{
		{"路灯", taxonomy.Roads, taxonomy.Normal},
		{"停水", taxonomy.Water, taxonomy.Normal},
		{"暖气", taxonomy.Heating, taxonomy.Normal},
		{"垃圾", taxonomy.Sanitation, taxonomy.Normal},
		{"井盖", taxonomy.Roads, taxonomy.Urgent},
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

// fakeSTT answers transcriptions from a script: by file id, the words or
// an error.
type fakeSTT struct {
	mu     sync.Mutex
	words  map[string]string
	calls  int
	during func() // runs inside each call, e.g. to check what it may do
}

var errSTTDown = errors.New("stt: connection refused")

func (f *fakeSTT) Transcribe(_ context.Context, v Voice) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.during != nil {
		f.during()
	}
	w, ok := f.words[v.File.ID]
	if !ok {
		return "", errSTTDown
	}
	return w, nil
}

type fixture struct {
	t    testing.TB
	ctx  context.Context
	db   *storage.DB
	a    *assets.Assets
	svc  *tickets.Service
	out  *outreach.Service
	conv *Service
	stt  *fakeSTT
	now  time.Time
	msg  int
}

type fixtureOption func(*fixture, *[]Option)

// withClassifier uses c instead of the keyword classifier.
func withClassifier(c func(*intents.Gazetteer) intents.Classifier) fixtureOption {
	return func(f *fixture, _ *[]Option) { f.a = assets.New(0, roster.Demo(), c) }
}

// withConfig configures the conversation.
func withConfig(c Config) fixtureOption {
	return func(_ *fixture, opts *[]Option) { *opts = append(*opts, WithConfig(c)) }
}

// withSTT turns transcription on, answering from f.stt.words.
func withSTT() fixtureOption {
	return func(f *fixture, opts *[]Option) { *opts = append(*opts, WithTranscriber(f.stt)) }
}

func newFixture(t testing.TB, opts ...fixtureOption) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "conv.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{t: t, ctx: ctx, db: db, now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC), msg: 1,
		stt: &fakeSTT{words: map[string]string{}}}
	r := roster.Demo()
	f.a = assets.New(0, r, func(*intents.Gazetteer) intents.Classifier { return keywords{r.Villages} })
	var convOpts []Option
	for _, o := range opts {
		o(f, &convOpts)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.svc = tickets.New(routing.DefaultPolicy(), f.clock, log, nil)
	cfg, err := outreach.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	f.out = outreach.New(db, assets.Fixed{A: f.a}, f.svc, cfg, f.clock, log)
	f.conv = New(f.svc, f.out, nil, log, convOpts...)
	return f
}

func (f *fixture) clock() time.Time { return f.now }

// handle runs one inbound as the bot does: Prepare, then Handle in one
// write transaction.
func (f *fixture) handle(in Inbound) Outcome {
	f.t.Helper()
	if in.ChatID == 0 {
		in.ChatID = in.UserID
	}
	in.Private = true
	if in.Message {
		f.msg++
		in.MessageID = f.msg
	}
	prep := f.conv.Prepare(f.ctx, f.db, f.a, in)
	var out Outcome
	err := f.db.Update(f.ctx, func(tx *storage.Tx) error {
		var err error
		out, err = f.conv.Handle(f.ctx, tx, f.a, f.now, in, prep)
		return err
	})
	if err != nil {
		f.t.Fatalf("handle %+v: %v", in, err)
	}
	return out
}

func (f *fixture) text(from int64, text string) Outcome {
	f.t.Helper()
	return f.handle(Inbound{UserID: from, Message: true, Text: text})
}

func (f *fixture) press(from int64, data string) string {
	f.t.Helper()
	return f.handle(Inbound{UserID: from, Pressed: true, Data: data, PressedMessageID: 77}).Answer
}

func (f *fixture) photo(from int64, fileID, caption string) {
	f.t.Helper()
	f.handle(Inbound{UserID: from, Message: true, Photo: true, PhotoFile: File{ID: fileID, UniqueID: fileID + "-u"}, Text: caption})
}

func (f *fixture) location(from int64, lat, lon float64) {
	f.t.Helper()
	f.handle(Inbound{UserID: from, Message: true, Location: &Location{Latitude: lat, Longitude: lon}})
}

func (f *fixture) voice(from int64, fileID string, seconds int) {
	f.t.Helper()
	f.handle(Inbound{UserID: from, Message: true, Voice: &Voice{File: File{ID: fileID, UniqueID: fileID + "-u"}, Duration: seconds, MimeType: "audio/ogg"}})
}

// register walks a resident through /start → 片区 → village, skipping the
// optional questions.
func (f *fixture) register(id int64, area, village string) {
	f.t.Helper()
	f.text(id, "/start")
	f.press(id, "area:0:"+area)
	f.press(id, "vil:0:"+village)
	f.press(id, "tag:0:skip")
}

// start has a staff member start the bot, so that it may write to them.
func (f *fixture) start(ids ...int64) {
	f.t.Helper()
	for _, id := range ids {
		f.text(id, "/start")
	}
}

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

func (f *fixture) count(chat int64) int { return len(f.outbox(storage.OutboxFilter{ChatID: chat})) }

// since returns the rows queued to chat after the first n.
func (f *fixture) since(chat int64, n int) []storage.OutboxMessage {
	return f.outbox(storage.OutboxFilter{ChatID: chat})[n:]
}

func kinds(ms []storage.OutboxMessage) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Kind
	}
	return out
}

func (f *fixture) last(chat int64) storage.OutboxMessage {
	f.t.Helper()
	ms := f.outbox(storage.OutboxFilter{ChatID: chat})
	if len(ms) == 0 {
		f.t.Fatalf("nothing queued to %d", chat)
	}
	return ms[len(ms)-1]
}

func (f *fixture) view(fn func(tx *storage.Tx) error) {
	f.t.Helper()
	if err := f.db.View(f.ctx, fn); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) ticket(id storage.TicketID) storage.Ticket {
	f.t.Helper()
	var tk storage.Ticket
	f.view(func(tx *storage.Tx) error {
		var err error
		tk, err = tx.Ticket(f.ctx, id)
		return err
	})
	return tk
}

// tickets lists a resident's tickets, oldest first.
func (f *fixture) tickets(resident int64) []storage.Ticket {
	f.t.Helper()
	var ts []storage.Ticket
	f.view(func(tx *storage.Tx) error {
		var err error
		ts, err = tx.Tickets(f.ctx, storage.TicketFilter{ResidentID: resident})
		return err
	})
	return ts
}

func (f *fixture) media(id storage.TicketID) []storage.Media {
	f.t.Helper()
	var ms []storage.Media
	f.view(func(tx *storage.Tx) error {
		var err error
		ms, err = tx.TicketMedia(f.ctx, id)
		return err
	})
	return ms
}

func (f *fixture) chat(id int64) storage.Chat {
	f.t.Helper()
	var c storage.Chat
	f.view(func(tx *storage.Tx) error {
		var err error
		c, _, err = tx.Chat(f.ctx, id)
		return err
	})
	return c
}

func buttonData(m storage.OutboxMessage) []string {
	var out []string
	for _, row := range m.Buttons {
		for _, b := range row {
			out = append(out, b.Data)
		}
	}
	return out
}

func itoa[T ~int64](v T) string { return strconv.FormatInt(int64(v), 10) }
