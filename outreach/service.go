package outreach

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"hotline/assets"
	"hotline/reports"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// ErrNotAsked is returned when a resident answers a run that did not ask them.
var ErrNotAsked = tickets.ErrNotAsked

// ErrForbidden is returned when a staff member may not do an outreach action.
var ErrForbidden = tickets.ErrForbidden

// Service runs campaigns and follow-ups.
type Service struct {
	db      *storage.DB
	assets  assets.Source
	tickets *tickets.Service
	policy  routing.Policy
	cfg     *Config
	now     func() time.Time
	log     *slog.Logger
	batch   int                   // residents per fan-out transaction
	extra   []Job                 // periodic jobs added with AddJob
	backlog reports.BacklogSource // nil: the daily digest says nothing of it
}

// New returns an outreach service. Tickets it opens or escalates go
// through tk, the same lifecycle the bot uses.
func New(db *storage.DB, as assets.Source, tk *tickets.Service, cfg *Config, now func() time.Time, log *slog.Logger) *Service {
	return &Service{db: db, assets: as, tickets: tk, policy: tk.Policy(), cfg: cfg, now: now, log: log, batch: 2000}
}

// Config is the configuration in force.
func (s *Service) Config() *Config { return s.cfg }

// toStaff queues m to a staff member only if they started the bot: a row to
// a chat that never started it could never be delivered.
func (s *Service) toStaff(ctx context.Context, tx *storage.Tx, chat int64, m storage.OutboxMessage) (bool, error) {
	ok, err := tx.Reachable(ctx, chat)
	if err != nil {
		return false, err
	}
	if !ok {
		s.log.Info("outreach: staff has not started the bot; skipped", "chat", chat, "kind", m.Kind)
		return false, nil
	}
	m.ChatID = chat
	_, err = tx.Enqueue(ctx, m, s.now())
	return err == nil, err
}

// runKey is the dedupe key of one recipient of one run: with it, a run that
// is repeated or resumed after a crash sends nobody a second message.
func runKey(r storage.Run, chat int64) string {
	return fmt.Sprintf("run:%s:%s:%d", r.Campaign, r.Slot.UTC().Format(time.RFC3339Nano), chat)
}
