package tickets

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"hotline/assets"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
)

func staffOf(a *assets.Assets, actorID roster.StaffID) (roster.Staff, error) {
	st, ok := a.Roster.StaffByID(actorID)
	if !ok {
		return roster.Staff{}, fmt.Errorf("%w: %d is not staff", ErrForbidden, actorID)
	}
	return st, nil
}

// forStaff loads ticket id for an operation by actorID, whom may must allow.
func forStaff(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, may func(roster.Staff, storage.Ticket) bool, verb string) (storage.Ticket, error) {
	actor, err := staffOf(a, actorID)
	if err != nil {
		return storage.Ticket{}, err
	}
	t, err := load(ctx, tx, id)
	if err != nil {
		return storage.Ticket{}, err
	}
	if !may(actor, t) {
		return t, fmt.Errorf("%w: %s may not %s %s", ErrForbidden, actor.Name, verb, t.Number)
	}
	return t, nil
}

// Accept records that the handler took the ticket.
func (s *Service) Accept(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID) (storage.Ticket, error) {
	t, err := forStaff(ctx, tx, a, id, actorID, MayWork, "accept")
	if err != nil {
		return t, err
	}
	to, err := routing.Next(t.State, routing.Accept)
	if err != nil {
		return t, err
	}
	from := t.State
	t.State, t.AcceptedAt = to, s.now()
	if err := s.save(ctx, tx, &t); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, string(routing.Accept), int64(actorID), from, t.State, nil); err != nil {
		return t, err
	}
	if err := s.editCard(ctx, tx, t); err != nil {
		return t, err
	}
	if t.ResidentID != 0 {
		return t, s.queue(ctx, tx, t.ResidentID, notice.Accepted(t))
	}
	return t, nil
}

// Resolve records the result note and what became of the problem
// (solved when ""), and asks the resident for a rating. A ticket resolved
// straight from assigned counts as accepted at that moment.
func (s *Service) Resolve(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, note string, outcome routing.Outcome) (storage.Ticket, error) {
	t, err := forStaff(ctx, tx, a, id, actorID, MayWork, "resolve")
	if err != nil {
		return t, err
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return t, fmt.Errorf("resolve %s: %w", t.Number, ErrNeedNote)
	}
	if outcome == "" {
		outcome = routing.Solved
	}
	if !outcome.Valid() {
		return t, fmt.Errorf("resolve %s: %w: unknown outcome %q", t.Number, ErrBadInput, outcome)
	}
	if t.State == routing.Linked {
		// It is resolved with the ticket it follows, or unlinked first.
		return t, &routing.IllegalTransitionError{From: t.State, Action: routing.Resolve}
	}
	to, err := routing.Next(t.State, routing.Resolve)
	if err != nil {
		return t, err
	}
	from, now := t.State, s.now()
	if t.AcceptedAt.IsZero() {
		t.AcceptedAt = now
	}
	t.State, t.ResolvedAt, t.ResultNote, t.Outcome = to, now, note, outcome
	if err := s.save(ctx, tx, &t); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, string(routing.Resolve), int64(actorID), from, t.State, map[string]any{"note": note, "outcome": outcome}); err != nil {
		return t, err
	}
	if err := s.editCard(ctx, tx, t); err != nil {
		return t, err
	}
	if t.ResidentID != 0 {
		if err := s.queue(ctx, tx, t.ResidentID, notice.Resolved(t)); err != nil {
			return t, err
		}
	}
	return t, s.resolveLinked(ctx, tx, t, int64(actorID))
}

// Transfer hands the ticket to another staff member, one of those the
// router offers (routing.Router.TransferTargets).
func (s *Service) Transfer(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID, toID roster.StaffID) (storage.Ticket, error) {
	t, err := forStaff(ctx, tx, a, id, actorID, MayMove, "transfer")
	if err != nil {
		return t, err
	}
	targets := a.Router.TransferTargets(t.HandlerID)
	i := slices.IndexFunc(targets, func(st roster.Staff) bool { return st.TelegramID == toID })
	if i < 0 {
		return t, fmt.Errorf("transfer %s: %w: %d is not a transfer target", t.Number, ErrBadInput, toID)
	}
	to := targets[i]
	prev := t.HandlerID
	if err := s.assign(ctx, tx, a, &t, routing.Transfer, int64(actorID), to, routing.LevelOf(to.Role), ""); err != nil {
		return t, err
	}
	if prev != actorID {
		if err := s.queue(ctx, tx, int64(prev), notice.HandedOver(t, "已被转派")); err != nil {
			return t, err
		}
	}
	if t.ResidentID != 0 {
		return t, s.queue(ctx, tx, t.ResidentID, notice.Transferred(t))
	}
	return t, nil
}

// Escalate moves the ticket one level up: cadre or department → area
// leader → centre, at a staff member's request.
func (s *Service) Escalate(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, reason string) (storage.Ticket, error) {
	t, err := forStaff(ctx, tx, a, id, actorID, MayMove, "escalate")
	if err != nil {
		return t, err
	}
	return s.escalate(ctx, tx, a, t, int64(actorID), reason)
}

// escalate moves t one level up for actor (0: the system).
func (s *Service) escalate(ctx context.Context, tx *storage.Tx, a *assets.Assets, t storage.Ticket, actor int64, reason string) (storage.Ticket, error) {
	next, level, err := a.Router.Escalate(t.Level, t.Village)
	if err != nil {
		return t, fmt.Errorf("escalate %s: %w", t.Number, err)
	}
	prev := t.HandlerID
	if err := s.assign(ctx, tx, a, &t, routing.Escalate, actor, next, level, reason); err != nil {
		return t, err
	}
	if int64(prev) != actor && prev != next.TelegramID {
		if err := s.queue(ctx, tx, int64(prev), notice.HandedOver(t, "已上报")); err != nil {
			return t, err
		}
	}
	if t.ResidentID != 0 {
		return t, s.queue(ctx, tx, t.ResidentID, notice.Escalated(t))
	}
	return t, nil
}
