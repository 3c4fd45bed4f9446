package outreach

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hotline/storage"
	"hotline/tickets"
)

// CheckDeadlines has the lifecycle remind handlers before their accept and
// resolve deadlines and escalate tickets whose deadline passed (see
// tickets.CheckDeadline). It reads only the tickets whose next look has
// come (the due queue the lifecycle keeps), on the read pool, and returns
// how many it acted on.
func (s *Service) CheckDeadlines(ctx context.Context) (int, error) {
	now := s.now()
	a := s.assets.Assets()
	leads := tickets.Leads{Accept: time.Duration(s.cfg.RemindAccept), Resolve: time.Duration(s.cfg.RemindResolve)}
	var due []storage.Ticket
	if err := s.db.View(ctx, func(tx *storage.Tx) error {
		var err error
		due, err = tx.DueTickets(ctx, now)
		return err
	}); err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, t := range due {
		// One transaction per ticket keeps the write lock short and lets
		// one bad ticket not block the others.
		acted := false
		err := s.db.Update(ctx, func(tx *storage.Tx) error {
			var err error
			acted, err = s.tickets.CheckDeadline(ctx, tx, a, t.ID, leads)
			return err
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("ticket %s: %w", t.Number, err))
		}
		if acted {
			n++
		}
	}
	return n, errors.Join(errs...)
}
