package storage

import (
	"context"
	"fmt"
	"time"
)

// MarkPendingSent marks every pending outbox row sent at now, as a sender
// would have: a generated history (package loadgen) has no Telegram to
// send to, and a million pending rows would be a backlog no real
// township has.
func (t *Tx) MarkPendingSent(ctx context.Context, now time.Time) error {
	if _, err := t.exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, attempts = 1 WHERE status = 'pending'`, fmtTime(now)); err != nil {
		return fmt.Errorf("mark generated messages sent: %w", err)
	}
	return nil
}

// LargeCache gives this transaction's connection (the writer's, in an
// Update) a page cache of mib MiB for the rest of its life: a generator
// writing a year of history touches far more pages than the default 2 MB
// holds, and would read them back from the file again and again.
func (t *Tx) LargeCache(ctx context.Context, mib int) error {
	if _, err := t.exec(ctx, fmt.Sprintf("PRAGMA cache_size = %d", -mib*1024)); err != nil {
		return fmt.Errorf("set cache size: %w", err)
	}
	return nil
}
