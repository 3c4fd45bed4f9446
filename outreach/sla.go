package outreach

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hotline/notice"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// CheckDeadlines reminds handlers before their accept and resolve
// deadlines and escalates tickets whose deadline passed: cadre → area
// leader → centre. An escalation resets the deadlines (tickets.Escalate),
// and reminders carry a dedupe key per ticket and deadline, so running this
// again — after a restart too — repeats nothing. It returns how many
// tickets it acted on.
func (s *Service) CheckDeadlines(ctx context.Context) (int, error) {
	now := s.now()
	horizon := now.Add(max(time.Duration(s.cfg.RemindAccept), time.Duration(s.cfg.RemindResolve)))
	var due []storage.Ticket
	if err := s.db.View(ctx, func(tx *storage.Tx) error {
		var err error
		due, err = tx.DueTickets(ctx, horizon)
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
			acted, err = s.checkTicket(ctx, tx, t.ID)
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

func (s *Service) checkTicket(ctx context.Context, tx *storage.Tx, id int64) (bool, error) {
	t, err := tx.Ticket(ctx, id) // re-read: the bot may have moved it since the list was made
	if err != nil {
		return false, err
	}
	now := s.now()
	waiting := t.State == string(routing.Assigned)
	open := waiting || t.State == string(routing.Accepted)
	switch {
	case waiting && !now.Before(t.AcceptBy):
		return s.escalate(ctx, tx, t, "accept", t.AcceptBy, "超过接单时限，系统自动上报")
	case open && !now.Before(t.ResolveBy):
		return s.escalate(ctx, tx, t, "resolve", t.ResolveBy, "超过办结时限，系统自动上报")
	case waiting && !now.Before(t.AcceptBy.Add(-s.lead(t, true))):
		return s.remind(ctx, tx, t, true)
	case open && !now.Before(t.ResolveBy.Add(-s.lead(t, false))):
		return s.remind(ctx, tx, t, false)
	}
	return false, nil
}

// lead is how long before a deadline the reminder goes: the configured
// lead, but at most half the SLA, so a 30-minute urgent accept window is
// not "reminded" the moment the ticket arrives.
func (s *Service) lead(t storage.Ticket, accept bool) time.Duration {
	sla, ok := s.policy[taxonomy.Urgency(t.Urgency)]
	if !ok {
		sla = s.policy[taxonomy.Normal]
	}
	if accept {
		return min(time.Duration(s.cfg.RemindAccept), sla.Accept/2)
	}
	return min(time.Duration(s.cfg.RemindResolve), sla.Resolve/2)
}

func (s *Service) remind(ctx context.Context, tx *storage.Tx, t storage.Ticket, accept bool) (bool, error) {
	which, due := "resolve", t.ResolveBy
	if accept {
		which, due = "accept", t.AcceptBy
	}
	key := fmt.Sprintf("remind:%s:%d:%d", which, t.ID, due.Unix())
	return s.toStaff(ctx, tx, notice.Reminder(t, accept, key))
}

// escalate moves an overdue ticket up one level through the lifecycle,
// which records the event and tells the new handler, the former handler and
// the resident. The miss itself is recorded too: the escalation gives the
// next handler fresh deadlines, and without it the rates would count the
// ticket as on time if the next handler was quick. At the centre there is
// no level above: the centre is told once per missed deadline instead (the
// ticket keeps the deadline it missed, so the rates see it).
func (s *Service) escalate(ctx context.Context, tx *storage.Tx, t storage.Ticket, which string, due time.Time, reason string) (bool, error) {
	_, err := s.tickets.Escalate(ctx, tx, t.ID, 0, reason)
	if err == nil {
		s.log.Info("outreach: escalated overdue ticket", "ticket", t.Number, "missed", which, "from_level", t.Level)
		miss := storage.SLAMiss{TicketID: t.ID, At: s.now(), Deadline: which, Due: due, HandlerID: t.HandlerID, Handler: t.HandlerName}
		return true, tx.AddSLAMiss(ctx, miss, t.State)
	}
	if !errors.Is(err, routing.ErrTop) {
		return false, err
	}
	sent := false
	for _, c := range s.roster().Centers() {
		key := fmt.Sprintf("overdue:%s:%d:%d:%d", which, t.ID, due.Unix(), c.TelegramID)
		ok, err := s.toStaff(ctx, tx, notice.OverdueAtTop(t, c.TelegramID, key))
		if err != nil {
			return false, err
		}
		sent = sent || ok
	}
	return sent, nil
}
