package tickets

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hotline/assets"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
)

// Leads says how long before a deadline its reminder goes.
type Leads struct {
	Accept, Resolve time.Duration
}

// CheckDeadline reminds the handler before the ticket's accept and resolve
// deadlines and escalates it once a deadline passed: cadre → area leader →
// centre. An escalation resets the deadlines, and reminders carry a dedupe
// key per ticket and deadline, so checking again — after a restart too —
// repeats nothing. It reports whether it acted. Unless the ticket was
// escalated (which sets its own), it then records when the ticket next
// needs a look, so that the deadline job reads only what is due.
func (s *Service) CheckDeadline(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, leads Leads) (bool, error) {
	t, err := tx.Ticket(ctx, id) // re-read: the bot may have moved it since the list was made
	if err != nil {
		return false, err
	}
	now := s.now()
	waiting := t.State == routing.Assigned
	open := t.State.Open()
	remindAccept := t.AcceptBy.Add(-s.lead(t, leads.Accept, true))
	remindResolve := t.ResolveBy.Add(-s.lead(t, leads.Resolve, false))
	var acted bool
	switch {
	case waiting && !now.Before(t.AcceptBy):
		acted, err = s.overdue(ctx, tx, a, t, "accept", t.AcceptBy, "超过接单时限，系统自动上报")
	case open && !now.Before(t.ResolveBy):
		acted, err = s.overdue(ctx, tx, a, t, "resolve", t.ResolveBy, "超过办结时限，系统自动上报")
	case waiting && !now.Before(remindAccept):
		acted, err = s.remind(ctx, tx, t, true)
	case open && !now.Before(remindResolve):
		acted, err = s.remind(ctx, tx, t, false)
	}
	if err != nil {
		return false, err
	}
	if after, err := tx.Ticket(ctx, id); err != nil || after.State != t.State || after.HandlerID != t.HandlerID {
		return acted, err // escalated: assign set the next look
	}
	next := nextLook(now, open, waiting, remindAccept, t.AcceptBy, remindResolve, t.ResolveBy)
	if next.IsZero() && open {
		// Overdue at the top: told once, unless no centre member has
		// started the bot yet; then look again later.
		told, err := anyReachable(ctx, tx, a.Roster.Centers())
		if err != nil {
			return acted, err
		}
		if !told {
			next = now.Add(retryUnreachable)
		}
	}
	return acted, tx.SetTicketWake(ctx, t.ID, next)
}

func anyReachable(ctx context.Context, tx *storage.Tx, staff []roster.Staff) (bool, error) {
	for _, st := range staff {
		if ok, err := tx.Reachable(ctx, int64(st.TelegramID)); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// retryUnreachable is how soon an overdue ticket at the centre is looked
// at again when no centre member could be told (none started the bot).
const retryUnreachable = time.Hour

// nextLook is the first reminder or deadline of an open ticket after now;
// zero when all have passed (an overdue ticket at the top, already told).
func nextLook(now time.Time, open, waiting bool, remindAccept, acceptBy, remindResolve, resolveBy time.Time) time.Time {
	var times []time.Time
	if waiting {
		times = append(times, remindAccept, acceptBy)
	}
	if open {
		times = append(times, remindResolve, resolveBy)
	}
	var next time.Time
	for _, t := range times {
		if t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next
}

// lead is how long before a deadline the reminder goes: the configured
// lead, but at most half the SLA, so a 30-minute urgent accept window is
// not "reminded" the moment the ticket arrives.
func (s *Service) lead(t storage.Ticket, configured time.Duration, accept bool) time.Duration {
	sla := s.policy.For(t.Urgency)
	if accept {
		return min(configured, sla.Accept/2)
	}
	return min(configured, sla.Resolve/2)
}

func (s *Service) remind(ctx context.Context, tx *storage.Tx, t storage.Ticket, accept bool) (bool, error) {
	which, due := "resolve", t.ResolveBy
	if accept {
		which, due = "accept", t.AcceptBy
	}
	m := notice.Reminder(t, accept)
	m.DedupeKey = fmt.Sprintf("remind:%s:%d:%d", which, t.ID, due.Unix())
	return s.toStaff(ctx, tx, int64(t.HandlerID), m)
}

// overdue moves a ticket whose deadline passed up one level, which tells
// the new handler, the former handler and the resident. The miss itself is
// recorded too: the escalation gives the next handler fresh deadlines, and
// without it the rates would count the ticket as on time if the next
// handler was quick. At the centre there is no level above: the centre is
// told once per missed deadline instead (the ticket keeps the deadline it
// missed, so the rates see it).
func (s *Service) overdue(ctx context.Context, tx *storage.Tx, a *assets.Assets, t storage.Ticket, which string, due time.Time, reason string) (bool, error) {
	_, err := s.escalate(ctx, tx, a, t, 0, reason)
	if err == nil {
		miss := storage.SLAMiss{TicketID: t.ID, At: s.now(), Deadline: which, Due: due, HandlerID: t.HandlerID, Handler: t.HandlerName}
		e, err := storage.SLAMissEvent(miss, t.State)
		if err != nil {
			return false, err
		}
		return true, s.record(ctx, tx, t, e)
	}
	if !errors.Is(err, routing.ErrTop) {
		return false, err
	}
	sent := false
	for _, c := range a.Roster.Centers() {
		m := notice.OverdueAtTop(t)
		m.DedupeKey = fmt.Sprintf("overdue:%s:%d:%d:%d", which, t.ID, due.Unix(), c.TelegramID)
		ok, err := s.toStaff(ctx, tx, int64(c.TelegramID), m)
		if err != nil {
			return false, err
		}
		sent = sent || ok
	}
	return sent, nil
}

// toStaff queues m to a staff member only if they started the bot: a row
// to a chat that never started it could never be delivered.
func (s *Service) toStaff(ctx context.Context, tx *storage.Tx, chat int64, m storage.OutboxMessage) (bool, error) {
	ok, err := tx.Reachable(ctx, chat)
	if err != nil || !ok {
		return false, err
	}
	m.ChatID = chat
	id, err := tx.Enqueue(ctx, m, s.now())
	return id != 0, err
}

// ErrNotAsked is returned for an answer to a question that is not pending.
var ErrNotAsked = errors.New("not asked")

// FixedAnswer records the resident's answer to "has it been fixed?". "No"
// reopens the ticket with its handler when it was not rated, or opens a
// new linked ticket when it was (a rating closes a ticket for good). Only
// the first answer per resolution counts: a later one is told it was
// already answered, and first reports false. A ticket that is open again
// has no question pending: ErrNotAsked.
func (s *Service) FixedAnswer(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, residentID int64, yes bool) (t storage.Ticket, first bool, err error) {
	t, err = ownTicket(ctx, tx, id, residentID)
	if err != nil {
		return storage.Ticket{}, false, err
	}
	answered, err := tx.HasEventSince(ctx, t.ID, EventFixedAnswer, t.ResolvedAt)
	if err != nil {
		return t, false, err
	}
	// A reopening clears ResolvedAt, so an answer that reopened the ticket
	// still counts until it is resolved again.
	if answered {
		return t, false, s.queue(ctx, tx, residentID, notice.AlreadyAnswered())
	}
	if t.State != routing.Resolved && t.State != routing.Closed {
		return t, false, fmt.Errorf("ticket %s is %s: %w", t.Number, t.State, ErrNotAsked)
	}
	if err := s.event(ctx, tx, t, EventFixedAnswer, residentID, "", "", map[string]any{"fixed": yes}); err != nil {
		return t, false, err
	}
	switch {
	case yes:
		return t, true, s.queue(ctx, tx, residentID, notice.FixedThanks(t))
	case t.Rating == 0:
		t, err = s.reopen(ctx, tx, a, t, residentID)
		return t, true, err
	}
	t, err = s.Open(ctx, tx, a, OpenInput{
		ResidentID: residentID, Campaign: "fixed-followup",
		Text:   notice.FixedFollowUpText(t),
		Intent: intentOf(t, t.Urgency.Raise()),
	})
	return t, true, err
}
