package botsim

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The configured bot user is what getMe returns and whom the bot's messages
// come from, so a test can run the bot under its production username.
func TestWithBotUser(t *testing.T) {
	me := User{ID: 7123456789, FirstName: "镇热线", LastName: "机器人", Username: "town_hotline_bot"}
	s, ts := newTestServer(t, WithBotUser(me))
	s.AddUser(alice)

	var got wireUser
	if err := json.Unmarshal(call(t, ts, "getMe", nil).Result, &got); err != nil {
		t.Fatal(err)
	}
	want := wireUser{ID: me.ID, IsBot: true, FirstName: me.FirstName, LastName: me.LastName, Username: me.Username, CanJoinGroups: true}
	if got != want {
		t.Fatalf("getMe = %+v, want %+v", got, want)
	}
	m := resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"您好"}}))
	if m.From == nil || m.From.ID != me.ID || m.From.Username != me.Username || !m.From.IsBot {
		t.Fatalf("message from %+v, want the configured bot", m.From)
	}
}

// A callback query can be answered only within the configured window;
// afterwards the simulator refuses it as Telegram does.
func TestWithCallbackTimeout(t *testing.T) {
	tests := []struct {
		name   string
		wait   time.Duration
		wantOK bool
	}{
		{"at once", 0, true},
		{"at the end of the window", 3 * time.Second, true},
		{"after the window", 3*time.Second + time.Millisecond, false},
		{"after the default window", 16 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			s, ts := newTestServer(t, WithClock(clk), WithCallbackTimeout(3*time.Second))
			s.AddUser(alice)
			resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"选择"}, "reply_markup": {keyboardJSON}}))
			if _, err := s.SendCallback(alice, 1, "acc:1"); err != nil {
				t.Fatal(err)
			}
			id := s.updates.pending[len(s.updates.pending)-1].upd.CallbackQuery.ID
			clk.Advance(tt.wait)
			r := call(t, ts, "answerCallbackQuery", url.Values{"callback_query_id": {id}})
			if r.OK != tt.wantOK {
				t.Fatalf("answer after %v: ok=%v %q, want ok=%v", tt.wait, r.OK, r.Description, tt.wantOK)
			}
			if !tt.wantOK && !strings.HasPrefix(r.Description, "Bad Request: query is too old") {
				t.Fatalf("refusal = %q", r.Description)
			}
		})
	}
}

// A failing webhook is retried after the configured pause, doubled per
// failure up to a minute, and each failure is logged.
func TestWithWebhookRetry(t *testing.T) {
	tests := []struct {
		name       string
		first      time.Duration
		failures   int
		wantPauses []time.Duration
	}{
		{"doubling", 250 * time.Millisecond, 3, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}},
		{"capped at a minute", 45 * time.Second, 3, []time.Duration{45 * time.Second, time.Minute, time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				mu     sync.Mutex
				pauses []time.Duration
				hits   int
			)
			got := make(chan wireUpdate, 1)
			target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				hits++
				fail := hits <= tt.failures
				mu.Unlock()
				if fail {
					http.Error(w, "down", http.StatusBadGateway)
					return
				}
				var u wireUpdate
				if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
					t.Error(err)
				}
				got <- u
			}))
			defer target.Close()
			record := func(ctx context.Context, d time.Duration) error {
				mu.Lock()
				pauses = append(pauses, d)
				mu.Unlock()
				return ctx.Err()
			}
			logs := &recordHandler{}
			s, ts := newTestServer(t, WithSleep(record), WithWebhookRetry(tt.first), WithLogger(slog.New(logs)))
			id := s.SendText(alice, "路灯坏了")
			if r := call(t, ts, "setWebhook", url.Values{"url": {target.URL}, "max_connections": {"1"}}); !r.OK {
				t.Fatal(r.Description)
			}
			if u := <-got; u.UpdateID != id {
				t.Fatalf("delivered update %d, want %d", u.UpdateID, id)
			}
			mu.Lock()
			gotPauses := slices.Clone(pauses)
			mu.Unlock()
			if !slices.Equal(gotPauses, tt.wantPauses) {
				t.Fatalf("pauses = %v, want %v", gotPauses, tt.wantPauses)
			}
			recs := logs.all()
			if len(recs) != tt.failures {
				t.Fatalf("logged %d records, want %d: %v", len(recs), tt.failures, recs)
			}
			for _, r := range recs {
				if r.level != slog.LevelWarn || r.updateID != id || !strings.Contains(r.err, "502") {
					t.Fatalf("log record = %+v, want a warning about update %d and the 502", r, id)
				}
			}
		})
	}
}

// recordHandler keeps the records the simulator logs; deliveries log from
// their own goroutines, hence the lock.
type recordHandler struct {
	mu   sync.Mutex
	recs []logRecord
}

type logRecord struct {
	level    slog.Level
	msg      string
	updateID int64
	err      string
}

func (h *recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recordHandler) WithGroup(string) slog.Handler            { return h }

func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{level: r.Level, msg: r.Message}
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "update_id":
			rec.updateID = a.Value.Int64()
		case "err":
			rec.err = a.Value.String()
		}
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, rec)
	return nil
}

func (h *recordHandler) all() []logRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.recs)
}
