package tickets

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"hotline/assets"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
)

// The 12345 way of handling a ticket: after taking it the handler phones
// the requester first (先行联系) and records it; they may promise a reply
// by a date, ask the centre for more time (延期) or to take the ticket back
// as not theirs (退单); the centre approves or refuses. Each is an event,
// so the reports can count them.

// Event kinds of the centre's decisions; the handler's own steps are
// recorded under their routing action (contacted, extension_requested,
// return_requested, promised).
const (
	EventExtendApproved = "extension_approved"
	EventExtendRefused  = "extension_refused"
	EventReturnApproved = "return_approved"
	EventReturnRefused  = "return_refused"
)

// ErrDone is returned for a step already taken: a second first contact, a
// request already decided.
var ErrDone = errors.New("already done")

// ErrPending is returned when a ticket already has a request waiting for
// the centre.
var ErrPending = errors.New("a request is already waiting")

// ErrNoReason is returned for a request without a reason.
var ErrNoReason = fmt.Errorf("%w: a reason is required", ErrBadInput)

// ErrNotLater is returned for an extension to a deadline no later than
// the one in force.
var ErrNotLater = fmt.Errorf("%w: the new deadline must be later than the current one", ErrBadInput)

// Contact records that the handler phoned the requester first, at at (now
// when zero). The ticket must have been taken; the time may not be in the
// future nor before the ticket existed.
func (s *Service) Contact(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, at time.Time) (storage.Ticket, error) {
	t, err := forStaff(ctx, tx, a, id, actorID, MayWork, "record contact on")
	if err != nil {
		return t, err
	}
	if _, err := routing.Next(t.State, routing.Contact); err != nil {
		return t, err
	}
	if !t.ContactedAt.IsZero() {
		return t, fmt.Errorf("contact on %s: %w", t.Number, ErrDone)
	}
	now := s.now()
	if at.IsZero() {
		at = now
	}
	if at.After(now) || at.Before(t.CreatedAt) {
		return t, fmt.Errorf("contact on %s: %w: %s is not between the ticket's creation and now", t.Number, ErrBadInput, at.Format(time.RFC3339))
	}
	t.ContactedAt = at
	if err := s.save(ctx, tx, &t); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, string(routing.Contact), int64(actorID), t.State, t.State, map[string]any{"at": at}); err != nil {
		return t, err
	}
	return t, s.editCard(ctx, tx, t)
}

// Promise records a reply promised to the requester by by (本周内给予答复).
func (s *Service) Promise(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, by time.Time) (storage.Ticket, error) {
	t, err := forStaff(ctx, tx, a, id, actorID, MayWork, "promise a reply on")
	if err != nil {
		return t, err
	}
	if _, err := routing.Next(t.State, routing.Promise); err != nil {
		return t, err
	}
	if !by.After(s.now()) {
		return t, fmt.Errorf("promise on %s: %w: %s is not in the future", t.Number, ErrBadInput, by.Format(time.RFC3339))
	}
	prev := t.ReplyBy
	t.ReplyBy = by
	if err := s.save(ctx, tx, &t); err != nil {
		return t, err
	}
	data := map[string]any{"reply_by": by}
	if !prev.IsZero() {
		data["from"] = prev
	}
	if err := s.event(ctx, tx, t, string(routing.Promise), int64(actorID), t.State, t.State, data); err != nil {
		return t, err
	}
	return t, s.editCard(ctx, tx, t)
}

// RequestExtension asks the centre for a later resolve deadline, with a
// reason. The centre's members are sent the request with buttons.
func (s *Service) RequestExtension(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, deadline time.Time, reason string) (storage.Request, error) {
	return s.request(ctx, tx, a, id, actorID, storage.Request{Kind: storage.Extend, Deadline: deadline, Reason: reason})
}

// RequestReturn asks the centre to take the ticket back as not the
// handler's (退单), with a reason.
func (s *Service) RequestReturn(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, reason string) (storage.Request, error) {
	return s.request(ctx, tx, a, id, actorID, storage.Request{Kind: storage.Return, Reason: reason})
}

func (s *Service) request(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, r storage.Request) (storage.Request, error) {
	act := routing.AskReturn
	if r.Kind == storage.Extend {
		act = routing.AskExtend
	}
	t, err := forStaff(ctx, tx, a, id, actorID, MayAsk, string(r.Kind))
	if err != nil {
		return r, err
	}
	if _, err := routing.Next(t.State, act); err != nil {
		return r, err
	}
	r.Reason = strings.TrimSpace(r.Reason)
	if r.Reason == "" {
		return r, fmt.Errorf("%s on %s: %w", act, t.Number, ErrNoReason)
	}
	if r.Kind == storage.Extend && (!r.Deadline.After(t.ResolveBy) || !r.Deadline.After(s.now())) {
		return r, fmt.Errorf("%s on %s to %s: %w", act, t.Number, r.Deadline.Format(time.RFC3339), ErrNotLater)
	}
	if _, pending, err := tx.PendingRequest(ctx, t.ID); err != nil || pending {
		if err == nil {
			err = fmt.Errorf("%s on %s: %w", act, t.Number, ErrPending)
		}
		return r, err
	}
	r.TicketID, r.RequestedBy, r.RequestedAt = t.ID, actorID, s.now()
	if err := tx.AddRequest(ctx, &r); err != nil {
		return r, err
	}
	data := map[string]any{"request": r.ID, "reason": r.Reason}
	if r.Kind == storage.Extend {
		data["deadline"] = r.Deadline
	}
	if err := s.event(ctx, tx, t, string(act), int64(actorID), t.State, t.State, data); err != nil {
		return r, err
	}
	for _, c := range a.Roster.Centers() {
		if _, err := s.toStaff(ctx, tx, int64(c.TelegramID), notice.RequestToCentre(t, r)); err != nil {
			return r, err
		}
	}
	return r, nil
}

// Decide is the centre's answer to a request: an approved extension moves
// the resolve deadline; an approved return gives the ticket to the
// approver, who dispatches it again. The handler is told either way, and
// the requester when their deadline or handler changed.
func (s *Service) Decide(ctx context.Context, tx *storage.Tx, a *assets.Assets, requestID int64, actorID roster.StaffID, approve bool, note string) (storage.Request, storage.Ticket, error) {
	actor, err := staffOf(a, actorID)
	if err != nil {
		return storage.Request{}, storage.Ticket{}, err
	}
	if !MayDecide(actor) {
		return storage.Request{}, storage.Ticket{}, fmt.Errorf("%w: %s may not decide requests", ErrForbidden, actor.Name)
	}
	r, err := tx.Request(ctx, requestID)
	if err != nil {
		return r, storage.Ticket{}, fmt.Errorf("request %d: %w", requestID, err)
	}
	t, err := load(ctx, tx, r.TicketID)
	if err != nil {
		return r, t, err
	}
	if r.Decision != storage.Pending {
		return r, t, fmt.Errorf("request %d: %w", r.ID, ErrDone)
	}
	if !t.State.Open() {
		return r, t, &routing.IllegalTransitionError{From: t.State, Action: routing.AskExtend}
	}
	r.Decision, r.DecidedBy, r.DecidedAt, r.Note = storage.Refused, actorID, s.now(), strings.TrimSpace(note)
	if approve {
		r.Decision = storage.Approved
	}
	if ok, err := tx.DecideRequest(ctx, r); err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("request %d: %w", r.ID, ErrDone)
		}
		return r, t, err
	}
	asker := t.HandlerID
	switch {
	case r.Kind == storage.Extend && approve:
		err = s.extend(ctx, tx, &t, r)
	case r.Kind == storage.Return && approve:
		err = s.takeBack(ctx, tx, a, &t, r, actor)
	default:
		kind := EventExtendRefused
		if r.Kind == storage.Return {
			kind = EventReturnRefused
		}
		err = s.event(ctx, tx, t, kind, int64(actorID), t.State, t.State, map[string]any{"request": r.ID, "note": r.Note})
	}
	if err != nil {
		return r, t, err
	}
	_, err = s.toStaff(ctx, tx, int64(asker), notice.RequestDecided(t, r))
	return r, t, err
}

// extend moves t's resolve deadline to the one approved.
func (s *Service) extend(ctx context.Context, tx *storage.Tx, t *storage.Ticket, r storage.Request) error {
	from := t.ResolveBy
	t.ResolveBy = r.Deadline
	if err := s.save(ctx, tx, t); err != nil {
		return err
	}
	data := map[string]any{"request": r.ID, "deadline": r.Deadline, "from": from, "note": r.Note}
	if err := s.event(ctx, tx, *t, EventExtendApproved, int64(r.DecidedBy), t.State, t.State, data); err != nil {
		return err
	}
	if err := s.editCard(ctx, tx, *t); err != nil {
		return err
	}
	if t.HasChat() {
		return s.queue(ctx, tx, t.ResidentID, notice.Extended(*t))
	}
	return nil
}

// takeBack gives t to the centre member who approved its return.
func (s *Service) takeBack(ctx context.Context, tx *storage.Tx, a *assets.Assets, t *storage.Ticket, r storage.Request, approver roster.Staff) error {
	if err := s.assign(ctx, tx, a, t, routing.Transfer, int64(approver.TelegramID), approver, routing.LevelOf(approver.Role), "退单："+r.Reason); err != nil {
		return err
	}
	data := map[string]any{"request": r.ID, "note": r.Note, "from_handler": r.RequestedBy}
	if err := s.event(ctx, tx, *t, EventReturnApproved, int64(approver.TelegramID), t.State, t.State, data); err != nil {
		return err
	}
	if t.HasChat() {
		return s.queue(ctx, tx, t.ResidentID, notice.Transferred(*t))
	}
	return nil
}
