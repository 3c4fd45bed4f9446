package tickets

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"hotline/intents"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
)

// BenchmarkIntake measures the whole intake path for one message: classify,
// open the ticket, route it, and write its events and outbox rows in one
// transaction on a file-backed WAL database. Goal: ≥ 2,000 messages/s.
func BenchmarkIntake(b *testing.B) {
	ctx := context.Background()
	demo := roster.Demo()
	model, err := intents.DefaultModel()
	if err != nil {
		b.Fatal(err)
	}
	classifier := intents.NewEmbedded(model, intents.NewGazetteer(demo.Villages))
	db, err := storage.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	svc := New(fixedRouter{routing.New(demo)}, routing.DefaultPolicy(), func() time.Time { return now })
	const residents = 1000
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for _, s := range demo.Staff {
			if err := tx.MarkStarted(ctx, s.TelegramID, now); err != nil {
				return err
			}
		}
		for i := int64(1); i <= residents; i++ {
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
	texts := []string{
		"翟各庄村口的路灯坏了一个星期了，晚上老人出门很危险",
		"屋里冷得睡不着，那个空气能机器不出热风",
		"家里有煤气味 是不是漏了 咋办",
		"梁家务村西头那片地的流转费到现在还没给",
		"村西头那家天天半夜还在敲敲打打",
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rid := 9_000_001 + int64(i%residents)
		village := demo.Villages[int(rid)%len(demo.Villages)].Name
		text := texts[i%len(texts)]
		res, err := classifier.Classify(ctx, intents.Input{Text: text, ResidentVillage: village})
		if err != nil {
			b.Fatal(err)
		}
		err = db.Update(ctx, func(tx *storage.Tx) error {
			if ok, err := tx.ClaimUpdate(ctx, int64(i+1), now); err != nil || !ok {
				return fmt.Errorf("claim: %v %w", ok, err)
			}
			_, err := svc.Open(ctx, tx, OpenInput{ResidentID: rid, Text: text, Intent: res})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
