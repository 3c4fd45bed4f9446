package tickets

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"hotline/assets"
	"hotline/intents"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
)

// BenchmarkIntake measures the whole intake path for one message: classify,
// open the ticket, route it, and write its events and outbox rows in one
// transaction on a file-backed WAL database, one message at a time: the
// floor, when messages come one by one. The goal of ≥ 2,000 messages/s is
// for a busy moment, when many chats write at once: IntakeParallel here,
// and from outside, through the Bot API, bot.BenchmarkPollIntake.
func BenchmarkIntake(b *testing.B) {
	env := newIntakeBench(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := env.intake(int64(i+1), false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkIntakeParallel is the same path with 32 messages in flight, as
// when updates from many chats arrive at once (the bot's Dispatch): each
// is classified on its own goroutine, and those waiting for the single
// writer share its transactions (storage.DB.UpdateShared).
func BenchmarkIntakeParallel(b *testing.B) {
	env := newIntakeBench(b)
	var next atomic.Int64
	b.SetParallelism(16) // × GOMAXPROCS goroutines
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := env.intake(next.Add(1), true); err != nil {
				b.Error(err) // not Fatal: this is not the benchmark's goroutine
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

type intakeBench struct {
	db       *storage.DB
	svc      *Service
	a        *assets.Assets
	villages []string
	now      time.Time
}

const benchResidents = 1000

var benchTexts = []string{
	"翟各庄村口的路灯坏了一个星期了，晚上老人出门很危险",
	"屋里冷得睡不着，那个空气能机器不出热风",
	"家里有煤气味 是不是漏了 咋办",
	"梁家务村西头那片地的流转费到现在还没给",
	"村西头那家天天半夜还在敲敲打打",
}

// intake classifies one message and opens its ticket in one transaction
// that also claims the update id n; shared, the transaction may be shared
// with other callers', as the bot's handler does it.
func (e *intakeBench) intake(n int64, shared bool) error {
	ctx := context.Background()
	rid := 9_000_001 + n%benchResidents
	text := benchTexts[n%int64(len(benchTexts))]
	res, err := e.a.Classifier.Classify(ctx, intents.Input{Text: text, ResidentVillage: e.villages[rid%int64(len(e.villages))]})
	if err != nil {
		return err
	}
	open := func(ctx context.Context, tx *storage.Tx) error {
		if ok, err := tx.ClaimUpdate(ctx, n, e.now); err != nil || !ok {
			return fmt.Errorf("claim: %v %w", ok, err)
		}
		_, err := e.svc.Open(ctx, tx, e.a, OpenInput{ResidentID: rid, Text: text, Intent: res})
		return err
	}
	if shared {
		return e.db.UpdateShared(ctx, open)
	}
	return e.db.Update(ctx, func(tx *storage.Tx) error { return open(ctx, tx) })
}

func newIntakeBench(b *testing.B) *intakeBench {
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
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	svc := New(routing.DefaultPolicy(), func() time.Time { return now }, slog.New(slog.DiscardHandler), nil)
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for _, s := range demo.Staff {
			if err := tx.MarkStarted(ctx, int64(s.TelegramID), now); err != nil {
				return err
			}
		}
		for i := int64(1); i <= benchResidents; i++ {
			if _, err := tx.EnsureResident(ctx, 9_000_000+i, "", now); err != nil {
				return err
			}
			if err := tx.SetResidentVillage(ctx, 9_000_000+i, demo.Villages[int(i)%len(demo.Villages)].Name, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	villages := make([]string, len(demo.Villages))
	for i, v := range demo.Villages {
		villages[i] = v.Name
	}
	return &intakeBench{db: db, svc: svc, a: a, villages: villages, now: now}
}
