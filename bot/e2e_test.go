package bot_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"hotline/assets"
	"hotline/bot"
	"hotline/botsim"
	"hotline/conversation"
	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// The end-to-end world: botsim stands in for Telegram, and the real
// go-telegram/bot client, handler, classifier and sender run against it,
// exactly as in local mode.

const e2eToken = "123456:e2e"

var (
	zhang = botsim.User{ID: 900000001, FirstName: "张大爷"}
	li    = botsim.User{ID: 900000002, FirstName: "李奶奶"}
	zeng  = botsim.User{ID: 100000001, FirstName: "曾令发"} // cadre of 翟各庄村
	zheng = botsim.User{ID: 100000008, FirstName: "郑国庆"} // cadre of 梁家务村
	liu   = botsim.User{ID: 200000001, FirstName: "刘振宇"} // leader of 东片区
	han   = botsim.User{ID: 400000001, FirstName: "韩晓雪"} // centre
)

// watcher wakes waiters after every Bot API call the bot makes, so tests
// wait on conditions instead of sleeping.
type watcher struct {
	mu      sync.Mutex
	cond    *sync.Cond
	expired bool

	// forgeFrom/forgeTo rewrite the next getUpdates response once: a
	// tampered client sending callback data that no button carried.
	forgeFrom, forgeTo string
}

func newWatcher() *watcher {
	w := &watcher{}
	w.cond = sync.NewCond(&w.mu)
	return w
}

func (w *watcher) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/getUpdates") {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			body := rec.Body.String()
			w.mu.Lock()
			if w.forgeFrom != "" && strings.Contains(body, w.forgeFrom) {
				body = strings.Replace(body, w.forgeFrom, w.forgeTo, 1)
				w.forgeFrom = ""
			}
			w.mu.Unlock()
			for k, v := range rec.Header() {
				if k != "Content-Length" {
					rw.Header()[k] = v
				}
			}
			rw.WriteHeader(rec.Code)
			io.WriteString(rw, body)
		} else {
			h.ServeHTTP(rw, r)
		}
		w.mu.Lock()
		w.cond.Broadcast()
		w.mu.Unlock()
	})
}

// waitFor blocks until cond holds, failing the test after a generous
// timeout (a hang, not a speed assertion: speed is in the benchmarks).
func (w *watcher) waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	w.mu.Lock()
	w.expired = false
	timer := time.AfterFunc(20*time.Second, func() {
		w.mu.Lock()
		w.expired = true
		w.cond.Broadcast()
		w.mu.Unlock()
	})
	defer timer.Stop()
	for !cond() {
		if w.expired {
			w.mu.Unlock()
			tb.Fatalf("timed out waiting for %s", what)
		}
		w.cond.Wait()
	}
	w.mu.Unlock()
}

type world struct {
	t   testing.TB
	sim *botsim.Server
	w   *watcher
	db  *storage.DB
}

func newWorld(tb testing.TB) *world {
	tb.Helper()
	return newWorldWith(tb, nil)
}

// newWorldWith is newWorld with the conversation's options, made over the
// Bot API client (a voice transcriber fetches files through it).
func newWorldWith(tb testing.TB, conv func(client *tg.Bot) []conversation.Option) *world {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := &world{t: tb, sim: botsim.New(botsim.WithToken(e2eToken)), w: newWatcher()}
	srv := httptest.NewServer(w.w.wrap(w.sim.Handler()))
	for _, u := range []botsim.User{zhang, li, zeng, zheng, liu, han} {
		w.sim.AddUser(u)
	}
	var err error
	w.db, err = storage.Open(ctx, filepath.Join(tb.TempDir(), "e2e.db"))
	if err != nil {
		tb.Fatal(err)
	}
	r := roster.Demo()
	model, err := intents.DefaultModel()
	if err != nil {
		tb.Fatal(err)
	}
	a := assets.New(0, r, func(g *intents.Gazetteer) intents.Classifier { return intents.NewEmbedded(model, g) })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := tickets.New(routing.DefaultPolicy(), time.Now, log, nil)

	client, err := bot.NewClient(bot.ClientConfig{Token: e2eToken, APIURL: srv.URL}, w.db, time.Now, log)
	if err != nil {
		tb.Fatal(err)
	}
	// Unlimited rates: the tests and the benchmarks measure the bot, not
	// the flood limiter (which has its own tests).
	sender := bot.NewSender(client, w.db, bot.SystemClock{}, bot.Limits{}, nil, log)
	senderDone := make(chan struct{})
	go func() {
		defer close(senderDone)
		if err := sender.Run(ctx); err != nil {
			tb.Error(err)
		}
	}()
	var opts []conversation.Option
	if conv != nil {
		opts = conv(client)
	}
	h := bot.NewHandler(w.db, assets.Fixed{A: a}, conversation.New(svc, nil, nil, log, opts...), nil, sender, client, nil, time.Now, log)
	if err := h.SetCommands(ctx, nil); err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		bot.Poll(ctx, client, h)
	}()
	tb.Cleanup(func() {
		cancel()
		w.sim.Close()
		<-done
		<-senderDone
		srv.Close()
		w.db.Close()
	})
	return w
}

// say sends a text from u and waits for the bot's reply count to grow.
func (w *world) say(u botsim.User, text string) botsim.Message {
	w.t.Helper()
	n := w.sim.BotMessageCount(u.ID)
	w.sim.SendText(u, text)
	return w.nextReply(u.ID, n, "reply to "+text)
}

// nextReply waits until chat has more than n bot messages and returns the newest.
func (w *world) nextReply(chat int64, n int, what string) botsim.Message {
	w.t.Helper()
	w.w.waitFor(w.t, what, func() bool { return w.sim.BotMessageCount(chat) > n })
	m, _ := w.sim.LastMessage(chat)
	return m
}

// press presses the button labelled label on message m of u's chat and
// waits for the callback answer; it returns the toast.
func (w *world) press(u botsim.User, m botsim.Message, label string) string {
	w.t.Helper()
	data := ""
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.Text == label {
				data = b.CallbackData
			}
		}
	}
	if data == "" {
		w.t.Fatalf("no button %q on %q (buttons %v)", label, m.Plain, m.Buttons)
	}
	return w.pressData(u, m.ID, data)
}

// pressData presses with any callback data; botsim refuses data that is
// not on the message's keyboard, so forged data goes through pressForged.
func (w *world) pressData(u botsim.User, msgID int, data string) string {
	w.t.Helper()
	n := len(w.sim.AnsweredCallbacks())
	if _, err := w.sim.SendCallback(u, msgID, data); err != nil {
		w.t.Fatalf("press %q: %v", data, err)
	}
	w.w.waitFor(w.t, "answer to "+data, func() bool { return len(w.sim.AnsweredCallbacks()) > n })
	as := w.sim.AnsweredCallbacks()
	return as[len(as)-1].Text
}

// pressForged presses the real button carrying data on message msgID and
// has the update reach the bot carrying forged instead.
func (w *world) pressForged(u botsim.User, msgID int, data, forged string) string {
	w.t.Helper()
	w.w.mu.Lock()
	w.w.forgeFrom, w.w.forgeTo = `"data":"`+data+`"`, `"data":"`+forged+`"`
	w.w.mu.Unlock()
	return w.pressData(u, msgID, data)
}

// messageWith returns the newest bot message in chat whose text has sub.
func (w *world) messageWith(chat int64, sub string) (botsim.Message, bool) {
	ms := w.sim.Messages(chat)
	for i := len(ms) - 1; i >= 0; i-- {
		if strings.Contains(ms[i].Plain, sub) {
			return ms[i], true
		}
	}
	return botsim.Message{}, false
}

// waitMessage waits for a bot message in chat containing sub.
func (w *world) waitMessage(chat int64, sub string) botsim.Message {
	w.t.Helper()
	var m botsim.Message
	w.w.waitFor(w.t, "message with "+sub, func() bool {
		var ok bool
		m, ok = w.messageWith(chat, sub)
		return ok
	})
	return m
}

func (w *world) register(u botsim.User, area, village string) {
	w.t.Helper()
	welcome := w.say(u, "/start")
	w.press(u, welcome, area)
	menu := w.waitMessage(u.ID, "请选择您住的村")
	w.press(u, menu, village)
	q := w.waitMessage(u.ID, "70 岁以上")
	w.press(u, q, "跳过")
	w.waitMessage(u.ID, "登记完成")
}

func TestEndToEndLifecycle(t *testing.T) {
	w := newWorld(t)
	w.say(zeng, "/start")
	w.say(liu, "/start")

	// Registration: welcome, 片区, village; nothing typed before it is lost.
	welcome := w.say(zhang, "/start")
	if !strings.Contains(welcome.Plain, "哪个片区") || !strings.Contains(welcome.Plain, "/stop") {
		t.Fatalf("welcome = %q", welcome.Plain)
	}
	if cmds := w.sim.Commands(zhang.ID); len(cmds) == 0 || cmds[0].Command != "start" {
		t.Errorf("resident menu = %v", cmds)
	}
	w.press(zhang, welcome, "东片区")
	menu := w.waitMessage(zhang.ID, "请选择您住的村")
	if menu.ID != welcome.ID {
		t.Errorf("the village menu should replace the 片区 keyboard")
	}
	w.press(zhang, menu, "翟各庄村")
	q := w.waitMessage(zhang.ID, "70 岁以上")
	w.press(zhang, q, "是")
	q = w.waitMessage(zhang.ID, "用电取暖")
	w.press(zhang, q, "跳过")
	w.waitMessage(zhang.ID, "登记完成")

	// Report → receipt within the same round, card to the right cadre.
	cardsBefore := w.sim.BotMessageCount(zeng.ID)
	receipt := w.say(zhang, "村口的路灯坏了一个星期了，晚上黑乎乎的")
	for _, want := range []string{"工单编号", "道路与照明", "曾令发（包村干部）", "办结时限"} {
		if !strings.Contains(receipt.Plain, want) {
			t.Errorf("receipt lacks %q: %q", want, receipt.Plain)
		}
	}
	number := strings.Fields(strings.SplitN(receipt.Plain, "工单编号：", 2)[1])[0]
	card := w.nextReply(zeng.ID, cardsBefore, "card to 曾令发")
	for _, want := range []string{number, "道路与照明", "翟各庄村", "村口的路灯坏了", "接单时限"} {
		if !strings.Contains(card.Plain, want) {
			t.Errorf("card lacks %q: %q", want, card.Plain)
		}
	}

	// Accept, then resolve with a note.
	if got := w.press(zeng, card, "接单"); got != "已接单" {
		t.Errorf("accept toast = %q", got)
	}
	w.waitMessage(zhang.ID, "已由 曾令发（包村干部） 接单")
	w.w.waitFor(t, "card edited to 办理中", func() bool {
		m, _ := w.messageWith(zeng.ID, number)
		return m.Edited && strings.Contains(m.Plain, "办理中")
	})
	card, _ = w.messageWith(zeng.ID, "办理中")
	w.press(zeng, card, "办结")
	w.waitMessage(zeng.ID, "请回复一句办理结果")
	w.say(zeng, "已更换灯泡，恢复照明")
	resolved := w.waitMessage(zhang.ID, "已办结")
	if !strings.Contains(resolved.Plain, "已更换灯泡") || !strings.Contains(resolved.Plain, "满意度") {
		t.Fatalf("resolved = %q", resolved.Plain)
	}

	// 未解决 reopens to the same cadre, more urgent; the cadre is told.
	cards := w.sim.BotMessageCount(zeng.ID)
	w.press(zhang, resolved, "未解决")
	w.waitMessage(zhang.ID, "已重新办理工单")
	again := w.nextReply(zeng.ID, cards, "reopened card")
	if !strings.Contains(again.Plain, "紧急") {
		t.Errorf("reopened card = %q", again.Plain)
	}
	w.press(zeng, again, "办结")
	w.waitMessage(zeng.ID, "请回复一句办理结果")
	w.say(zeng, "线路重新接好，已试灯")
	resolved = w.waitMessage(zhang.ID, "线路重新接好")
	if got := w.press(zhang, resolved, "5"); got != "谢谢您的评价！" {
		t.Errorf("rating toast = %q", got)
	}
	w.waitMessage(zhang.ID, "感谢您的评价（5 分）")

	// /my and /ticket for the resident; another resident's number is "not found".
	my := w.say(zhang, "/my")
	if !strings.Contains(my.Plain, number) || !strings.Contains(my.Plain, "已关闭") {
		t.Errorf("/my = %q", my.Plain)
	}
	w.register(li, "西片区", "梁家务村")
	if got := w.say(li, "/ticket "+number); !strings.Contains(got.Plain, "没有找到") || strings.Contains(got.Plain, "路灯") {
		t.Errorf("other resident /ticket = %q", got.Plain)
	}
	if got := w.say(li, "/tasks"); !strings.Contains(got.Plain, "工作人员") {
		t.Errorf("resident /tasks = %q", got.Plain)
	}
}

func TestEndToEndRefusals(t *testing.T) {
	w := newWorld(t)
	w.say(zeng, "/start")
	w.say(zheng, "/start")
	w.register(zhang, "东片区", "翟各庄村")
	w.register(li, "西片区", "梁家务村")
	receipt := w.say(zhang, "翟各庄村东头的路灯不亮了")
	card := w.waitMessage(zeng.ID, "翟各庄村东头")
	w.say(li, "梁家务村的路灯也不亮")
	theirCard := w.waitMessage(zheng.ID, "梁家务村的路灯")
	id := strings.Split(card.Buttons[0][0].CallbackData, ":")[1]
	rcm := receipt.Buttons[0][0].CallbackData
	theirAccept := theirCard.Buttons[0][0].CallbackData

	tests := []struct {
		name   string
		who    botsim.User
		msg    int
		real   string // the button actually pressed
		forged string // what the tampered client sends instead
		want   string
	}{
		{"resident presses 接单 on their receipt", zhang, receipt.ID, rcm, "acc:" + id, notice.RefuseNotStaff},
		{"resident presses 上报", zhang, receipt.ID, rcm, "esc:" + id, notice.RefuseNotStaff},
		{"cadre accepts another village's ticket", zheng, theirCard.ID, theirAccept, "acc:" + id, notice.RefuseNotYours},
		{"cadre escalates another village's ticket", zheng, theirCard.ID, theirAccept, "esc:" + id, notice.RefuseNotYours},
		{"cadre transfers another village's ticket to himself", zheng, theirCard.ID, theirAccept, "tr:" + id + ":" + "100000008", notice.RefuseNotYours},
		{"forged ticket id", zeng, card.ID, "acc:" + id, "acc:" + id + "9999", notice.RefuseNotFound},
		{"garbage callback data", zeng, card.ID, "acc:" + id, "💣", notice.RefuseStale},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := w.pressForged(tc.who, tc.msg, tc.real, tc.forged); got != tc.want {
				t.Errorf("toast = %q, want %q", got, tc.want)
			}
		})
	}
	// Nothing changed: the card still waits for 接单 and the resident got
	// no notice of an accept or escalation.
	if m, _ := w.messageWith(zeng.ID, "翟各庄村东头"); m.Edited || !strings.Contains(m.Plain, "待接单") {
		t.Errorf("card changed: %q", m.Plain)
	}
	for _, sub := range []string{"接单，正在办理", "上报", "转给"} {
		if m, ok := w.messageWith(zhang.ID, sub); ok {
			t.Errorf("resident was told %q", m.Plain)
		}
	}
	// The real owner still can.
	if got := w.press(zeng, card, "接单"); got != "已接单" {
		t.Errorf("real accept = %q", got)
	}
}

func TestEndToEndRedeliveryAndJournal(t *testing.T) {
	w := newWorld(t)
	w.say(zeng, "/start")
	w.register(zhang, "东片区", "翟各庄村")
	n := w.sim.BotMessageCount(zhang.ID)
	id := w.sim.SendText(zhang, "家里停水两天了")
	w.nextReply(zhang.ID, n, "receipt")
	if j, p, err := w.db.UpdateProcessed(context.Background(), id); err != nil || !j || !p {
		t.Fatalf("update %d journalled=%v processed=%v err=%v", id, j, p, err)
	}
	// Telegram delivers the same update again: nothing happens twice.
	// A /my afterwards is the marker that the redelivery was consumed.
	if err := w.sim.Redeliver(id); err != nil {
		t.Fatal(err)
	}
	my := w.say(zhang, "/my")
	if c := strings.Count(my.Plain, "供排水与防汛"); c != 1 {
		t.Errorf("tickets after redelivery: %d, want 1\n%s", c, my.Plain)
	}
}

// BenchmarkMessageToCard measures the time from a resident's message
// reaching the fake Bot API to the handler's card arriving there: long
// polling, journal, classification, one transaction, outbox, sender.
func BenchmarkMessageToCard(b *testing.B) {
	w := newWorld(b)
	w.say(zeng, "/start")
	w.register(zhang, "东片区", "翟各庄村")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := w.sim.BotMessageCount(zeng.ID)
		w.sim.SendText(zhang, "村口的路灯坏了，晚上黑乎乎的")
		w.nextReply(zeng.ID, n, "card")
	}
}

// BenchmarkPressToAnswer measures a staff button press to its callback
// answer (the toast), through the same path.
func BenchmarkPressToAnswer(b *testing.B) {
	w := newWorld(b)
	w.say(zeng, "/start")
	w.register(zhang, "东片区", "翟各庄村")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		n := w.sim.BotMessageCount(zeng.ID)
		w.sim.SendText(zhang, "村口的路灯坏了，晚上黑乎乎的")
		card := w.nextReply(zeng.ID, n, "card")
		b.StartTimer()
		w.press(zeng, card, "接单")
	}
}
