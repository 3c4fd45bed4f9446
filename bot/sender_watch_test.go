package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/botsim"
	"hotline/storage"
)

// okAPI tells of every message Telegram accepted.
type okAPI struct {
	SenderAPI
	ok chan string
}

func (a okAPI) SendMessage(ctx context.Context, p *tg.SendMessageParams) (*models.Message, error) {
	m, err := a.SenderAPI.SendMessage(ctx, p)
	if err == nil {
		a.ok <- p.Text
	}
	return m, err
}

// crossProcess is a sender on one storage.DB and a second storage.DB on
// the same file, as `hotline outreach broadcast` beside `hotline serve`.
type crossProcess struct {
	other *storage.DB
	ok    chan string
}

func newCrossProcess(tb testing.TB) *crossProcess {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "hotline.db")
	serve, err := storage.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	other, err := storage.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	sim := botsim.New(botsim.WithRateLimits(botsim.TelegramLimits()))
	srv := httptest.NewServer(sim.Handler())
	for u := int64(1); u <= 100; u++ {
		sim.AddUser(botsim.User{ID: u})
	}
	client, err := tg.New("1:x", tg.WithServerURL(srv.URL), tg.WithSkipGetMe())
	if err != nil {
		tb.Fatal(err)
	}
	cp := &crossProcess{other: other, ok: make(chan string, 100)}
	s := NewSender(okAPI{client, cp.ok}, serve, SystemClock{}, DefaultLimits(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	tb.Cleanup(func() {
		cancel()
		<-done
		sim.Close()
		srv.Close()
		other.Close()
		serve.Close()
	})
	return cp
}

// write queues a row through the other DB, as another process would: no
// Notify reaches the sender.
func (cp *crossProcess) write(tb testing.TB, chat int64, text string) {
	tb.Helper()
	err := cp.other.Update(context.Background(), func(tx *storage.Tx) error {
		_, err := tx.Enqueue(context.Background(), storage.OutboxMessage{ChatID: chat, Text: text, Lane: storage.LaneCampaign}, time.Now())
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func (cp *crossProcess) await(tb testing.TB, text string) {
	tb.Helper()
	timeout := time.After(30 * time.Second) // a failure, not a measurement
	for {
		select {
		case got := <-cp.ok:
			if got == text {
				return
			}
		case <-timeout:
			tb.Fatalf("%q written by another process was never sent", text)
		}
	}
}

// A row another process writes is sent without anyone calling Notify.
func TestSenderSeesAnotherProcessesRows(t *testing.T) {
	cp := newCrossProcess(t)
	for i := range 3 {
		text := fmt.Sprintf("另一个进程写的通知 %d", i)
		cp.write(t, int64(i+1), text)
		cp.await(t, text)
	}
}

// BenchmarkCrossProcessWakeUp measures, per row, the time from its commit
// by another storage.DB on the same file to Telegram's OK, with no Notify:
// the sender's watch (Limits.Watch, 250 ms) and one send. Goal: < 1 s.
//
//	go test ./bot -run '^$' -bench CrossProcessWakeUp -benchtime 20x
func BenchmarkCrossProcessWakeUp(b *testing.B) {
	cp := newCrossProcess(b)
	var worst time.Duration
	b.ResetTimer()
	for i := range b.N {
		text := fmt.Sprintf("通知 %d", i)
		start := time.Now()
		cp.write(b, int64(i%100+1), text)
		cp.await(b, text)
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/row")
	b.ReportMetric(float64(worst.Milliseconds()), "max-ms")
}
