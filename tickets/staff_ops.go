package tickets

import (
	"context"
	"fmt"
	"strings"

	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
)

// MayWork reports whether actor may accept or resolve t: its handler, or
// the centre and admins who supervise everything. The bot asks it before
// offering a step (such as the result-note prompt); the operation checks
// again when it runs.
func MayWork(actor roster.Staff, t storage.Ticket) bool {
	return actor.TelegramID == t.HandlerID || actor.Role == roster.Center || actor.Role == roster.Admin
}

// MayMove reports whether actor may transfer or escalate t: whoever may
// work it, and the area leader of its 片区.
func MayMove(actor roster.Staff, t storage.Ticket) bool {
	return MayWork(actor, t) || (actor.Role == roster.AreaLeader && actor.Area != "" && actor.Area == t.Area)
}

// MaySee reports whether a staff member may look at t: its handler, the
// area leader of its 片区, a cadre of its village, and the centre.
func MaySee(actor roster.Staff, t storage.Ticket) bool {
	if MayMove(actor, t) {
		return true
	}
	for _, v := range actor.Villages {
		if v == t.Village {
			return true
		}
	}
	return false
}

func (s *Service) staff(actorID int64) (roster.Staff, error) {
	st, ok := s.Router().Roster().StaffByID(actorID)
	if !ok {
		return roster.Staff{}, fmt.Errorf("%w: %d is not staff", ErrForbidden, actorID)
	}
	return st, nil
}

// forStaff loads ticket id for an operation by actorID, whom may must allow.
func (s *Service) forStaff(ctx context.Context, tx *storage.Tx, id, actorID int64, may func(roster.Staff, storage.Ticket) bool, verb string) (storage.Ticket, error) {
	actor, err := s.staff(actorID)
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
func (s *Service) Accept(ctx context.Context, tx *storage.Tx, id, actorID int64) (storage.Ticket, error) {
	t, err := s.forStaff(ctx, tx, id, actorID, MayWork, "accept")
	if err != nil {
		return t, err
	}
	to, err := routing.Next(routing.State(t.State), routing.Accept)
	if err != nil {
		return t, err
	}
	from := t.State
	t.State, t.AcceptedAt = string(to), s.now()
	if err := tx.SaveTicket(ctx, t); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, string(routing.Accept), actorID, from, t.State, nil); err != nil {
		return t, err
	}
	if err := s.editCard(ctx, tx, t); err != nil {
		return t, err
	}
	if t.ResidentID != 0 {
		return t, s.queue(ctx, tx, notice.Accepted(t))
	}
	return t, nil
}

// Resolve records the result note and asks the resident for a rating. A
// ticket resolved straight from assigned counts as accepted at that moment.
func (s *Service) Resolve(ctx context.Context, tx *storage.Tx, id, actorID int64, note string) (storage.Ticket, error) {
	t, err := s.forStaff(ctx, tx, id, actorID, MayWork, "resolve")
	if err != nil {
		return t, err
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return t, fmt.Errorf("resolve %s: a result note is required", t.Number)
	}
	to, err := routing.Next(routing.State(t.State), routing.Resolve)
	if err != nil {
		return t, err
	}
	from, now := t.State, s.now()
	if t.AcceptedAt.IsZero() {
		t.AcceptedAt = now
	}
	t.State, t.ResolvedAt, t.ResultNote = string(to), now, note
	if err := tx.SaveTicket(ctx, t); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, string(routing.Resolve), actorID, from, t.State, map[string]any{"note": note}); err != nil {
		return t, err
	}
	if err := s.editCard(ctx, tx, t); err != nil {
		return t, err
	}
	if t.ResidentID != 0 {
		return t, s.queue(ctx, tx, notice.Resolved(t))
	}
	return t, nil
}

// Transfer hands the ticket to another staff member.
func (s *Service) Transfer(ctx context.Context, tx *storage.Tx, id, actorID, toID int64) (storage.Ticket, error) {
	t, err := s.forStaff(ctx, tx, id, actorID, MayMove, "transfer")
	if err != nil {
		return t, err
	}
	to, ok := s.Router().Roster().StaffByID(toID)
	if !ok || toID == t.HandlerID {
		return t, fmt.Errorf("transfer %s: %d is not a valid target", t.Number, toID)
	}
	prev := t.HandlerID
	if err := s.assign(ctx, tx, &t, routing.Transfer, actorID, to, routing.LevelOf(to.Role), ""); err != nil {
		return t, err
	}
	if prev != actorID {
		if err := s.queue(ctx, tx, notice.HandedOver(t, prev, "已被转派")); err != nil {
			return t, err
		}
	}
	if t.ResidentID != 0 {
		return t, s.queue(ctx, tx, notice.Transferred(t))
	}
	return t, nil
}

// Escalate moves the ticket one level up: cadre or department → area leader
// → centre. actorID 0 is the system (a missed deadline).
func (s *Service) Escalate(ctx context.Context, tx *storage.Tx, id, actorID int64, reason string) (storage.Ticket, error) {
	t, err := load(ctx, tx, id)
	if err != nil {
		return storage.Ticket{}, err
	}
	if actorID != 0 {
		actor, err := s.staff(actorID)
		if err != nil {
			return t, err
		}
		if !MayMove(actor, t) {
			return t, fmt.Errorf("%w: %s may not escalate %s", ErrForbidden, actor.Name, t.Number)
		}
	}
	next, level, err := s.Router().Escalate(t.Level, t.Village)
	if err != nil {
		return t, fmt.Errorf("escalate %s: %w", t.Number, err)
	}
	prev := t.HandlerID
	if err := s.assign(ctx, tx, &t, routing.Escalate, actorID, next, level, reason); err != nil {
		return t, err
	}
	if prev != actorID && prev != next.TelegramID {
		if err := s.queue(ctx, tx, notice.HandedOver(t, prev, "已上报")); err != nil {
			return t, err
		}
	}
	if t.ResidentID != 0 {
		return t, s.queue(ctx, tx, notice.Escalated(t))
	}
	return t, nil
}
