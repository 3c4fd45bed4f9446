package botsim

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func updateIDs(t *testing.T, r reply) []int64 {
	t.Helper()
	if !r.OK {
		t.Fatalf("getUpdates failed: %d %s", r.ErrorCode, r.Description)
	}
	var ups []wireUpdate
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		t.Fatal(err)
	}
	ids := []int64{}
	for _, u := range ups {
		ids = append(ids, u.UpdateID)
	}
	return ids
}

func TestGetUpdatesOffsetAndLimit(t *testing.T) {
	s, ts := newTestServer(t, WithFirstUpdateID(100))
	for i := range 5 {
		s.SendText(alice, "m"+string(rune('0'+i)))
	}
	get := func(form url.Values) []int64 { return updateIDs(t, call(t, ts, "getUpdates", form)) }
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"all", url.Values{}, "[100 101 102 103 104]"},
		{"limit", url.Values{"limit": {"2"}}, "[100 101]"},
		{"limit out of range means 100", url.Values{"limit": {"0"}}, "[100 101 102 103 104]"},
		{"offset confirms earlier", url.Values{"offset": {"102"}}, "[102 103 104]"},
		{"confirmed stay gone", url.Values{}, "[102 103 104]"},
		{"negative offset keeps the last", url.Values{"offset": {"-1"}}, "[104]"},
		{"only the last is left", url.Values{}, "[104]"},
		{"past the end", url.Values{"offset": {"105"}}, "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmtIDs(get(tt.form)); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
	if s.PendingUpdates() != 0 {
		t.Fatalf("pending = %d", s.PendingUpdates())
	}
	if r := call(t, ts, "getUpdates", url.Values{"allowed_updates": {"nope"}}); r.ErrorCode != 400 {
		t.Fatalf("bad allowed_updates: %+v", r)
	}
}

func fmtIDs(ids []int64) string {
	b, _ := json.Marshal(ids)
	return strings.ReplaceAll(string(b), ",", " ")
}

func TestGetUpdatesAllowedUpdates(t *testing.T) {
	s, ts := newTestServer(t)
	s.AddUser(alice)
	resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"x"}, "reply_markup": {keyboardJSON}}))
	s.SendText(alice, "文字")
	if _, err := s.SendCallback(alice, 1, "acc:1"); err != nil {
		t.Fatal(err)
	}
	got := updateIDs(t, call(t, ts, "getUpdates", url.Values{"allowed_updates": {`["callback_query"]`}}))
	if fmtIDs(got) != "[2]" {
		t.Fatalf("got %v", got)
	}
}

func TestLongPollWakesOnUpdate(t *testing.T) {
	s, ts := newTestServer(t)
	done := make(chan []int64)
	go func() {
		done <- updateIDs(t, call(t, ts, "getUpdates", url.Values{"timeout": {"50"}}))
	}()
	waitFor(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.updates.poll != nil
	})
	id := s.SendText(alice, "醒醒")
	if got := <-done; len(got) != 1 || got[0] != id {
		t.Fatalf("got %v", got)
	}
}

func TestLongPollConflictAndCancel(t *testing.T) {
	s, ts := newTestServer(t)
	first := make(chan reply)
	go func() { first <- call(t, ts, "getUpdates", url.Values{"timeout": {"50"}}) }()
	waitFor(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.updates.poll != nil
	})
	// A second poller ends the first with 409, as Telegram does.
	ctx, cancel := context.WithCancel(context.Background())
	second := make(chan error)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/botX/getUpdates?timeout=50", nil)
		_, err := http.DefaultClient.Do(req)
		second <- err
	}()
	r := <-first
	if r.ErrorCode != 409 || !strings.Contains(r.Description, "terminated by other getUpdates request") {
		t.Fatalf("first poll = %+v", r)
	}
	// The second one ends when its client goes away.
	cancel()
	if err := <-second; err == nil {
		t.Fatal("cancelled poll returned no error")
	}
	waitFor(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.updates.poll == nil
	})
	// Close ends a parked poll with an empty result.
	third := make(chan []int64)
	go func() { third <- updateIDs(t, call(t, ts, "getUpdates", url.Values{"timeout": {"50"}})) }()
	waitFor(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.updates.poll != nil
	})
	s.Close()
	if got := <-third; len(got) != 0 {
		t.Fatalf("after Close got %v", got)
	}
}

// noWait is a SleepFunc for tests: retries happen at once.
func noWait(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func TestWebhookDelivery(t *testing.T) {
	var hits atomic.Int32
	got := make(chan wireUpdate, 8)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cret" {
			t.Errorf("secret header = %q", r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		}
		if hits.Add(1) <= 2 {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		var u wireUpdate
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
			t.Error(err)
		}
		got <- u
	}))
	defer target.Close()

	s, ts := newTestServer(t, WithSleep(noWait))
	id1 := s.SendText(alice, "一")
	if r := call(t, ts, "setWebhook", url.Values{"url": {"ftp://x"}}); r.ErrorCode != 400 {
		t.Fatalf("ftp webhook accepted: %+v", r)
	}
	if r := call(t, ts, "setWebhook", url.Values{"url": {target.URL}, "secret_token": {"bad secret!"}}); r.ErrorCode != 400 {
		t.Fatalf("bad secret accepted: %+v", r)
	}
	if r := call(t, ts, "setWebhook", url.Values{"url": {target.URL}, "secret_token": {"s3cret"}}); !r.OK {
		t.Fatal(r.Description)
	}
	if u := <-got; u.UpdateID != id1 || u.Message.Text != "一" {
		t.Fatalf("first delivery = %+v", u)
	}
	id2 := s.SendText(alice, "二")
	if u := <-got; u.UpdateID != id2 {
		t.Fatalf("second delivery = %+v", u)
	}
	if hits.Load() != 4 {
		t.Fatalf("hits = %d, want 4 (two failures retried)", hits.Load())
	}
	if r := call(t, ts, "getUpdates", url.Values{}); r.ErrorCode != 409 || !strings.Contains(r.Description, "webhook is active") {
		t.Fatalf("getUpdates with webhook = %+v", r)
	}
	var info wireWebhookInfo
	r := call(t, ts, "getWebhookInfo", nil)
	if err := json.Unmarshal(r.Result, &info); err != nil {
		t.Fatal(err)
	}
	if info.URL != target.URL || !strings.Contains(info.LastErrorMessage, "500") || info.LastErrorDate == 0 || info.MaxConnections != 40 {
		t.Fatalf("webhook info = %+v", info)
	}
	if r := call(t, ts, "deleteWebhook", url.Values{"drop_pending_updates": {"true"}}); !r.OK {
		t.Fatal(r.Description)
	}
	if s.WebhookURL() != "" {
		t.Fatal("webhook still set")
	}
	s.SendText(alice, "三")
	if ids := updateIDs(t, call(t, ts, "getUpdates", url.Values{})); len(ids) != 1 {
		t.Fatalf("after deleteWebhook got %v", ids)
	}
}

func TestWebhookWithClient(t *testing.T) {
	s, ts := newTestServer(t, WithSleep(noWait))
	s.AddUser(alice)
	got := make(chan *models.Update, 4)
	b := newClient(t, ts, tg.WithSkipGetMe(), tg.WithWebhookSecretToken("tok"), tg.WithNotAsyncHandlers(),
		tg.WithDefaultHandler(func(_ context.Context, _ *tg.Bot, u *models.Update) { got <- u }))
	hook := httptest.NewServer(b.WebhookHandler())
	defer hook.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		b.StartWebhook(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	if ok, err := b.SetWebhook(ctx, &tg.SetWebhookParams{URL: hook.URL, SecretToken: "tok"}); !ok || err != nil {
		t.Fatalf("SetWebhook = %v, %v", ok, err)
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil || info.URL != hook.URL {
		t.Fatalf("GetWebhookInfo = %+v, %v", info, err)
	}
	id := s.SendText(alice, "/start")
	if u := <-got; u.ID != id || u.Message.Text != "/start" {
		t.Fatalf("update = %+v", u)
	}
	if ok, err := b.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); !ok || err != nil {
		t.Fatalf("DeleteWebhook = %v, %v", ok, err)
	}
}

// With several connections, deliveries of different chats overlap while
// each chat's updates go one after another, the next only once the one
// before was answered, as Telegram does.
func TestWebhookParallelKeepsChatOrder(t *testing.T) {
	bob := User{ID: 900000002, FirstName: "Bob"}
	type delivery struct {
		u       wireUpdate
		release chan struct{}
	}
	arrived := make(chan delivery)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u wireUpdate
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
			t.Error(err)
		}
		d := delivery{u, make(chan struct{})}
		arrived <- d
		<-d.release
	}))
	defer target.Close()
	s, ts := newTestServer(t, WithSleep(noWait))
	a1 := s.SendText(alice, "一")
	a2 := s.SendText(alice, "二")
	b1 := s.SendText(bob, "三")
	if r := call(t, ts, "setWebhook", url.Values{"url": {target.URL}, "max_connections": {"3"}}); !r.OK {
		t.Fatal(r.Description)
	}
	// Alice's first and Bob's are in flight together; Alice's second
	// waits for her first, however many connections are free.
	first := map[int64]delivery{}
	for range 2 {
		d := <-arrived
		first[d.u.UpdateID] = d
	}
	if _, ok := first[a1]; !ok {
		t.Fatalf("in flight: %v, want %d and %d", first, a1, b1)
	}
	if _, ok := first[b1]; !ok {
		t.Fatalf("in flight: %v, want %d and %d", first, a1, b1)
	}
	select {
	case d := <-arrived:
		t.Fatalf("update %d delivered while alice's first was unanswered", d.u.UpdateID)
	default:
	}
	close(first[b1].release)
	close(first[a1].release)
	d := <-arrived
	if d.u.UpdateID != a2 {
		t.Fatalf("next delivery = %d, want %d", d.u.UpdateID, a2)
	}
	close(d.release)
	waitFor(t, func() bool { return s.PendingUpdates() == 0 })
}
