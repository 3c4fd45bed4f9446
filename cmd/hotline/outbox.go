package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hotline/outreach"
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

// pruneJob deletes, every hour, the sent outbox rows older than keep (see
// storage.PruneOutbox for what stays). It runs among outreach's periodic
// jobs, which log what it did and say why it failed.
func pruneJob(store *storage.DB, keep time.Duration, now func() time.Time) outreach.Job {
	return outreach.Job{Name: "prune-outbox", Every: time.Hour, Run: func(ctx context.Context) (int, error) {
		return store.PruneOutbox(ctx, now().Add(-keep))
	}}
}
