package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"hotline/storage"
)

// defaultRetention is how long sent outbox rows are kept.
const defaultRetention = 30 * 24 * time.Hour

// parseRetention reads HOTLINE_OUTBOX_RETENTION: days ("30d") or a Go
// duration ("720h"); empty is the default, 30 days.
func parseRetention(s string) (time.Duration, error) {
	if s == "" {
		return defaultRetention, nil
	}
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, fmt.Errorf("HOTLINE_OUTBOX_RETENTION %q: want days like 30d or a duration like 720h", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("HOTLINE_OUTBOX_RETENTION %q: want days like 30d or a duration like 720h", s)
		}
	}
	if d < time.Hour {
		return 0, fmt.Errorf("HOTLINE_OUTBOX_RETENTION %q: keep sent messages at least an hour", s)
	}
	return d, nil
}

// pruneOutbox deletes sent outbox rows older than keep, now and then
// every interval, until ctx ends (see storage.PruneOutbox for what stays).
func pruneOutbox(ctx context.Context, store *storage.DB, keep, every time.Duration, now func() time.Time, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		pruneOnce(ctx, store, keep, now(), log)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func pruneOnce(ctx context.Context, store *storage.DB, keep time.Duration, now time.Time, log *slog.Logger) {
	n, err := store.PruneOutbox(ctx, now.Add(-keep))
	switch {
	case err != nil && ctx.Err() == nil:
		log.Error("prune outbox", "err", err, "pruned", n)
	case n > 0:
		log.Info("pruned sent outbox rows", "count", n, "older_than", now.Add(-keep).Format(time.DateOnly))
	}
}
