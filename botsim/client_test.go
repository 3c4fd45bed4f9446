package botsim

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// newClient returns a go-telegram/bot client pointed at the simulator.
func newClient(t *testing.T, ts *httptest.Server, opts ...tg.Option) *tg.Bot {
	t.Helper()
	b, err := tg.New("123:abc", append([]tg.Option{tg.WithServerURL(ts.URL)}, opts...)...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// startPolling runs b.Start until the test ends and returns the updates the
// default handler sees.
func startPolling(t *testing.T, ts *httptest.Server, opts ...tg.Option) (*tg.Bot, <-chan *models.Update) {
	t.Helper()
	ch := make(chan *models.Update, 16)
	// Handlers run one at a time so that updates arrive in order.
	opts = append(opts, tg.WithNotAsyncHandlers(),
		tg.WithDefaultHandler(func(_ context.Context, _ *tg.Bot, u *models.Update) { ch <- u }))
	b := newClient(t, ts, opts...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		b.Start(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return b, ch
}

func inlineKeyboard() *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: "受理", CallbackData: "acc:7"}, {Text: "转派", CallbackData: "fwd:7"},
	}}}
}

func TestClientRoundTrip(t *testing.T) {
	s, ts := newTestServer(t)
	s.AddUser(alice)
	for _, skip := range []bool{false, true} {
		var opts []tg.Option
		if skip {
			opts = append(opts, tg.WithSkipGetMe())
		}
		newClient(t, ts, opts...)
	}
	if got := s.CallCount("getMe"); got != 1 {
		t.Fatalf("getMe calls = %d, want 1 (one client skipped it)", got)
	}

	b := newClient(t, ts, tg.WithSkipGetMe())
	ctx := context.Background()
	me, err := b.GetMe(ctx)
	if err != nil || !me.IsBot || me.Username != "hotline_sim_bot" {
		t.Fatalf("GetMe = %+v, %v", me, err)
	}
	msg := roundTripSendAndEdit(t, b)
	roundTripChatCalls(t, b, msg)
	roundTripRefusals(t, b)
}

// roundTripSendAndEdit sends an HTML message with buttons through the
// client, edits it, and returns it.
func roundTripSendAndEdit(t *testing.T, b *tg.Bot) *models.Message {
	t.Helper()
	ctx := context.Background()
	msg, err := b.SendMessage(ctx, &tg.SendMessageParams{
		ChatID: alice.ID, Text: "<b>工单 7</b>：水管漏水", ParseMode: models.ParseModeHTML,
		ReplyMarkup:        inlineKeyboard(),
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
	})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	if msg.ID != 1 || msg.Text != "工单 7：水管漏水" || msg.Chat.ID != alice.ID || len(msg.Entities) != 1 ||
		msg.ReplyMarkup == nil || msg.ReplyMarkup.InlineKeyboard[0][1].CallbackData != "fwd:7" {
		t.Fatalf("SendMessage result = %+v", msg)
	}
	edited, err := b.EditMessageText(ctx, &tg.EditMessageTextParams{
		ChatID: alice.ID, MessageID: msg.ID, Text: "<b>工单 7</b>：已受理", ParseMode: models.ParseModeHTML,
	})
	if err != nil || edited.Text != "工单 7：已受理" || edited.EditDate == 0 || edited.ReplyMarkup != nil {
		t.Fatalf("EditMessageText = %+v, %v", edited, err)
	}
	_, err = b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: alice.ID, MessageID: msg.ID, Text: "<b>工单 7</b>：已受理", ParseMode: models.ParseModeHTML})
	if !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "message is not modified") {
		t.Fatalf("identical edit: %v", err)
	}
	return msg
}

// roundTripChatCalls: markup edits, chat actions, commands and deletion
// go through the client.
func roundTripChatCalls(t *testing.T, b *tg.Bot, msg *models.Message) {
	t.Helper()
	ctx := context.Background()
	if _, err := b.EditMessageReplyMarkup(ctx, &tg.EditMessageReplyMarkupParams{ChatID: alice.ID, MessageID: msg.ID, ReplyMarkup: inlineKeyboard()}); err != nil {
		t.Fatalf("EditMessageReplyMarkup: %v", err)
	}
	if ok, err := b.SendChatAction(ctx, &tg.SendChatActionParams{ChatID: alice.ID, Action: models.ChatActionTyping}); !ok || err != nil {
		t.Fatalf("SendChatAction = %v, %v", ok, err)
	}
	if ok, err := b.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "start", Description: "开始"}}}); !ok || err != nil {
		t.Fatalf("SetMyCommands = %v, %v", ok, err)
	}
	if ok, err := b.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: alice.ID, MessageID: msg.ID}); !ok || err != nil {
		t.Fatalf("DeleteMessage = %v, %v", ok, err)
	}
}

// roundTripRefusals: the client sees Telegram's 400s as ErrorBadRequest.
func roundTripRefusals(t *testing.T, b *tg.Bot) {
	t.Helper()
	ctx := context.Background()
	if _, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: 777, Text: "x"}); !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "chat not found") {
		t.Fatalf("unknown chat: %v", err)
	}
	if _, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: alice.ID, Text: "a < b", ParseMode: models.ParseModeHTML}); !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "can't parse entities") {
		t.Fatalf("bad HTML: %v", err)
	}
}

func TestClientPolling(t *testing.T) {
	s, ts := newTestServer(t)
	s.AddUser(alice)
	b, updates := startPolling(t, ts)

	id := pollText(t, s, updates)
	pollCallback(t, s, b, updates)
	pollMedia(t, s, updates)
	pollRedelivery(t, s, updates, id)
	pollBlocking(t, s, updates)
}

// pollText: a command reaches the polling client with its entity; it
// returns the update's id.
func pollText(t *testing.T, s *Server, updates <-chan *models.Update) int64 {
	t.Helper()
	id := s.SendText(alice, "/start")
	u := <-updates
	if u.ID != id || u.Message == nil || u.Message.Text != "/start" || u.Message.From.ID != alice.ID ||
		len(u.Message.Entities) != 1 || u.Message.Entities[0].Type != models.MessageEntityTypeBotCommand {
		t.Fatalf("text update = %+v", u)
	}
	return id
}

// pollCallback: a button press arrives with the message it was pressed on,
// and the client can answer it.
func pollCallback(t *testing.T, s *Server, b *tg.Bot, updates <-chan *models.Update) {
	t.Helper()
	ctx := context.Background()
	msg, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: alice.ID, Text: "请选择", ReplyMarkup: inlineKeyboard()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendCallback(alice, msg.ID, "fwd:7"); err != nil {
		t.Fatal(err)
	}
	u := <-updates
	cq := u.CallbackQuery
	if cq == nil || cq.Data != "fwd:7" || cq.From.ID != alice.ID {
		t.Fatalf("callback update = %+v", u)
	}
	if cq.Message.Message == nil || cq.Message.Message.ID != msg.ID || cq.Message.Message.Text != "请选择" ||
		cq.Message.Message.Chat.ID != alice.ID || cq.Message.Message.ReplyMarkup == nil {
		t.Fatalf("callback message not accessible: %+v", cq.Message)
	}
	if ok, err := b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: cq.ID, Text: "已转派"}); !ok || err != nil {
		t.Fatalf("AnswerCallbackQuery = %v, %v", ok, err)
	}
	if a := s.AnsweredCallbacks(); len(a) != 1 || a[0].Text != "已转派" {
		t.Fatalf("answers = %+v", a)
	}
}

// pollMedia: a contact, a location, a photo and a venue arrive in the
// order sent.
func pollMedia(t *testing.T, s *Server, updates <-chan *models.Update) {
	t.Helper()
	s.SendContact(alice, "13800000000")
	s.SendLocation(alice, 30.27, 120.15)
	s.SendPhoto(alice, "漏水照片")
	if u := <-updates; u.Message.Contact == nil || u.Message.Contact.PhoneNumber != "13800000000" || u.Message.Contact.UserID != alice.ID {
		t.Fatalf("contact = %+v", u.Message)
	}
	if u := <-updates; u.Message.Location == nil || u.Message.Location.Latitude != 30.27 || u.Message.Venue != nil {
		t.Fatalf("location = %+v", u.Message)
	}
	if u := <-updates; len(u.Message.Photo) != 2 || u.Message.Caption != "漏水照片" || u.Message.Photo[1].FileID == "" {
		t.Fatalf("photo = %+v", u.Message)
	}
	s.SendVenue(alice, 30.25, 120.17, "西湖", "杭州市西湖区")
	if u := <-updates; u.Message.Location == nil || u.Message.Venue == nil || u.Message.Venue.Title != "西湖" ||
		u.Message.Venue.Address != "杭州市西湖区" || u.Message.Venue.Location.Longitude != 120.17 {
		t.Fatalf("venue = %+v", u.Message)
	}
}

// pollRedelivery: redelivery repeats the update id; the next new update
// still arrives.
func pollRedelivery(t *testing.T, s *Server, updates <-chan *models.Update, id int64) {
	t.Helper()
	if err := s.Redeliver(id); err != nil {
		t.Fatal(err)
	}
	if u := <-updates; u.ID != id || u.Message.Text != "/start" {
		t.Fatalf("redelivered = %+v", u)
	}
	next := s.SendText(alice, "还在吗")
	if u := <-updates; u.ID != next {
		t.Fatalf("after redelivery got %d, want %d", u.ID, next)
	}
	if err := s.Redeliver(99999); err == nil {
		t.Fatal("Redeliver of an unknown update succeeded")
	}
}

// pollBlocking: blocking and coming back reach the bot as my_chat_member
// updates.
func pollBlocking(t *testing.T, s *Server, updates <-chan *models.Update) {
	t.Helper()
	s.Block(alice.ID)
	s.Block(alice.ID) // no change, no update
	if u := <-updates; u.MyChatMember == nil || u.MyChatMember.NewChatMember.Type != models.ChatMemberTypeBanned ||
		u.MyChatMember.OldChatMember.Type != models.ChatMemberTypeMember || u.MyChatMember.From.ID != alice.ID ||
		u.MyChatMember.Chat.ID != alice.ID {
		t.Fatalf("block update = %+v", u)
	}
	back := s.SendText(alice, "/start")
	if u := <-updates; u.MyChatMember == nil || u.MyChatMember.NewChatMember.Type != models.ChatMemberTypeMember {
		t.Fatalf("unblock update = %+v", u)
	}
	if u := <-updates; u.ID != back {
		t.Fatalf("message after unblocking = %+v", u)
	}
}

func TestClientFaults(t *testing.T) {
	s, ts := newTestServer(t)
	s.AddUser(alice)
	b := newClient(t, ts, tg.WithSkipGetMe())
	ctx := context.Background()
	send := func() error {
		_, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: alice.ID, Text: "通知"})
		return err
	}

	s.FailNext("sendMessage", 1, 429, 7)
	var tooMany *tg.TooManyRequestsError
	if err := send(); !errors.As(err, &tooMany) || tooMany.RetryAfter != 7 {
		t.Fatalf("429: %v", err)
	}
	s.FailNext("sendMessage", 2, 500, 0)
	for range 2 {
		if err := send(); err == nil || !strings.Contains(err.Error(), "500 Internal Server Error") {
			t.Fatalf("500: %v", err)
		}
	}
	s.FailNext("sendMessage", 1, 400, 0)
	if err := send(); !errors.Is(err, tg.ErrorBadRequest) {
		t.Fatalf("400: %v", err)
	}
	if err := send(); err != nil {
		t.Fatalf("after the scripted faults: %v", err)
	}
	s.Block(alice.ID)
	if err := send(); !errors.Is(err, tg.ErrorForbidden) || !strings.Contains(err.Error(), "bot was blocked by the user") {
		t.Fatalf("403: %v", err)
	}
	if _, err := b.SendChatAction(ctx, &tg.SendChatActionParams{ChatID: alice.ID, Action: models.ChatActionTyping}); !errors.Is(err, tg.ErrorForbidden) {
		t.Fatalf("403 chat action: %v", err)
	}
	s.SendText(alice, "/start") // writing again unblocks
	if err := send(); err != nil {
		t.Fatalf("after unblock: %v", err)
	}
	s.Block(alice.ID)
	s.Unblock(alice.ID)
	if err := send(); err != nil {
		t.Fatalf("after Unblock: %v", err)
	}
	if s.Sent() != 3 || s.CallCount("sendMessage") != 8 {
		t.Fatalf("Sent = %d, calls = %d", s.Sent(), s.CallCount("sendMessage"))
	}
}

func TestSlowResponseHonoursContext(t *testing.T) {
	entered := make(chan struct{})
	slow := func(ctx context.Context, _ time.Duration) error {
		close(entered)
		<-ctx.Done()
		return ctx.Err()
	}
	s, ts := newTestServer(t, WithSleep(slow))
	s.AddUser(alice)
	b := newClient(t, ts, tg.WithSkipGetMe())
	s.DelayNext("sendMessage", 1, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-entered
		cancel()
	}()
	if _, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: alice.ID, Text: "慢"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if _, err := b.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: alice.ID, Text: "快"}); err != nil {
		t.Fatal(err)
	}
	if msgs := s.Messages(alice.ID); len(msgs) != 1 || msgs[0].Text != "快" {
		t.Fatalf("messages = %+v", msgs)
	}
}

// FailChat refuses the calls to one chat while the others go through.
func TestClientChatFaults(t *testing.T) {
	bob := User{ID: 1002, FirstName: "阿波"}
	s, ts := newTestServer(t)
	s.AddUser(alice)
	s.AddUser(bob)
	b := newClient(t, ts, tg.WithSkipGetMe())
	ctx := context.Background()
	send := func(chat int64) error {
		_, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: chat, Text: "通知"})
		return err
	}
	s.FailChat(alice.ID, 2, 429, 5)
	var tooMany *tg.TooManyRequestsError
	if err := send(alice.ID); !errors.As(err, &tooMany) || tooMany.RetryAfter != 5 {
		t.Fatalf("alice: %v", err)
	}
	if err := send(bob.ID); err != nil {
		t.Fatalf("bob: %v", err)
	}
	if err := send(alice.ID); !errors.As(err, &tooMany) {
		t.Fatalf("alice again: %v", err)
	}
	if err := send(alice.ID); err != nil {
		t.Fatalf("alice after her faults: %v", err)
	}
	if s.Sent() != 2 || s.Throttled() != 0 {
		t.Fatalf("sent %d, throttled %d", s.Sent(), s.Throttled())
	}
}
