package bot

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/botsim"
	"hotline/notice"
	"hotline/storage"
)

func TestWebhookHandler(t *testing.T) {
	f := newFixture(t)
	f.register(residentA, "东片区", "翟各庄村")
	hook := f.h.WebhookHandler("s3cret")
	upd := f.message(residentA, models.Message{Text: "垃圾好几天没人收了"})
	body, _ := json.Marshal(upd)

	post := func(method, secret, body string) int {
		req := httptest.NewRequest(method, "/tg/hook", strings.NewReader(body))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		rec := httptest.NewRecorder()
		hook.ServeHTTP(rec, req)
		return rec.Code
	}
	tests := []struct {
		name, method, secret, body string
		code                       int
	}{
		{"no secret", http.MethodPost, "", string(body), http.StatusUnauthorized},
		{"wrong secret", http.MethodPost, "guess", string(body), http.StatusUnauthorized},
		{"GET", http.MethodGet, "s3cret", string(body), http.StatusMethodNotAllowed},
		{"not JSON", http.MethodPost, "s3cret", "{", http.StatusBadRequest},
		{"no update id", http.MethodPost, "s3cret", `{"message":{}}`, http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := f.snapshot()
			if got := post(tc.method, tc.secret, tc.body); got != tc.code {
				t.Errorf("code = %d, want %d", got, tc.code)
			}
			if j, _, _ := f.db.UpdateProcessed(f.ctx, upd.ID); j {
				t.Error("a refused post was journalled")
			}
			if f.snapshot() != before {
				t.Error("a refused post changed something")
			}
		})
	}
	if got := post(http.MethodPost, "s3cret", string(body)); got != http.StatusOK {
		t.Fatalf("good post = %d", got)
	}
	if j, p, _ := f.db.UpdateProcessed(f.ctx, upd.ID); !j || !p {
		t.Fatalf("journalled=%v processed=%v", j, p)
	}
	if m := f.last(residentA); m.Kind != notice.KindReceipt {
		t.Fatalf("reply = %s", m.Kind)
	}
	// Telegram retries: 200 again, no second ticket.
	before := f.snapshot()
	if got := post(http.MethodPost, "s3cret", string(body)); got != http.StatusOK || f.snapshot() != before {
		t.Errorf("retry = %d, changed %v", got, f.snapshot() != before)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestJournalingClientJournalsBeforeTheLibrarySees(t *testing.T) {
	f := newFixture(t)
	const body = `{"ok":true,"result":[{"update_id":501,"message":{"message_id":1,"date":1,"from":{"id":900000001,"is_bot":false,"first_name":"张大爷"},"chat":{"id":900000001,"type":"private"},"text":"路灯坏了"}},` +
		`{"update_id":502,"callback_query":{"id":"q","from":{"id":1,"is_bot":false},"data":"acc:1"}}]}`
	c := &journalingClient{db: f.db, now: f.clock, next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(body)), Header: http.Header{}}, nil
	})}
	for _, path := range []string{"/bot1:x/sendMessage", "/bot1:x/getUpdates"} {
		req := httptest.NewRequest(http.MethodPost, path, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		if string(got) != body {
			t.Fatalf("%s: body changed: %s", path, got)
		}
		if path == "/bot1:x/sendMessage" {
			if j, _, _ := f.db.UpdateProcessed(f.ctx, 501); j {
				t.Fatal("a sendMessage response was journalled")
			}
		}
	}
	ids, raws, err := f.db.UnprocessedUpdates(f.ctx)
	if err != nil || len(ids) != 2 || ids[0] != 501 || !strings.Contains(string(raws[0]), "路灯坏了") {
		t.Fatalf("journal = %v %q %v", ids, raws, err)
	}
	// The journal replays into real effects.
	if n, err := f.h.Replay(f.ctx); err != nil || n != 2 {
		t.Fatalf("replay = %d, %v", n, err)
	}
	if ms := f.outbox(storage.OutboxFilter{ChatID: residentA}); len(ms) != 1 || ms[0].Kind != notice.KindPendingKept {
		t.Fatalf("replayed text → %+v", ms)
	}
}

// BenchmarkHandleReport is the handler alone (no network): a registered
// resident's report → classification, one transaction, receipt and card.
func BenchmarkHandleReport(b *testing.B) {
	f := newFixture(b)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := f.h.Handle(f.ctx, f.message(residentA, models.Message{Text: "村口路灯坏了"})); err != nil {
			b.Fatal(err)
		}
	}
}

// The webhook takes Telegram's default 40 connections: the handler keeps
// each chat's order itself.
func TestSetWebhookConnections(t *testing.T) {
	sim := botsim.New(botsim.WithToken("1:hook"))
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { sim.Close(); srv.Close() })
	client, err := tg.New("1:hook", tg.WithServerURL(srv.URL), tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	if err := SetWebhook(t.Context(), client, "http://127.0.0.1:1/hook", "s3cret"); err != nil {
		t.Fatal(err)
	}
	info, err := client.GetWebhookInfo(t.Context())
	if err != nil || info.MaxConnections != webhookConnections || webhookConnections != 40 {
		t.Fatalf("webhook info = %+v, %v", info, err)
	}
}
