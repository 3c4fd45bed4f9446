package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"hotline/assets"
	"hotline/bot"
	"hotline/botsim"
	"hotline/conversation"
	"hotline/intents"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// hookWorld is botsim posting updates to the handler's webhook over up to
// conns connections, each delivery taking an extra round trip of rtt.
type hookWorld struct {
	sim       *botsim.Server
	db        *storage.DB
	residents []botsim.User
	handled   atomic.Int64  // webhook deliveries answered
	answered  chan struct{} // a token after each answer
}

const hookSecret = "s3cret"

func newHookWorld(tb testing.TB, residents, conns int, rtt time.Duration) *hookWorld {
	tb.Helper()
	ctx := context.Background()
	w := &hookWorld{answered: make(chan struct{}, 1)}
	var err error
	if w.db, err = storage.Open(ctx, filepath.Join(tb.TempDir(), "hook.db")); err != nil {
		tb.Fatal(err)
	}
	r := roster.Demo()
	model, err := intents.DefaultModel()
	if err != nil {
		tb.Fatal(err)
	}
	a := assets.New(0, r, func(g *intents.Gazetteer) intents.Classifier { return intents.NewEmbedded(model, g) })
	now := time.Now()
	err = w.db.Update(ctx, func(tx *storage.Tx) error {
		for i := range residents {
			u := botsim.User{ID: 910000000 + int64(i), FirstName: fmt.Sprintf("居民%d", i)}
			w.residents = append(w.residents, u)
			if _, err := tx.EnsureResident(ctx, u.ID, u.FirstName, now); err != nil {
				return err
			}
			if err := tx.SetResidentVillage(ctx, u.ID, r.Villages[i%len(r.Villages)].Name, now); err != nil {
				return err
			}
			if err := tx.MarkStarted(ctx, u.ID, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := tickets.New(routing.DefaultPolicy(), time.Now, log, nil)
	// The handler answers callback queries through the client; nothing
	// here presses buttons, and the sender is not running: this is intake.
	h := bot.NewHandler(w.db, assets.Fixed{A: a}, conversation.New(svc, nil, nil, log), nil, nil, nil, nil, time.Now, log)
	hook := h.WebhookHandler(hookSecret)
	target := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		hook.ServeHTTP(rw, r)
		w.handled.Add(1)
		select {
		case w.answered <- struct{}{}:
		default: // a token is already waiting
		}
	}))
	delayed := &http.Client{Transport: delay{rtt, http.DefaultTransport}, Timeout: 30 * time.Second}
	w.sim = botsim.New(botsim.WithToken(e2eToken), botsim.WithWebhookClient(delayed))
	for _, u := range w.residents {
		w.sim.AddUser(u)
	}
	api := httptest.NewServer(w.sim.Handler())
	tb.Cleanup(func() {
		w.sim.Close()
		api.Close()
		target.Close()
		w.db.Close()
	})
	client, err := tg.New(e2eToken, tg.WithServerURL(api.URL), tg.WithSkipGetMe())
	if err != nil {
		tb.Fatal(err)
	}
	if conns == 40 {
		err = bot.SetWebhook(ctx, client, target.URL, hookSecret)
	} else {
		_, err = client.SetWebhook(ctx, &tg.SetWebhookParams{URL: target.URL, SecretToken: hookSecret, MaxConnections: conns})
	}
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// delay adds a network round trip to every webhook delivery.
type delay struct {
	rtt  time.Duration
	next http.RoundTripper
}

func (d delay) RoundTrip(r *http.Request) (*http.Response, error) {
	if d.rtt > 0 {
		t := time.NewTimer(d.rtt)
		select {
		case <-r.Context().Done():
			t.Stop()
			return nil, r.Context().Err()
		case <-t.C:
		}
	}
	return d.next.RoundTrip(r)
}

// send has every resident send each text in turn, and waits until the
// webhook answered them all.
func (w *hookWorld) send(tb testing.TB, texts ...string) {
	tb.Helper()
	want := w.handled.Load() + int64(len(w.residents)*len(texts))
	for _, text := range texts {
		for _, u := range w.residents {
			w.sim.SendText(u, text)
		}
	}
	timeout := time.After(5 * time.Minute)
	for w.handled.Load() < want {
		select {
		case <-w.answered:
		case <-timeout:
			tb.Fatalf("only %d of %d deliveries answered", w.handled.Load(), want)
		}
	}
}

// Forty connections: residents' messages are handled side by side, and
// each resident's tickets are opened in the order the messages were sent.
func TestWebhookParallelDeliveriesKeepEachChatInOrder(t *testing.T) {
	w := newHookWorld(t, 12, 40, 0)
	texts := []string{"第一件：村口路灯坏了", "第二件：家里停水了", "第三件：垃圾好几天没人收了"}
	w.send(t, texts...)
	ctx := context.Background()
	err := w.db.View(ctx, func(tx *storage.Tx) error {
		for _, u := range w.residents {
			ts, err := tx.Tickets(ctx, storage.TicketFilter{ResidentID: u.ID})
			if err != nil {
				return err
			}
			if len(ts) != len(texts) {
				t.Errorf("resident %d has %d tickets, want %d", u.ID, len(ts), len(texts))
				continue
			}
			for i, tk := range ts {
				if tk.Text != texts[i] {
					t.Errorf("resident %d: ticket %d is %q, want %q", u.ID, i, tk.Text, texts[i])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkWebhookThroughput measures intake by webhook at a realistic
// round trip to Telegram, with one connection (the former setting) and
// with forty: each pass, 120 registered residents report at once. It is
// slow (about 20 s a pass at one connection), so it runs only with
// HOTLINE_BENCH_WEBHOOK=1; HOTLINE_BENCH_RTT sets the round trip (default
// 150ms):
//
//	HOTLINE_BENCH_WEBHOOK=1 go test -run '^$' -bench WebhookThroughput -benchtime 2x ./bot
func BenchmarkWebhookThroughput(b *testing.B) {
	if os.Getenv("HOTLINE_BENCH_WEBHOOK") == "" {
		b.Skip("set HOTLINE_BENCH_WEBHOOK=1 to run")
	}
	rtt := 150 * time.Millisecond
	if v := os.Getenv("HOTLINE_BENCH_RTT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("HOTLINE_BENCH_RTT: %v", err)
		}
		rtt = d
	}
	for _, conns := range []int{1, 40} {
		b.Run(fmt.Sprintf("max_connections=%d/rtt=%v", conns, rtt), func(b *testing.B) {
			const residents = 120
			w := newHookWorld(b, residents, conns, rtt)
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				w.send(b, fmt.Sprintf("第%d件：村口路灯坏了", i))
			}
			b.ReportMetric(float64(b.N*residents)/time.Since(start).Seconds(), "updates/s")
		})
	}
}
