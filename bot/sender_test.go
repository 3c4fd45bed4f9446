package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/botsim"
	"hotline/storage"
)

// vclock is a virtual clock: waiting on it moves it forward at once, so the
// sender runs through minutes of flood limits in milliseconds, and botsim,
// sharing it, stamps every call with the same virtual time. It moves only
// once the calls in flight have come back (flights, when set): on a real
// clock they come back long before the sender's next timer, and moving
// time under them would stamp their answers late. It still jumps to the
// timer the sender sets, even when an answer about to be handled would
// have let the sender go earlier: virtual time can make a test's sender
// slower than a real one, never faster than its limits.
type vclock struct {
	mu      sync.Mutex
	t       time.Time
	flights *flights
}

func newVClock() *vclock { return &vclock{t: time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)} }

func (c *vclock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *vclock) After(d time.Duration) <-chan time.Time {
	c.flights.wait()
	c.mu.Lock()
	if d > 0 {
		c.t = c.t.Add(d)
	}
	t := c.t
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- t
	return ch
}

// flights counts Bot API calls in flight.
type flights struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed when n drops to 0
}

func (f *flights) begin() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 {
		f.zero = make(chan struct{})
	}
	f.n++
}

func (f *flights) end() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n--; f.n == 0 {
		close(f.zero)
	}
}

// wait blocks until no call is in flight, or a second has passed (a call
// a test holds on purpose).
func (f *flights) wait() {
	if f == nil {
		return
	}
	f.mu.Lock()
	if f.n == 0 {
		f.mu.Unlock()
		return
	}
	zero := f.zero
	f.mu.Unlock()
	select {
	case <-zero:
	case <-time.After(time.Second):
	}
}

// senderRig is a Sender driving the real go-telegram/bot client against
// botsim, over an in-memory outbox, in virtual time.
type senderRig struct {
	sim    *botsim.Server
	box    *memOutbox
	clock  *vclock
	client *tg.Bot
	api    *gateAPI
	obs    *recObserver
	sender *Sender
	start0 time.Time

	cancel context.CancelFunc
	done   chan error
}

func newSenderRig(t testing.TB, limits Limits, simOpts ...botsim.Option) *senderRig {
	t.Helper()
	clk := newVClock()
	sim := botsim.New(append([]botsim.Option{botsim.WithClock(clk)}, simOpts...)...)
	srv := httptest.NewServer(sim.Handler())
	client, err := tg.New("1:test", tg.WithServerURL(srv.URL), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	rig := &senderRig{sim: sim, box: newMemOutbox(), clock: clk, client: client, start0: clk.Now()}
	rig.api = &gateAPI{SenderAPI: client, okLeft: -1, gate: make(chan struct{}), flights: &flights{}}
	clk.flights = rig.api.flights
	rig.obs = &recObserver{}
	rig.sender = NewSender(rig.api, rig.box, clk, limits, rig.obs, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() {
		rig.stop()
		sim.Close()
		srv.Close()
	})
	return rig
}

func (r *senderRig) run() {
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan error, 1)
	go func() { r.done <- r.sender.Run(ctx) }()
}

func (r *senderRig) stop() {
	if r.cancel != nil {
		r.cancel()
		<-r.done
		r.cancel = nil
	}
}

func (r *senderRig) user(id int64) { r.sim.AddUser(botsim.User{ID: id}) }

func (r *senderRig) send(chat int64, text string, buttons ...storage.Button) int64 {
	var kb [][]storage.Button
	if len(buttons) > 0 {
		kb = [][]storage.Button{buttons}
	}
	return r.box.add(storage.OutboxMessage{ChatID: chat, Text: text, Buttons: kb}, r.clock.Now())
}

func (r *senderRig) settle(t testing.TB) {
	t.Helper()
	if err := r.box.waitSettled(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func texts(ms []botsim.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

func TestSenderSendsAndEdits(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits())
	rig.user(11)
	rig.user(12)
	card := rig.send(11, "<b>工单 #7</b> 水管漏水", storage.Button{Text: "受理", Data: "acc:7"}, storage.Button{Text: "转派", Data: "fwd:7"})
	edit := rig.box.add(storage.OutboxMessage{ChatID: 11, Method: "edit", EditRef: card, Text: "<b>工单 #7</b> 已受理",
		Buttons: [][]storage.Button{{{Text: "办结", Data: "done:7"}}}}, rig.clock.Now())
	same := rig.box.add(storage.OutboxMessage{ChatID: 11, Method: "edit", EditRef: card, Text: "<b>工单 #7</b> 已受理",
		Buttons: [][]storage.Button{{{Text: "办结", Data: "done:7"}}}}, rig.clock.Now())
	other := rig.send(12, "您好 &lt;张三&gt;")
	rig.run()
	rig.settle(t)

	ms := rig.sim.Messages(11)
	if len(ms) != 1 || ms[0].Plain != "工单 #7 已受理" || len(ms[0].History) != 1 ||
		len(ms[0].Buttons) != 1 || ms[0].Buttons[0][0].CallbackData != "done:7" {
		t.Fatalf("chat 11 = %+v", ms)
	}
	for _, id := range []int64{card, edit, same} {
		if r := rig.box.get(id); r.status != storage.OutboxSent || len(r.ids) != 1 || r.ids[0] != ms[0].ID || r.marks != 1 {
			t.Fatalf("row %d = %+v", id, r)
		}
	}
	if m, _ := rig.sim.LastMessage(12); m.Plain != "您好 <张三>" {
		t.Fatalf("chat 12 = %+v", m)
	}
	if r := rig.box.get(other); r.status != storage.OutboxSent {
		t.Fatalf("other = %+v", r)
	}

	// Rows that arrive later are sent on Notify.
	late := rig.send(12, "后来的消息")
	rig.sender.Notify()
	rig.sender.Notify() // never blocks
	rig.settle(t)
	if r := rig.box.get(late); r.status != storage.OutboxSent {
		t.Fatalf("late = %+v", r)
	}
}

func TestSenderFailures(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(rig *senderRig) int64 // returns the row to check
		status string
		reason string
	}{
		{"bad html is refused", func(rig *senderRig) int64 { return rig.send(11, "a < b") },
			storage.OutboxFailed, "can't parse entities"},
		{"unknown chat is refused", func(rig *senderRig) int64 { return rig.send(99, "x") },
			storage.OutboxFailed, "chat not found"},
		{"callback data too long", func(rig *senderRig) int64 {
			return rig.send(11, "x", storage.Button{Text: "b", Data: strings.Repeat("d", 65)})
		}, storage.OutboxFailed, "BUTTON_DATA_INVALID"},
		{"edit of a row never sent", func(rig *senderRig) int64 {
			bad := rig.send(11, "a < b")
			return rig.box.add(storage.OutboxMessage{ChatID: 11, Method: "edit", EditRef: bad, Text: "x"}, rig.clock.Now())
		}, storage.OutboxFailed, "was never sent"},
		{"edit naming nothing", func(rig *senderRig) int64 {
			return rig.box.add(storage.OutboxMessage{ChatID: 11, Method: "edit", Text: "x"}, rig.clock.Now())
		}, storage.OutboxFailed, "names no message"},
		{"edit of a deleted message", func(rig *senderRig) int64 {
			return rig.box.add(storage.OutboxMessage{ChatID: 11, Method: "edit", EditMessageID: 42, Text: "x"}, rig.clock.Now())
		}, storage.OutboxFailed, "message to edit not found"},
		{"edit too long takes its last part", func(rig *senderRig) int64 {
			first := rig.send(11, "短")
			return rig.box.add(storage.OutboxMessage{ChatID: 11, Method: "edit", EditRef: first, Text: strings.Repeat("长", 4097)}, rig.clock.Now())
		}, storage.OutboxSent, ""},
		{"edit text with tags fits", func(rig *senderRig) int64 {
			first := rig.send(11, "短")
			return rig.box.add(storage.OutboxMessage{ChatID: 11, Method: "edit", EditRef: first, Text: "<b>" + strings.Repeat("长", 4096) + "</b>"}, rig.clock.Now())
		}, storage.OutboxSent, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rig := newSenderRig(t, DefaultLimits())
			rig.user(11)
			id := tt.setup(rig)
			after := rig.send(11, "后续消息") // a refused row does not hold up the chat
			rig.run()
			rig.settle(t)
			r := rig.box.get(id)
			if r.status != tt.status || !strings.Contains(r.reason, tt.reason) {
				t.Fatalf("row = %+v, want %s with %q", r, tt.status, tt.reason)
			}
			if a := rig.box.get(after); a.status != storage.OutboxSent {
				t.Fatalf("next row = %+v", a)
			}
		})
	}
}

func TestSenderFloodWait(t *testing.T) {
	// One call at a time, so the 429 surely comes before the other chat's
	// call, which must then wait too: a 429 pauses the whole bot.
	lim := DefaultLimits()
	lim.InFlight = 1
	rig := newSenderRig(t, lim)
	rig.user(11)
	rig.user(12)
	rig.sim.FailNext("sendMessage", 1, 429, 7)
	a := rig.send(11, "一")
	b := rig.send(12, "二")
	rig.run()
	rig.settle(t)

	if rig.sim.Sent() != 2 || rig.sim.CallCount("sendMessage") != 3 {
		t.Fatalf("sent %d in %d calls, want 2 in 3", rig.sim.Sent(), rig.sim.CallCount("sendMessage"))
	}
	for _, chat := range []int64{11, 12} {
		times := rig.sim.SendTimes(chat)
		if len(times) != 1 || times[0].Sub(rig.start0) < 7*time.Second {
			t.Fatalf("chat %d sent at %v, want one send at least 7 s after the 429", chat, times)
		}
	}
	for _, id := range []int64{a, b} {
		if r := rig.box.get(id); r.status != storage.OutboxSent || r.marks != 1 {
			t.Fatalf("row %d = %+v", id, r)
		}
	}
	if len(rig.box.retries) != 0 {
		t.Fatalf("a flood wait was recorded as a retry: %+v", rig.box.retries)
	}
}

func TestSenderBlocked(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits())
	rig.user(11)
	rig.user(12)
	rig.sim.Block(11)
	a1, a2 := rig.send(11, "一"), rig.send(11, "二")
	b := rig.send(12, "三")
	rig.run()
	rig.settle(t)
	for _, id := range []int64{a1, a2} {
		if r := rig.box.get(id); r.status != storage.OutboxFailed || r.reason != "blocked by the user" {
			t.Fatalf("row %d = %+v", id, r)
		}
	}
	if _, ok := rig.box.blocked[11]; !ok {
		t.Fatal("chat 11 not recorded as blocked")
	}
	if r := rig.box.get(b); r.status != storage.OutboxSent {
		t.Fatalf("other chat = %+v", r)
	}
	if n := rig.sim.CallCount("sendMessage"); n != 2 {
		t.Fatalf("sendMessage calls = %d, want 2 (one 403, then the chat is skipped)", n)
	}
}

func TestSenderBackoff(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits())
	rig.user(11)
	rig.sim.FailNext("sendMessage", 3, 500, 0)
	first := rig.send(11, "第一条")
	second := rig.send(11, "第二条")
	rig.run()
	rig.settle(t)

	if got := texts(rig.sim.Messages(11)); strings.Join(got, ",") != "第一条,第二条" {
		t.Fatalf("order = %v", got)
	}
	rs := rig.box.retries
	if len(rs) != 3 {
		t.Fatalf("retries = %+v", rs)
	}
	var last time.Time
	for i, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second} {
		if rs[i].id != first || !strings.Contains(rs[i].reason, "500") {
			t.Fatalf("retry %d = %+v", i, rs[i])
		}
		gap := rs[i].notBefore.Sub(rig.start0)
		if i > 0 {
			gap = rs[i].notBefore.Sub(last)
		}
		if gap < want {
			t.Fatalf("retry %d after %v, want at least %v", i, gap, want)
		}
		last = rs[i].notBefore
	}
	if sent := rig.sim.SendTimes(11); sent[0].Before(last) {
		t.Fatalf("sent at %v, before the backoff ended at %v", sent[0], last)
	}
	if r := rig.box.get(first); r.status != storage.OutboxSent || r.msg.Attempts != 4 {
		t.Fatalf("first = %+v", r)
	}
	if r := rig.box.get(second); r.status != storage.OutboxSent {
		t.Fatalf("second = %+v", r)
	}
	for n, want := range map[int]time.Duration{1: 2 * time.Second, 2: 4 * time.Second, 8: 256 * time.Second, 9: maxBackoff, 40: maxBackoff} {
		if got := backoff(n); got != want {
			t.Errorf("backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestSenderSplitsLongText(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits())
	rig.user(11)
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, "<b>第%03d行</b>：村口路灯不亮，请尽快处理 &amp; 回复。\n", i)
	}
	text := b.String()
	id := rig.send(11, text, storage.Button{Text: "受理", Data: "acc:1"})
	rig.run()
	rig.settle(t)

	ms := rig.sim.Messages(11)
	r := rig.box.get(id)
	if len(ms) < 2 || len(r.ids) != len(ms) || r.status != storage.OutboxSent {
		t.Fatalf("%d messages, row %+v", len(ms), r)
	}
	var plain strings.Builder
	for i, m := range ms {
		if m.ID != r.ids[i] {
			t.Fatalf("ids %v, messages %d = %d", r.ids, i, m.ID)
		}
		if (len(m.Buttons) > 0) != (i == len(ms)-1) {
			t.Fatalf("part %d buttons = %v", i, m.Buttons)
		}
		if n := len([]rune(m.Plain)); n > maxTextUnits {
			t.Fatalf("part %d has %d characters", i, n)
		}
		plain.WriteString(m.Plain)
	}
	if want := strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(text, "<b>", ""), "</b>", ""), "&amp;", "&"); plain.String() != want {
		t.Fatal("the parts do not add up to the text")
	}
	// An edit by reference targets the last part, which has the buttons.
	rig.box.add(storage.OutboxMessage{ChatID: 11, Method: "edit", EditRef: id, Text: "已受理"}, rig.clock.Now())
	rig.sender.Notify()
	rig.settle(t)
	if m, _ := rig.sim.LastMessage(11); m.Plain != "已受理" || !m.Edited || m.Buttons != nil {
		t.Fatalf("edited = %+v", m)
	}
	// An edit too long for one message puts the last part of its text on
	// the message with the buttons, rather than failing.
	edit := rig.box.add(storage.OutboxMessage{ChatID: 11, Method: "edit", EditRef: id, Text: text + "状态：<b>办理中</b>",
		Buttons: [][]storage.Button{{{Text: "办结", Data: "res:1"}}}}, rig.clock.Now())
	rig.sender.Notify()
	rig.settle(t)
	m, _ := rig.sim.LastMessage(11)
	if r := rig.box.get(edit); r.status != storage.OutboxSent || m.ID != r.ids[0] || !m.Edited ||
		!strings.HasSuffix(m.Plain, "状态：办理中") || len(m.Buttons) != 1 || len([]rune(m.Plain)) > maxTextUnits {
		t.Fatalf("long edit: row %+v, message %d %q… buttons %v", r, m.ID, string([]rune(m.Plain)[:20]), m.Buttons)
	}
}

func TestSenderOutboxErrors(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits())
	rig.user(11)
	rig.box.failPending = 2
	rig.box.failRecord = 2
	a := rig.send(11, "一")
	edit := rig.box.add(storage.OutboxMessage{ChatID: 11, Method: "edit", EditRef: a, Text: "一（改）"}, rig.clock.Now())
	b := rig.send(11, "二")
	rig.run()
	rig.settle(t)
	for _, id := range []int64{a, edit, b} {
		if r := rig.box.get(id); r.status != storage.OutboxSent || r.marks != 1 {
			t.Fatalf("row %d = %+v", id, r)
		}
	}
	if got := texts(rig.sim.Messages(11)); strings.Join(got, ",") != "一（改）,二" || rig.sim.Sent() != 2 {
		t.Fatalf("messages = %v, sent %d", got, rig.sim.Sent())
	}
}

func TestSenderResumesAfterRestart(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits())
	const chats, each = 20, 5
	for c := int64(1); c <= chats; c++ {
		rig.user(c)
	}
	for i := range each {
		for c := int64(1); c <= chats; c++ {
			rig.send(c, fmt.Sprintf("第%d条", i))
		}
	}
	stopped := make(chan struct{})
	var once sync.Once
	marked := 0
	rig.box.onMark = func(int64) {
		marked++ // MarkSent is called from the loop goroutine only
		if marked == 30 {
			once.Do(func() { close(stopped) })
		}
	}
	rig.run()
	<-stopped
	rig.stop() // calls in flight finish and are recorded
	if rig.sim.Sent() != chats*each-rig.box.pending() {
		t.Fatalf("sent %d but %d pending of %d: a sent row was not recorded", rig.sim.Sent(), rig.box.pending(), chats*each)
	}
	rig.run()
	rig.settle(t)
	if rig.sim.Sent() != chats*each {
		t.Fatalf("sent %d, want %d", rig.sim.Sent(), chats*each)
	}
	for c := int64(1); c <= chats; c++ {
		got := texts(rig.sim.Messages(c))
		if strings.Join(got, ",") != "第0条,第1条,第2条,第3条,第4条" {
			t.Fatalf("chat %d = %v", c, got)
		}
	}
}

// A split message interrupted between its parts goes on from the next
// part after a restart: no part is sent twice, none is lost, and the
// buttons still ride on the last part.
func TestSenderSplitResumesAfterRestart(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits())
	rig.user(11)
	var b strings.Builder
	for i := range 700 {
		fmt.Fprintf(&b, "第%03d行：村口路灯不亮，请尽快处理。\n", i)
	}
	text := b.String()
	parts := len(splitHTML(text, maxTextUnits))
	if parts < 3 {
		t.Fatalf("only %d parts", parts)
	}
	id := rig.send(11, text, storage.Button{Text: "受理", Data: "acc:1"})

	// Telegram takes the first part; the next call hangs until the
	// sender is stopped and then dies with the connection.
	rig.api.allow(1)
	reached := make(chan struct{})
	var once sync.Once
	rig.box.onPart = func(int64) { once.Do(func() { close(reached) }) }
	rig.run()
	<-reached
	rig.cancel()
	close(rig.api.gate)
	<-rig.done
	rig.cancel = nil
	if r := rig.box.get(id); r.status != storage.OutboxPending || len(r.ids) != 1 {
		t.Fatalf("after the stop: %+v", r)
	}

	rig.api.allow(-1)
	rig.run()
	rig.settle(t)
	ms := rig.sim.Messages(11)
	r := rig.box.get(id)
	if len(ms) != parts || r.status != storage.OutboxSent || len(r.ids) != parts {
		t.Fatalf("%d messages for %d parts, row %+v", len(ms), parts, r)
	}
	var plain strings.Builder
	for i, m := range ms {
		if m.ID != r.ids[i] || (len(m.Buttons) > 0) != (i == parts-1) {
			t.Fatalf("part %d: id %d (row %v), buttons %v", i, m.ID, r.ids, m.Buttons)
		}
		plain.WriteString(m.Plain)
	}
	if plain.String() != text {
		t.Fatal("the parts do not add up to the text")
	}
}

// gateAPI passes calls through while okLeft allows (negative: always);
// after that each call waits for gate to close and fails as a dropped
// connection would.
type gateAPI struct {
	SenderAPI
	mu      sync.Mutex
	okLeft  int
	gate    chan struct{}
	flights *flights
	lose    int // the answers of the next calls that get through are lost
}

// lost reports whether the answer of a call that got through is lost.
func (g *gateAPI) lost() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.lose > 0 {
		g.lose--
		return true
	}
	return false
}

func (g *gateAPI) allow(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.okLeft = n
}

func (g *gateAPI) pass() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.okLeft == 0 {
		return false
	}
	if g.okLeft > 0 {
		g.okLeft--
	}
	return true
}

var errDropped = errors.New("read tcp 127.0.0.1:41000: connection reset by peer")

func (g *gateAPI) SendMessage(ctx context.Context, p *tg.SendMessageParams) (*models.Message, error) {
	g.flights.begin()
	defer g.flights.end()
	if !g.pass() {
		<-g.gate
		return nil, errDropped
	}
	m, err := g.SenderAPI.SendMessage(ctx, p)
	if err == nil && g.lost() {
		return nil, errDropped
	}
	return m, err
}

func (g *gateAPI) EditMessageText(ctx context.Context, p *tg.EditMessageTextParams) (*models.Message, error) {
	g.flights.begin()
	defer g.flights.end()
	return g.SenderAPI.EditMessageText(ctx, p)
}

// recObserver records what the sender tells its observer.
type recObserver struct {
	mu      sync.Mutex
	sent    map[storage.Lane]int
	refused map[storage.Lane][]int
	waited  []time.Duration
}

func (o *recObserver) UpdateHandled(time.Duration) {}

func (o *recObserver) Sent(lane storage.Lane, waited time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.sent == nil {
		o.sent = map[storage.Lane]int{}
	}
	o.sent[lane]++
	o.waited = append(o.waited, waited)
}

func (o *recObserver) Refused(lane storage.Lane, status int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.refused == nil {
		o.refused = map[storage.Lane][]int{}
	}
	o.refused[lane] = append(o.refused[lane], status)
}
