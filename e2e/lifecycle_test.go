package e2e

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/assets"
	"hotline/bot"
	"hotline/conversation"
	"hotline/intents"
	"hotline/outreach"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

const (
	token         = "123456:emulator"
	webhookPath   = "/tg/hook"
	webhookSecret = "e2e-secret"
)

// world is the hotline in webhook mode against a running emulator, put
// together as cmd/hotline's serve does it: the real go-telegram/bot client,
// handler, classifier, outbox and sender.
type world struct {
	t    *testing.T
	emu  *emulator
	obs  *observer
	logs *lockedBuffer // the hotline's warnings and errors
}

func newWorld(t *testing.T) *world {
	t.Helper()
	emu := startEmulator(t, token)
	w := &world{t: t, emu: emu, obs: newObserver(), logs: &lockedBuffer{}}
	ctx, cancel := context.WithCancel(context.Background())

	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "e2e.db"))
	if err != nil {
		t.Fatal(err)
	}
	r := roster.Demo()
	model, err := intents.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	a := assets.Fixed{A: assets.New(0, r, func(g *intents.Gazetteer) intents.Classifier { return intents.NewEmbedded(model, g) })}
	log := slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc := tickets.New(routing.DefaultPolicy(), time.Now, log, nil)
	campaigns, err := outreach.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	// Outreach answers the rating buttons. Its scheduler is not started:
	// campaigns and follow-ups are not part of this lifecycle.
	out := outreach.New(db, a, svc, campaigns, time.Now, log)

	client, err := bot.NewClient(bot.ClientConfig{
		Token: token, APIURL: emu.url,
		Transport: &formTransport{next: &http.Transport{Proxy: nil}, obs: w.obs},
	}, db, time.Now, log)
	if err != nil {
		t.Fatal(err)
	}
	// Unlimited rates: the flood limiter has its own tests.
	sender := bot.NewSender(client, db, bot.SystemClock{}, bot.Limits{}, nil, log)
	senderDone := make(chan error, 1)
	go func() { senderDone <- sender.Run(ctx) }()
	h := bot.NewHandler(db, a, conversation.New(svc, out, nil, log), out, sender, client, nil, time.Now, log)
	// The residents' menu, as serve sets it; the transport answers for
	// the emulator, which has no setMyCommands.
	if err := h.SetCommands(ctx, nil); err != nil {
		t.Fatal(err)
	}

	hook := h.WebhookHandler(webhookSecret)
	mux := http.NewServeMux()
	mux.Handle("POST "+webhookPath, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		// Telegram sends the secret given to setWebhook in this header;
		// telegram-test-api keeps the secret but never sends it.
		r.Header.Set("X-Telegram-Bot-Api-Secret-Token", webhookSecret)
		hook.ServeHTTP(rw, r)
		w.obs.bump()
	}))
	srv := httptest.NewServer(mux)
	if err := bot.SetWebhook(ctx, client, srv.URL+webhookPath, webhookSecret); err != nil {
		t.Fatal(err)
	}

	t.Cleanup(func() {
		cancel()
		if err := <-senderDone; err != nil {
			t.Error(err)
		}
		h.Wait()
		srv.Close()
		db.Close()
		if logs := w.logs.String(); logs != "" {
			t.Errorf("the hotline logged warnings or errors:\n%s", logs)
		}
		if p := w.obs.problems(); len(p) > 0 {
			t.Errorf("Bot API calls that failed: %v", p)
		}
	})
	return w
}

// waitFor blocks until cond holds, re-checking after every Bot API call
// and webhook delivery. The deadline catches a hang; it is not a speed
// assertion.
func (w *world) waitFor(what string, cond func() bool) {
	w.t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		next := w.obs.next()
		if cond() {
			return
		}
		select {
		case <-next:
		case <-deadline.C:
			w.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (w *world) messages(chat int64) []botMessage {
	w.t.Helper()
	ms, err := w.emu.messages(chat)
	if err != nil {
		w.t.Fatalf("read the emulator: %v", err)
	}
	return ms
}

// say sends text from u and returns the first new bot message in u's chat.
func (w *world) say(u user, text string) botMessage {
	w.t.Helper()
	n := len(w.messages(u.ID))
	if err := w.emu.send(u, text); err != nil {
		w.t.Fatalf("send %q: %v", text, err)
	}
	return w.nextMessage(u.ID, n, "reply to "+text)
}

// nextMessage waits until chat has more than n bot messages and returns
// message n, the first new one.
func (w *world) nextMessage(chat int64, n int, what string) botMessage {
	w.t.Helper()
	var ms []botMessage
	w.waitFor(what, func() bool { ms = w.messages(chat); return len(ms) > n })
	return ms[n]
}

// waitMessage waits for a bot message in chat whose text has sub and
// returns the newest such.
func (w *world) waitMessage(chat int64, sub string) botMessage {
	w.t.Helper()
	var m botMessage
	w.waitFor("message with "+sub, func() bool {
		ms := w.messages(chat)
		for i := len(ms) - 1; i >= 0; i-- {
			if strings.Contains(ms[i].Plain, sub) {
				m = ms[i]
				return true
			}
		}
		return false
	})
	return m
}

// press presses the button labelled label on m and returns the toast the
// bot answered with.
func (w *world) press(u user, m botMessage, label string) string {
	w.t.Helper()
	var data string
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.Text == label {
				data = b.CallbackData
			}
		}
	}
	if data == "" {
		w.t.Fatalf("no button %q on %q (buttons %v)", label, m.Plain, labels(m))
	}
	n := len(w.obs.answered())
	if err := w.emu.press(u, m, data); err != nil {
		w.t.Fatalf("press %q: %v", label, err)
	}
	var as []answer
	w.waitFor("answer to "+label, func() bool { as = w.obs.answered(); return len(as) > n })
	return as[n].Text
}

// labels lists a message's button texts, row by row.
func labels(m botMessage) [][]string {
	var out [][]string
	for _, row := range m.Buttons {
		var r []string
		for _, b := range row {
			r = append(r, b.Text)
		}
		out = append(out, r)
	}
	return out
}

func hasButtons(m botMessage, want ...string) bool {
	all := slices.Concat(labels(m)...)
	for _, w := range want {
		if !slices.Contains(all, w) {
			return false
		}
	}
	return true
}

// hasMenu reports whether a menu with command was set for chat (0: the
// default scope, for everyone).
func hasMenu(t *testing.T, menus []menu, chat int64, command string) bool {
	t.Helper()
	for _, m := range menus {
		var scope struct {
			ChatID int64 `json:"chat_id"`
		}
		if m.Scope != "" {
			if err := json.Unmarshal([]byte(m.Scope), &scope); err != nil {
				t.Fatalf("menu scope %q: %v", m.Scope, err)
			}
		}
		var cmds []struct {
			Command string `json:"command"`
		}
		if err := json.Unmarshal([]byte(m.Commands), &cmds); err != nil {
			t.Fatalf("menu commands %q: %v", m.Commands, err)
		}
		for _, c := range cmds {
			if scope.ChatID == chat && c.Command == command {
				return true
			}
		}
	}
	return false
}

// cadreOf returns the village cadre of village in the demo roster.
func cadreOf(t *testing.T, village string) user {
	t.Helper()
	cs := roster.Demo().CadresOf(village)
	if len(cs) == 0 {
		t.Fatalf("the demo roster has no cadre for %s", village)
	}
	return user{ID: int64(cs[0].TelegramID), FirstName: cs[0].Name}
}

// TestTicketLifecycleOnEmulator follows one ticket from a resident's
// /start to their rating, with every message and button going through
// telegram-test-api and the hotline's webhook.
func TestTicketLifecycleOnEmulator(t *testing.T) {
	w := newWorld(t)
	cadre := cadreOf(t, "翟各庄村")
	resident := user{ID: 900000001, FirstName: "张大爷"}

	emulatorStaffStart(t, w, cadre)
	emulatorRegister(t, w, resident)
	number, card := emulatorReport(t, w, resident, cadre)
	accepted := emulatorAccept(t, w, resident, cadre, card)
	emulatorResolve(t, w, cadre, accepted, number)
	emulatorRate(t, w, resident, number)
}

// emulatorStaffStart: the cadre has started the bot, so cards can reach
// him; his chat gets the staff menu.
func emulatorStaffStart(t *testing.T, w *world, cadre user) {
	t.Helper()
	if got := w.say(cadre, "/start"); !strings.Contains(got.Plain, cadre.FirstName) || !strings.Contains(got.Plain, "包村干部") {
		t.Errorf("cadre's greeting = %q", got.Plain)
	}
	w.waitFor("the staff menu of "+cadre.FirstName, func() bool { return hasMenu(t, w.obs.menusSet(), cadre.ID, "tasks") })
	if !hasMenu(t, w.obs.menusSet(), 0, "start") {
		t.Errorf("no residents' menu among %v", w.obs.menusSet())
	}
}

// emulatorRegister: registration through the inline keyboards.
func emulatorRegister(t *testing.T, w *world, resident user) {
	t.Helper()
	welcome := w.say(resident, "/start")
	if !strings.Contains(welcome.Plain, "哪个片区") || !hasButtons(welcome, "东片区") {
		t.Fatalf("welcome = %q, buttons %v", welcome.Plain, labels(welcome))
	}
	w.press(resident, welcome, "东片区")
	menu := w.waitMessage(resident.ID, "请选择您住的村")
	if menu.ID != welcome.ID || !hasButtons(menu, "翟各庄村") {
		t.Errorf("village menu = message %d %q, buttons %v; want an edit of the welcome (%d)", menu.ID, menu.Plain, labels(menu), welcome.ID)
	}
	w.press(resident, menu, "翟各庄村")
	w.waitMessage(resident.ID, "已登记您住在 翟各庄村")
	q := w.waitMessage(resident.ID, "70 岁以上")
	if !hasButtons(q, "是", "不是", "跳过") {
		t.Errorf("question buttons = %v", labels(q))
	}
	w.press(resident, q, "跳过")
	w.waitMessage(resident.ID, "登记完成")
}

// emulatorReport: the report gets a receipt to the resident and a card to
// the cadre; it returns the ticket's number and the card.
func emulatorReport(t *testing.T, w *world, resident, cadre user) (string, botMessage) {
	t.Helper()
	cards := len(w.messages(cadre.ID))
	receipt := w.say(resident, "翟各庄村口的路灯坏了一个星期了")
	for _, want := range []string{"工单编号", "道路与照明", cadre.FirstName + "（包村干部）", "办结时限"} {
		if !strings.Contains(receipt.Plain, want) {
			t.Errorf("receipt lacks %q: %q", want, receipt.Plain)
		}
	}
	_, after, ok := strings.Cut(receipt.Plain, "工单编号：")
	if !ok || len(strings.Fields(after)) == 0 {
		t.Fatalf("receipt has no number: %q", receipt.Plain)
	}
	number := strings.Fields(after)[0]
	card := w.nextMessage(cadre.ID, cards, "card to "+cadre.FirstName)
	for _, want := range []string{number, "道路与照明", "翟各庄村", "路灯坏了一个星期了", "待接单", "接单时限"} {
		if !strings.Contains(card.Plain, want) {
			t.Errorf("card lacks %q: %q", want, card.Plain)
		}
	}
	if !hasButtons(card, "接单") {
		t.Fatalf("card buttons = %v", labels(card))
	}
	return number, card
}

// emulatorAccept: 接单 gives the toast, tells the resident and edits the
// card in place; it returns the edited card.
func emulatorAccept(t *testing.T, w *world, resident, cadre user, card botMessage) botMessage {
	t.Helper()
	if got := w.press(cadre, card, "接单"); got != "已接单" {
		t.Errorf("accept toast = %q", got)
	}
	w.waitMessage(resident.ID, "已由 "+cadre.FirstName+"（包村干部） 接单")
	var accepted botMessage
	w.waitFor("card edited to 办理中", func() bool {
		for _, m := range w.messages(cadre.ID) {
			if m.ID == card.ID && strings.Contains(m.Plain, "办理中") {
				accepted = m
				return true
			}
		}
		return false
	})
	if !hasButtons(accepted, "办结") || hasButtons(accepted, "接单") {
		t.Errorf("accepted card buttons = %v", labels(accepted))
	}
	return accepted
}

// emulatorResolve: 办结 and the note.
func emulatorResolve(t *testing.T, w *world, cadre user, accepted botMessage, number string) {
	t.Helper()
	if got := w.press(cadre, accepted, "办结"); got != "请回复一句办理结果" {
		t.Errorf("resolve toast = %q", got)
	}
	w.waitMessage(cadre.ID, "请回复一句办理结果")
	if ack := w.say(cadre, "已更换灯泡，恢复照明"); !strings.Contains(ack.Plain, number) || !strings.Contains(ack.Plain, "已办结") {
		t.Errorf("note acknowledgement = %q", ack.Plain)
	}
}

// emulatorRate: the resident gets the result and rates it.
func emulatorRate(t *testing.T, w *world, resident user, number string) {
	t.Helper()
	resolved := w.waitMessage(resident.ID, "已办结")
	if !strings.Contains(resolved.Plain, "已更换灯泡，恢复照明") || !strings.Contains(resolved.Plain, "满意度") {
		t.Errorf("result = %q", resolved.Plain)
	}
	if !hasButtons(resolved, "1", "2", "3", "4", "5", "未解决") {
		t.Fatalf("result buttons = %v", labels(resolved))
	}
	if got := w.press(resident, resolved, "5"); got != "谢谢您的评价！" {
		t.Errorf("rating toast = %q", got)
	}
	thanks := w.waitMessage(resident.ID, "感谢您的评价（5 分）")
	if !strings.Contains(thanks.Plain, number) {
		t.Errorf("thanks = %q", thanks.Plain)
	}
}
