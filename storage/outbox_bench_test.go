package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkOutboxPending is the sender's read of the next rows of a lane
// from its cursor, with 40 and with 40,000 rows pending (half in each
// lane, over 2,000 chats) beside 20,000 sent ones. Goal: the same cost per
// read whatever the backlog.
//
//	go test ./storage -run '^$' -bench OutboxPending
func BenchmarkOutboxPending(b *testing.B) {
	for _, pending := range []int{40, 40_000} {
		b.Run(fmt.Sprintf("pending=%d", pending), func(b *testing.B) {
			ctx := context.Background()
			db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			var sent []OutboxOp
			err = db.Update(ctx, func(tx *Tx) error {
				for i := range 20_000 + pending {
					lane := LaneTicket
					if i%2 == 1 {
						lane = LaneCampaign
					}
					id, err := tx.Enqueue(ctx, OutboxMessage{ChatID: int64(i % 2000), Text: "<b>通知</b> 明天上午停水", Lane: lane}, t0)
					if err != nil {
						return err
					}
					if i < 20_000 {
						sent = append(sent, OutboxOp{Kind: OpSent, ID: id, TelegramIDs: []int{i}, At: t0})
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			if err := db.Record(ctx, SendBatch{Ops: sent}); err != nil {
				b.Fatal(err)
			}
			const batch = 20
			last, err := db.Head(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var cursor int64
			for range b.N {
				rows, err := db.Pending(ctx, LaneCampaign, cursor, batch)
				if err != nil || len(rows) == 0 {
					b.Fatal(len(rows), err)
				}
				// Walk on as the sender does; wrap around at the end.
				cursor = rows[len(rows)-1].ID
				if cursor >= last-1 {
					cursor = 0
				}
			}
		})
	}
}
