package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"hotline/intents"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
)

// liveRoster keeps the router and the classifier's village gazetteer on the
// roster in force. "hotline roster import" may replace the roster while the
// service runs; Watch notices the new import and swaps both at once, so a
// ticket is never routed over one roster and classified over another.
// It implements tickets.RouterSource and intents.Classifier.
type liveRoster struct {
	store *storage.DB
	model *intents.Model
	wrap  func(intents.Classifier) intents.Classifier // e.g. the Ollama second opinion
	log   *slog.Logger
	cur   atomic.Pointer[rosterSnapshot]
}

type rosterSnapshot struct {
	importID   int64
	router     *routing.Router
	classifier intents.Classifier
}

// newLiveRoster loads the roster in force (the demo roster when none was
// imported) and builds the first snapshot.
// wrap, if not nil, wraps the embedded classifier (the Ollama second opinion).
func newLiveRoster(ctx context.Context, store *storage.DB, model *intents.Model, wrap func(intents.Classifier) intents.Classifier, log *slog.Logger) (*liveRoster, error) {
	if wrap == nil {
		wrap = func(c intents.Classifier) intents.Classifier { return c }
	}
	l := &liveRoster{store: store, model: model, wrap: wrap, log: log}
	if _, err := l.reload(ctx, -1); err != nil {
		return nil, err
	}
	return l, nil
}

// Router implements tickets.RouterSource.
func (l *liveRoster) Router() *routing.Router { return l.cur.Load().router }

// Roster is the roster in force.
func (l *liveRoster) Roster() *roster.Roster { return l.Router().Roster() }

// Classify implements intents.Classifier over the roster in force.
func (l *liveRoster) Classify(ctx context.Context, in intents.Input) (intents.Result, error) {
	return l.cur.Load().classifier.Classify(ctx, in)
}

// reload re-reads the roster if the last import is not seen; it reports
// whether it swapped.
func (l *liveRoster) reload(ctx context.Context, seen int64) (bool, error) {
	id, err := l.store.LatestRosterImport(ctx)
	if err != nil {
		return false, err
	}
	if id == seen {
		return false, nil
	}
	r, err := loadRoster(ctx, l.store)
	if err != nil {
		return false, fmt.Errorf("reload roster: %w", err)
	}
	l.cur.Store(&rosterSnapshot{
		importID:   id,
		router:     routing.New(r),
		classifier: l.wrap(intents.NewEmbedded(l.model, intents.NewGazetteer(r.Villages))),
	})
	return true, nil
}

// Watch polls for a new roster import every interval until ctx ends.
func (l *liveRoster) Watch(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			swapped, err := l.reload(ctx, l.cur.Load().importID)
			switch {
			case err != nil:
				l.log.Warn("roster reload failed; keeping the roster in force", "err", err)
			case swapped:
				r := l.Roster()
				l.log.Info("roster reloaded", "villages", len(r.Villages), "staff", len(r.Staff))
			}
		}
	}
}
