package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"hotline/assets"
	"hotline/botsim"
	"hotline/intents"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// lagOutbox measures, for every sent row, how long after Telegram's OK its
// outcome was committed.
type lagOutbox struct {
	Outbox
	mu   sync.Mutex
	lags []time.Duration
}

func (o *lagOutbox) Record(ctx context.Context, b storage.SendBatch) error {
	err := o.Outbox.Record(ctx, b)
	done := time.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, op := range b.Ops {
		if op.Kind == storage.OpSent && err == nil {
			o.lags = append(o.lags, done.Sub(op.At))
		}
	}
	return err
}

// countAPI counts the calls Telegram accepted: sends, edits (a merged
// report edits its problem's card) and copies alike, since each takes its
// place under the same global limit.
type countAPI struct {
	SenderAPI
	ok atomic.Int64
}

func (a *countAPI) SendMessage(ctx context.Context, p *tg.SendMessageParams) (*models.Message, error) {
	m, err := a.SenderAPI.SendMessage(ctx, p)
	a.count(err)
	return m, err
}

func (a *countAPI) EditMessageText(ctx context.Context, p *tg.EditMessageTextParams) (*models.Message, error) {
	m, err := a.SenderAPI.EditMessageText(ctx, p)
	a.count(err)
	return m, err
}

func (a *countAPI) CopyMessage(ctx context.Context, p *tg.CopyMessageParams) (*models.MessageID, error) {
	m, err := a.SenderAPI.CopyMessage(ctx, p)
	a.count(err)
	return m, err
}

func (a *countAPI) count(err error) {
	if err == nil {
		a.ok.Add(1)
	}
}

// BenchmarkSenderDuringIntake takes messages in at 1,600 a second, in two
// goroutines (classification, ticket, events, receipt and card in one
// transaction each, as tickets.BenchmarkIntakeParallel; slower if the
// machine cannot keep up), while the sender drains the outbox into botsim
// with Telegram's limits on, in real time.
// Each commit wakes the sender, as the update handler's do. It reports
// the intake rate, the sender's rate meanwhile (every call Telegram
// accepted: sends, and the edits of a problem's card), how long after
// Telegram's OK each sent_at was committed, and the largest WAL seen.
// Goals: sender ≥ 24/s while intake ≥ 1,500/s, sent_at within 50 ms,
// WAL < 64 MB throughout 20,000 messages.
//
//	HOTLINE_BENCH_HEAVY=1 go test ./bot -run '^$' -bench SenderDuringIntake -benchtime 1x
func BenchmarkSenderDuringIntake(b *testing.B) {
	n := size(2_000, 20_000)
	for range b.N {
		senderDuringIntake(b, n)
	}
}

func senderDuringIntake(b *testing.B, n int) {
	ctx := context.Background()
	env := newIntakeEnv(b)
	sim := botsim.New(botsim.WithRateLimits(botsim.TelegramLimits()))
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	defer sim.Close()
	for _, s := range env.a.Roster.Staff {
		sim.AddUser(botsim.User{ID: int64(s.TelegramID)})
	}
	for i := range intakeResidents {
		sim.AddUser(botsim.User{ID: 9_000_001 + int64(i)})
	}
	client, err := tg.New("1:bench", tg.WithServerURL(srv.URL), tg.WithSkipGetMe())
	if err != nil {
		b.Fatal(err)
	}
	api := &countAPI{SenderAPI: client}
	box := &lagOutbox{Outbox: env.db}
	s := NewSender(api, box, SystemClock{}, DefaultLimits(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()

	wal := sampleWAL(env.db.Path())

	pace := rate.NewLimiter(intakeRate, 50)
	b.ResetTimer()
	start, sent0 := time.Now(), api.ok.Load()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				if err := pace.Wait(ctx); err != nil {
					b.Error(err)
					return
				}
				if err := env.intake(i); err != nil {
					b.Error(err)
					return
				}
				s.Notify() // as the handler does after each commit
			}
		}()
	}
	wg.Wait()
	took, sent := time.Since(start), api.ok.Load()-sent0
	walMax := wal()
	b.StopTimer()
	cancel()
	<-done

	box.mu.Lock()
	lags := slices.Clone(box.lags)
	box.mu.Unlock()
	slices.Sort(lags)
	b.ReportMetric(float64(n), "messages")
	b.ReportMetric(float64(n)/took.Seconds(), "intake-msgs/s")
	b.ReportMetric(float64(sent)/took.Seconds(), "sends/s")
	b.ReportMetric(float64(pct(lags, 50).Microseconds())/1000, "sent_at-lag-p50-ms")
	b.ReportMetric(float64(pct(lags, 99).Microseconds())/1000, "sent_at-lag-p99-ms")
	if len(lags) > 0 {
		b.ReportMetric(float64(lags[len(lags)-1].Microseconds())/1000, "sent_at-lag-max-ms")
	}
	b.ReportMetric(float64(walMax)/(1<<20), "WAL-max-MB")
	b.ReportMetric(float64(sim.Throttled()), "429s")
}

// sampleWAL samples the size of the database's WAL every 10 ms until the
// returned stop is called, which returns the largest size seen.
func sampleWAL(dbPath string) (stop func() int64) {
	var max int64
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if fi, err := os.Stat(dbPath + "-wal"); err == nil && fi.Size() > max {
				max = fi.Size()
			}
			select {
			case <-quit:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(quit)
		<-done
		return max
	}
}

const (
	intakeResidents = 1000
	intakeRate      = 1600 // messages a second
)

var intakeTexts = []string{
	"翟各庄村口的路灯坏了一个星期了，晚上老人出门很危险",
	"屋里冷得睡不着，那个空气能机器不出热风",
	"家里有煤气味 是不是漏了 咋办",
	"梁家务村西头那片地的流转费到现在还没给",
	"村西头那家天天半夜还在敲敲打打",
}

// intakeEnv is the intake path on a file database: the embedded
// classifier over the demo roster, the ticket lifecycle, every staff
// member reachable (so every ticket queues a card) and 1,000 registered
// residents (so every ticket queues a receipt).
type intakeEnv struct {
	db       *storage.DB
	svc      *tickets.Service
	a        *assets.Assets
	villages []string
}

func newIntakeEnv(b *testing.B) *intakeEnv {
	ctx := context.Background()
	demo := roster.Demo()
	model, err := intents.DefaultModel()
	if err != nil {
		b.Fatal(err)
	}
	a := assets.New(0, demo, func(g *intents.Gazetteer) intents.Classifier { return intents.NewEmbedded(model, g) })
	db, err := storage.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	now := time.Now()
	svc := tickets.New(routing.DefaultPolicy(), time.Now, slog.New(slog.DiscardHandler), nil)
	villages := make([]string, len(demo.Villages))
	for i, v := range demo.Villages {
		villages[i] = v.Name
	}
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for _, s := range demo.Staff {
			if err := tx.MarkStarted(ctx, int64(s.TelegramID), now); err != nil {
				return err
			}
		}
		for i := range intakeResidents {
			id := 9_000_001 + int64(i)
			if _, err := tx.EnsureResident(ctx, id, "", now); err != nil {
				return err
			}
			if err := tx.SetResidentVillage(ctx, id, villages[i%len(villages)], now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return &intakeEnv{db: db, svc: svc, a: a, villages: villages}
}

// intake classifies message n and opens its ticket in one transaction
// that also claims the update id n.
func (e *intakeEnv) intake(n int64) error {
	ctx := context.Background()
	rid := 9_000_001 + n%intakeResidents
	text := intakeTexts[n%int64(len(intakeTexts))]
	res, err := e.a.Classifier.Classify(ctx, intents.Input{Text: text, ResidentVillage: e.villages[(rid-9_000_001)%int64(len(e.villages))]})
	if err != nil {
		return err
	}
	return e.db.Update(ctx, func(tx *storage.Tx) error {
		if ok, err := tx.ClaimUpdate(ctx, n, time.Now()); err != nil || !ok {
			return fmt.Errorf("claim %d: %v %w", n, ok, err)
		}
		_, err := e.svc.Open(ctx, tx, e.a, tickets.OpenInput{ResidentID: rid, Text: text, Intent: res})
		return err
	})
}
