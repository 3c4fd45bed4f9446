package outreach

import (
	"context"
	"testing"
	"time"

	"hotline/notice"
	"hotline/storage"
)

// BenchmarkFanOut50k measures queuing one campaign to 50,000 residents
// (file-backed WAL database, 2,000 rows per transaction, with dedupe keys
// and recipient rows). Each iteration is a new slot.
func BenchmarkFanOut50k(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	f.update(b, func(ctx context.Context, tx *storage.Tx) error {
		for i := range 50000 {
			id := int64(1_000_000 + i)
			if _, err := tx.EnsureResident(ctx, id, "居民", f.now); err != nil {
				return err
			}
			if err := tx.SetResidentVillage(ctx, id, "翟各庄村", f.now); err != nil {
				return err
			}
			if err := tx.SetResidentTags(ctx, id, []string{notice.TagElectricHeating}); err != nil {
				return err
			}
			if err := tx.MarkStarted(ctx, id, f.now); err != nil {
				return err
			}
		}
		return nil
	})
	c := f.campaign(b, "heating-check")
	slot := f.now
	b.ResetTimer()
	for b.Loop() {
		slot = slot.Add(time.Minute)
		res, err := f.svc.RunNow(ctx, c, slot)
		if err != nil || res.Queued != 50000 {
			b.Fatalf("queued %d, %v", res.Queued, err)
		}
	}
}
