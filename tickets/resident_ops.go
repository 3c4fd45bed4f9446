package tickets

import (
	"context"
	"fmt"
	"time"

	"hotline/notice"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// ownTicket loads a ticket for its resident. Anyone else gets
// storage.ErrNotFound, so a guessed number reveals nothing.
func ownTicket(ctx context.Context, tx *storage.Tx, id, residentID int64) (storage.Ticket, error) {
	t, err := tx.Ticket(ctx, id)
	if err != nil {
		return storage.Ticket{}, fmt.Errorf("ticket %d: %w", id, err)
	}
	if residentID == 0 || t.ResidentID != residentID {
		return storage.Ticket{}, fmt.Errorf("ticket %d: %w", id, storage.ErrNotFound)
	}
	return t, nil
}

// Rate records the resident's 1–5 rating once and closes the ticket.
func (s *Service) Rate(ctx context.Context, tx *storage.Tx, id, residentID int64, stars int) (storage.Ticket, error) {
	t, err := ownTicket(ctx, tx, id, residentID)
	if err != nil {
		return storage.Ticket{}, err
	}
	if stars < 1 || stars > 5 {
		return t, fmt.Errorf("rate %s: %d is not 1..5", t.Number, stars)
	}
	if t.Rating != 0 {
		return t, ErrAlreadyRated
	}
	to, err := routing.Next(routing.State(t.State), routing.Close)
	if err != nil {
		return t, err
	}
	from := t.State
	t.Rating, t.State, t.ClosedAt = stars, string(to), s.now()
	if err := tx.SaveTicket(ctx, t); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, "rated", residentID, from, from, map[string]any{"rating": stars}); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, string(routing.Close), residentID, from, t.State, nil); err != nil {
		return t, err
	}
	return t, s.queue(ctx, tx, notice.Rated(t))
}

// Unresolved is the resident's "未解决": the ticket goes back to the same
// handler with a raised urgency and fresh deadlines.
func (s *Service) Unresolved(ctx context.Context, tx *storage.Tx, id, residentID int64) (storage.Ticket, error) {
	t, err := ownTicket(ctx, tx, id, residentID)
	if err != nil {
		return storage.Ticket{}, err
	}
	if t.Rating != 0 {
		return t, ErrAlreadyRated
	}
	h, ok := s.Router().Roster().StaffByID(t.HandlerID)
	if !ok {
		// The handler left the roster: route afresh.
		if h, err = s.Router().Route(taxonomy.Category(t.Category), t.Village); err != nil {
			return t, err
		}
	}
	t.Urgency = string(taxonomy.Urgency(t.Urgency).Raise())
	t.Reopened++
	t.ResultNote = ""
	if err := s.assign(ctx, tx, &t, routing.Reopen, residentID, h, t.Level, "resident says unresolved"); err != nil {
		return t, err
	}
	return t, s.queue(ctx, tx, notice.ReopenedResident(t))
}

// Recategorize is the resident's "the category is wrong": the ticket is
// re-routed for the new category while it is still open.
func (s *Service) Recategorize(ctx context.Context, tx *storage.Tx, id, residentID int64, c taxonomy.Category) (storage.Ticket, error) {
	t, err := ownTicket(ctx, tx, id, residentID)
	if err != nil {
		return storage.Ticket{}, err
	}
	if !c.Valid() {
		return t, fmt.Errorf("recategorize %s: %q is not a category", t.Number, c)
	}
	if !routing.State(t.State).Open() {
		return t, &routing.IllegalTransitionError{From: routing.State(t.State), Action: routing.Transfer}
	}
	old := t.Category
	if string(c) == old {
		return t, nil
	}
	t.Category = string(c)
	if err := s.event(ctx, tx, t, "classified", residentID, "", "", map[string]any{"category": c, "from": old, "by": "resident"}); err != nil {
		return t, err
	}
	h, err := s.Router().Route(c, t.Village)
	if err != nil {
		return t, err
	}
	if h.TelegramID == t.HandlerID {
		if err := tx.SaveTicket(ctx, t); err != nil {
			return t, err
		}
		if err := s.editCard(ctx, tx, t); err != nil {
			return t, err
		}
	} else {
		prev := t.HandlerID
		if err := s.assign(ctx, tx, &t, routing.Transfer, residentID, h, routing.LevelOf(h.Role), "category corrected by resident"); err != nil {
			return t, err
		}
		if err := s.queue(ctx, tx, notice.HandedOver(t, prev, "类别已更正并转派")); err != nil {
			return t, err
		}
	}
	return t, s.queue(ctx, tx, notice.Recategorized(t))
}

// Close closes a resolved ticket that was never rated, e.g. some days after
// resolution. It sends nothing.
func (s *Service) Close(ctx context.Context, tx *storage.Tx, id int64, reason string) (storage.Ticket, error) {
	t, err := load(ctx, tx, id)
	if err != nil {
		return storage.Ticket{}, err
	}
	to, err := routing.Next(routing.State(t.State), routing.Close)
	if err != nil {
		return t, err
	}
	from := t.State
	t.State, t.ClosedAt = string(to), s.now()
	if err := tx.SaveTicket(ctx, t); err != nil {
		return t, err
	}
	return t, s.event(ctx, tx, t, string(routing.Close), 0, from, t.State, map[string]any{"reason": reason})
}

// Note appends a handler's progress note to the history.
func (s *Service) Note(ctx context.Context, tx *storage.Tx, id, actorID int64, text string) error {
	actor, err := s.staff(actorID)
	if err != nil {
		return err
	}
	t, err := load(ctx, tx, id)
	if err != nil {
		return err
	}
	if !MayWork(actor, t) {
		return fmt.Errorf("%w: %s may not note %s", ErrForbidden, actor.Name, t.Number)
	}
	return s.event(ctx, tx, t, "noted", actorID, "", "", map[string]any{"note": text, "at": s.now().Format(time.RFC3339)})
}
