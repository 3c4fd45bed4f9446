package assets

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"hotline/intents"
	"hotline/roster"
	"hotline/storage"
)

// Live keeps the Assets on the roster in force. "hotline roster import" may
// replace the roster while the service runs; Watch notices the new import
// and swaps the whole snapshot at once.
type Live struct {
	store    *storage.DB
	classify func(*intents.Gazetteer) intents.Classifier
	log      *slog.Logger
	cur      atomic.Pointer[Assets]
}

// NewLive loads the roster in force (the demo roster when none was
// imported) and builds the first snapshot; classify makes the classifier
// over each roster's gazetteer.
func NewLive(ctx context.Context, store *storage.DB, classify func(*intents.Gazetteer) intents.Classifier, log *slog.Logger) (*Live, error) {
	l := &Live{store: store, classify: classify, log: log}
	if _, err := l.reload(ctx, -1); err != nil {
		return nil, err
	}
	return l, nil
}

// Assets implements Source.
func (l *Live) Assets() *Assets { return l.cur.Load() }

// reload rebuilds the snapshot when the last import is not the one seen;
// it reports whether it swapped.
func (l *Live) reload(ctx context.Context, seen int64) (bool, error) {
	id, err := l.store.LatestRosterImport(ctx)
	if err != nil {
		return false, err
	}
	if id == seen {
		return false, nil
	}
	r, err := Load(ctx, l.store)
	if err != nil {
		return false, fmt.Errorf("reload roster: %w", err)
	}
	l.cur.Store(New(id, r, l.classify))
	return true, nil
}

// Watch looks for a new roster import every interval until ctx ends.
func (l *Live) Watch(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			swapped, err := l.reload(ctx, l.Assets().ImportID)
			switch {
			case err != nil:
				l.log.Warn("roster reload failed; keeping the roster in force", "err", err)
			case swapped:
				r := l.Assets().Roster
				l.log.Info("roster reloaded", "villages", len(r.Villages), "staff", len(r.Staff))
			}
		}
	}
}

// Load returns the roster in the database, or the demo roster when none
// was imported.
func Load(ctx context.Context, store *storage.DB) (*roster.Roster, error) {
	var r *roster.Roster
	var ok bool
	err := store.View(ctx, func(tx *storage.Tx) error {
		var err error
		r, ok, err = tx.Roster(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return roster.Demo(), nil
	}
	return r, nil
}
