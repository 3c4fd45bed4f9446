package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/botsim"
	"hotline/storage"
)

// apiWatch wakes waiters after every Bot API call, so tests wait on
// conditions rather than sleeping.
type apiWatch struct {
	mu      sync.Mutex
	cond    *sync.Cond
	expired bool
}

func newAPIWatch() *apiWatch {
	w := &apiWatch{}
	w.cond = sync.NewCond(&w.mu)
	return w
}

func (w *apiWatch) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(rw, r)
		w.mu.Lock()
		w.cond.Broadcast()
		w.mu.Unlock()
	})
}

func (w *apiWatch) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	w.waitWithin(t, what, 20*time.Second, cond)
}

// waitWithin waits for cond, checked after every Bot API call, and fails
// the test after guard: a hang, not a speed limit.
func (w *apiWatch) waitWithin(t *testing.T, what string, guard time.Duration, cond func() bool) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.expired = false
	timer := time.AfterFunc(guard, func() {
		w.mu.Lock()
		w.expired = true
		w.cond.Broadcast()
		w.mu.Unlock()
	})
	defer timer.Stop()
	for !cond() {
		if w.expired {
			t.Fatalf("timed out waiting for %s", what)
		}
		w.cond.Wait()
	}
}

// botMessage finds the newest bot message in chat containing sub.
func botMessage(sim *botsim.Server, chat int64, sub string) (botsim.Message, bool) {
	ms := sim.Messages(chat)
	for i := len(ms) - 1; i >= 0; i-- {
		if strings.Contains(ms[i].Plain, sub) {
			return ms[i], true
		}
	}
	return botsim.Message{}, false
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeLocalMode(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watch := newAPIWatch()
	cfg := serveConfig{DB: filepath.Join(t.TempDir(), "local.db"), Addr: "127.0.0.1:0", RosterEvery: time.Hour, wrapAPI: watch.wrap}
	s, err := startServe(ctx, cfg, testLog(t))
	if err != nil {
		t.Fatal(err)
	}

	if code, body := get(t, s.URL()+"healthz"); code != 200 || body != "ok" {
		t.Fatalf("healthz = %d %q", code, body)
	}
	if code, body := get(t, s.URL()); code != 200 || !strings.Contains(body, "<html") {
		t.Fatalf("chat page = %d %.80q", code, body)
	}
	if code, _ := get(t, s.URL()+"bot"+localToken+"/getMe"); code != http.StatusNotFound {
		t.Errorf("the Bot API must not be served on the page address: %d", code)
	}
	code, users := get(t, s.URL()+"api/users")
	if code != 200 || !strings.Contains(users, "曾令发") || !strings.Contains(users, "张大爷") {
		t.Fatalf("page users = %d %s", code, users)
	}

	// Act as a demo resident on the page: the bot answers through
	// go-telegram/bot, the handler and the sender.
	post := func(path string, body any) { pagePost(t, s.URL(), path, body) }
	chat := func(user int64) string { return pageChat(t, s.URL(), user) }
	post("api/send", map[string]any{"user": 900000001, "text": "/start"})
	watch.waitFor(t, "welcome on the page", func() bool { return strings.Contains(chat(900000001), "哪个片区") })

	// The demo roster is in the database, so it is visible to the tools.
	store, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	err = store.View(ctx, func(tx *storage.Tx) error {
		r, ok, err := tx.Roster(ctx)
		if err == nil && (!ok || len(r.Staff) == 0) {
			err = errors.New("no roster imported")
		}
		return err
	})
	store.Close()
	if err != nil {
		t.Fatal(err)
	}

	cancel()
	if err := s.Wait(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if _, err := http.Get(s.URL() + "healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
}

// TestServeWithToken runs the production wiring against a stand-in for
// Telegram: long polling, then webhook mode with its secret.
func TestServeWithToken(t *testing.T) {
	const token = "42:prod"
	sim := botsim.New(botsim.WithToken(token))
	watch := newAPIWatch()
	api := httptest.NewServer(watch.wrap(sim.Handler()))
	defer api.Close()
	defer sim.Close()
	resident := botsim.User{ID: 900000009, FirstName: "孙大妈"}
	sim.AddUser(resident)
	db := filepath.Join(t.TempDir(), "prod.db")

	t.Run("polling", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// The last run journalled this update and stopped before processing
		// it: the start replays it.
		store, err := storage.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		raw := `{"update_id":555,"message":{"message_id":1,"date":1764300000,"from":{"id":900000009,"is_bot":false,"first_name":"孙大妈"},"chat":{"id":900000009,"type":"private"},"text":"/help"}}`
		if err := store.JournalUpdate(ctx, 555, []byte(raw), time.Now()); err != nil {
			t.Fatal(err)
		}
		store.Close()
		s, err := startServe(ctx, serveConfig{DB: db, Addr: "127.0.0.1:0", Token: token, APIURL: api.URL, RosterEvery: time.Hour}, testLog(t))
		if err != nil {
			t.Fatal(err)
		}
		watch.waitFor(t, "the replayed update's reply", func() bool {
			_, ok := botMessage(sim, resident.ID, "使用说明")
			return ok
		})
		sim.SendText(resident, "/start")
		watch.waitFor(t, "welcome", func() bool {
			m, ok := sim.LastMessage(resident.ID)
			return ok && strings.Contains(m.Plain, "哪个片区")
		})
		watch.waitFor(t, "command menu", func() bool { return len(sim.Commands(resident.ID)) > 0 })
		cancel()
		if err := s.Wait(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("webhook", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		cfg := serveConfig{DB: db, Addr: "127.0.0.1:0", Token: token, APIURL: api.URL, RosterEvery: time.Hour,
			WebhookURL: "https://hotline.example.org/tg/hook", WebhookSecret: "s3cret"}
		s, err := startServe(ctx, cfg, testLog(t))
		if err != nil {
			t.Fatal(err)
		}
		if got := sim.WebhookURL(); got != cfg.WebhookURL {
			t.Fatalf("webhook set to %q", got)
		}
		n := sim.BotMessageCount(resident.ID)
		update := `{"update_id":777001,"message":{"message_id":9001,"date":1764300000,"from":{"id":900000009,"is_bot":false,"first_name":"孙大妈"},"chat":{"id":900000009,"type":"private","first_name":"孙大妈"},"text":"/help"}}`
		hook := func(secret string) int {
			req, _ := http.NewRequest(http.MethodPost, s.URL()+"tg/hook", strings.NewReader(update))
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if code := hook("wrong"); code != http.StatusUnauthorized {
			t.Errorf("wrong secret = %d", code)
		}
		if code := hook("s3cret"); code != http.StatusOK {
			t.Fatalf("webhook = %d", code)
		}
		watch.waitFor(t, "help via webhook", func() bool { return sim.BotMessageCount(resident.ID) > n })
		if m, _ := sim.LastMessage(resident.ID); !strings.Contains(m.Plain, "使用说明") {
			t.Errorf("reply = %q", m.Plain)
		}
		cancel()
		if err := s.Wait(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestServeConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	var errBuf bytes.Buffer
	io := stdio{out: io.Discard, err: &errBuf}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		err  error
	}{
		{"local", []string{"--db", "x.db", "--addr", "127.0.0.1:0"}, nil, nil},
		{"token and webhook", nil, map[string]string{"TELEGRAM_BOT_TOKEN": "1:a", "TELEGRAM_WEBHOOK_URL": "https://h/x", "TELEGRAM_WEBHOOK_SECRET": "s"}, nil},
		{"webhook without token", nil, map[string]string{"TELEGRAM_WEBHOOK_URL": "https://h/x", "TELEGRAM_WEBHOOK_SECRET": "s"}, errUsage},
		{"webhook without secret", nil, map[string]string{"TELEGRAM_BOT_TOKEN": "1:a", "TELEGRAM_WEBHOOK_URL": "https://h/x"}, errUsage},
		{"stray argument", []string{"now"}, nil, errUsage},
		{"unknown flag", []string{"--port", "1"}, nil, errUsage},
		{"help", []string{"-h"}, nil, flag.ErrHelp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseServe(io, tc.args, env(tc.env))
			if !errors.Is(err, tc.err) {
				t.Errorf("err = %v, want %v", err, tc.err)
			}
		})
	}
	// The campaigns file comes from HOTLINE_CAMPAIGNS unless --campaigns says otherwise.
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, ""},
		{nil, map[string]string{"HOTLINE_CAMPAIGNS": "/etc/hotline/campaigns.yaml"}, "/etc/hotline/campaigns.yaml"},
		{[]string{"--campaigns", "mine.yaml"}, map[string]string{"HOTLINE_CAMPAIGNS": "/etc/hotline/campaigns.yaml"}, "mine.yaml"},
	} {
		cfg, err := parseServe(io, tc.args, env(tc.env))
		if err != nil || cfg.Campaigns != tc.want || cfg.FollowUpEvery != time.Minute {
			t.Errorf("%v %v: campaigns %q every %v, %v", tc.args, tc.env, cfg.Campaigns, cfg.FollowUpEvery, err)
		}
	}
	badCampaigns := filepath.Join(t.TempDir(), "campaigns.yaml")
	if err := os.WriteFile(badCampaigns, []byte("campaigns:\n  - id: x\n    kind: nonsense\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Bad settings stop the start, and nothing is left running.
	for name, cfg := range map[string]serveConfig{
		"bad campaigns":   {Campaigns: badCampaigns},
		"no campaigns":    {Campaigns: filepath.Join(t.TempDir(), "missing.yaml")},
		"bad SLA":         {SLA: "urgent=soon"},
		"bad address":     {Addr: "nowhere:-1"},
		"bad model":       {Model: filepath.Join(t.TempDir(), "missing.model")},
		"bad webhook URL": {Token: "1:a", APIURL: "http://127.0.0.1:1", WebhookURL: "ftp://x", WebhookSecret: "s"},
		"bad public URL":  {PublicURL: "hotline.example.gov.cn"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg.DB = filepath.Join(t.TempDir(), "bad.db")
			if cfg.Addr == "" {
				cfg.Addr = "127.0.0.1:0"
			}
			cfg.RosterEvery = time.Hour
			if _, err := startServe(context.Background(), cfg, testLog(t)); err == nil {
				t.Fatal("started")
			}
		})
	}
}

// TestServeRunsOutreach shows the scheduler running in the service: a
// notice recorded before the start is fanned out by nothing but its
// catch-up, and reaches the resident through the sender.
func TestServeRunsOutreach(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := filepath.Join(t.TempDir(), "outreach.db")
	const resident = int64(900000001) // 张大爷, a demo user of the chat page
	store, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	err = importDemoRoster(ctx, store)
	if err == nil {
		err = store.Update(ctx, func(tx *storage.Tx) error {
			now := time.Now()
			if _, err := tx.EnsureResident(ctx, resident, "张大爷", now); err != nil {
				return err
			}
			if err := tx.SetResidentVillage(ctx, resident, "翟各庄村", now); err != nil {
				return err
			}
			return tx.MarkStarted(ctx, resident, now)
		})
	}
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, a, store, err := openOutreach(ctx, stdio{out: io.Discard, err: io.Discard}, db, "")
	if err != nil {
		t.Fatal(err)
	}
	err = store.Update(ctx, func(tx *storage.Tx) error {
		_, err := out.Broadcast(ctx, tx, a, 0, "village:翟各庄村", "明天上午停水检修，请提前储水。", "")
		return err
	})
	store.Close()
	if err != nil {
		t.Fatal(err)
	}

	watch := newAPIWatch()
	cfg := serveConfig{DB: db, Addr: "127.0.0.1:0", RosterEvery: time.Hour, FollowUpEvery: time.Hour, wrapAPI: watch.wrap}
	s, err := startServe(ctx, cfg, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	watch.waitFor(t, "the notice fanned out by the scheduler", func() bool {
		_, ok := botMessage(s.sim, resident, "明天上午停水检修")
		return ok
	})
	cancel()
	if err := s.Wait(); err != nil {
		t.Fatal(err)
	}
}
