package bot

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"hotline/storage"
)

// gateObserver holds the first handled update until released, while its
// chat's lock is still held.
type gateObserver struct {
	nopObserver
	passed  atomic.Bool // the first has come; the others pass (sync.Once would hold them)
	entered chan struct{}
	release chan struct{}
}

func (g *gateObserver) UpdateHandled(time.Duration) {
	if g.passed.CompareAndSwap(false, true) {
		close(g.entered)
		<-g.release
	}
}

// Concurrent webhook deliveries: another chat's update is handled while
// one chat's update is still in hand, and that chat's next update waits
// for it, so its tickets are opened in the order sent.
func TestWebhookConcurrentDeliveriesKeepChatOrder(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	f.register(residentB, "东片区", "翟各庄村")
	gate := &gateObserver{entered: make(chan struct{}), release: make(chan struct{})}
	f.h.obs = gate
	waiting := make(chan int64, 1)
	f.h.chats.waiting = func(k int64) { waiting <- k }
	hook := f.h.WebhookHandler("s3cret")
	post := func(upd *models.Update) int {
		body, _ := json.Marshal(upd)
		req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(string(body)))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
		rec := httptest.NewRecorder()
		hook.ServeHTTP(rec, req)
		return rec.Code
	}
	a1 := f.message(residentA, models.Message{Text: "村口路灯坏了"})
	a2 := f.message(residentA, models.Message{Text: "家里停水了"})
	b1 := f.message(residentB, models.Message{Text: "垃圾好几天没人收了"})

	codes := make(chan int, 2)
	go func() { codes <- post(a1) }()
	<-gate.entered // a1 committed; its chat is still held
	go func() { codes <- post(a2) }()
	if k := <-waiting; k != residentA {
		t.Fatalf("waited for %d, want %d", k, residentA)
	}
	if code := post(b1); code != http.StatusOK {
		t.Fatalf("b1 = %d", code)
	}
	if _, p, _ := f.db.UpdateProcessed(f.ctx, b1.ID); !p {
		t.Fatal("another chat's update waited for the held one")
	}
	if j, p, _ := f.db.UpdateProcessed(f.ctx, a2.ID); !j || p {
		t.Fatalf("a2 journalled=%v processed=%v while a1 was in hand; want journalled, not processed", j, p)
	}
	close(gate.release)
	for range 2 {
		if code := <-codes; code != http.StatusOK {
			t.Fatalf("a = %d", code)
		}
	}
	var texts []string
	err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		ts, err := tx.Tickets(f.ctx, storage.TicketFilter{ResidentID: residentA})
		for _, tk := range ts {
			texts = append(texts, tk.Text)
		}
		return err
	})
	if err != nil || len(texts) != 2 || texts[0] != "村口路灯坏了" || texts[1] != "家里停水了" {
		t.Fatalf("resident A's tickets in order of opening = %q, %v", texts, err)
	}
}
