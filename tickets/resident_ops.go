package tickets

import (
	"context"
	"fmt"

	"hotline/assets"
	"hotline/notice"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// ownTicket loads a ticket for its resident. Anyone else gets
// storage.ErrNotFound, so a guessed number reveals nothing.
func ownTicket(ctx context.Context, tx *storage.Tx, id storage.TicketID, residentID int64) (storage.Ticket, error) {
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
func (s *Service) Rate(ctx context.Context, tx *storage.Tx, id storage.TicketID, residentID int64, stars int) (storage.Ticket, error) {
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
	to, err := routing.Next(t.State, routing.Close)
	if err != nil {
		return t, err
	}
	from := t.State
	t.Rating, t.State, t.ClosedAt = stars, to, s.now()
	if err := s.save(ctx, tx, &t); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, EventRated, residentID, from, from, map[string]any{"rating": stars}); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, string(routing.Close), residentID, from, t.State, nil); err != nil {
		return t, err
	}
	shown, err := Shown(ctx, tx, t)
	if err != nil {
		return t, err
	}
	return t, s.queue(ctx, tx, t.ResidentID, notice.Rated(shown))
}

// Unresolved is the resident's "未解决": the ticket goes back to the same
// handler with a raised urgency and fresh deadlines.
func (s *Service) Unresolved(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, residentID int64) (storage.Ticket, error) {
	t, err := ownTicket(ctx, tx, id, residentID)
	if err != nil {
		return storage.Ticket{}, err
	}
	if t.Rating != 0 {
		return t, ErrAlreadyRated
	}
	return s.reopen(ctx, tx, a, t, residentID)
}

// reopen gives t back to its handler (routed afresh if they left the
// roster) with a raised urgency.
func (s *Service) reopen(ctx context.Context, tx *storage.Tx, a *assets.Assets, t storage.Ticket, residentID int64) (storage.Ticket, error) {
	handler := t.HandlerID
	if t.LinkedTo != 0 {
		// Resolved with its primary: back to whoever handled that.
		primary, err := load(ctx, tx, t.LinkedTo)
		if err != nil {
			return t, err
		}
		handler = primary.HandlerID
	}
	h, ok := a.Roster.StaffByID(handler)
	if !ok {
		var err error
		if h, err = a.Router.Route(t.Category, t.Village); err != nil {
			return t, err
		}
	}
	t.Urgency = t.Urgency.Raise()
	t.Reopened++
	// The new card says what the resident rejected; what they say is
	// still wrong comes with ReopenReason.
	t.ReopenNote, t.ReopenReason, t.ResultNote, t.Outcome = t.ResultNote, "", "", ""
	// A requester whose problem, merged with others', is not solved for
	// them gets a ticket of their own again.
	t.LinkedTo = 0
	if err := s.assign(ctx, tx, a, &t, routing.Reopen, residentID, h, t.Level, "resident says unresolved"); err != nil {
		return t, err
	}
	return t, s.queue(ctx, tx, t.ResidentID, notice.ReopenedResident(t))
}

// Recategorize is the resident's "the category is wrong": the ticket is
// re-routed for the new category while it is still open.
func (s *Service) Recategorize(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, residentID int64, c taxonomy.Category) (storage.Ticket, error) {
	t, err := ownTicket(ctx, tx, id, residentID)
	if err != nil {
		return storage.Ticket{}, err
	}
	if !c.Valid() {
		return t, fmt.Errorf("recategorize %s: %w: %q is not a category", t.Number, ErrBadInput, c)
	}
	if !t.State.Open() {
		return t, &routing.IllegalTransitionError{From: t.State, Action: routing.Transfer}
	}
	if c == t.Category {
		return t, nil
	}
	if err := s.setCategory(ctx, tx, a, &t, c, residentID, "resident"); err != nil {
		return t, err
	}
	return t, s.queue(ctx, tx, t.ResidentID, notice.Recategorized(t))
}

// setCategory records that by ("resident", "staff") changed t's category
// to c and, while t is open, routes it again for c: the card is edited when
// the handler stays, and when not, t is handed over and the former
// handler told (unless they made the change). t is saved.
func (s *Service) setCategory(ctx context.Context, tx *storage.Tx, a *assets.Assets, t *storage.Ticket, c taxonomy.Category, actor int64, by string) error {
	old := t.Category
	t.Category = c
	_, t.Matchable = matchable(c, t.Text)
	if err := s.event(ctx, tx, *t, EventClassified, actor, "", "", map[string]any{"category": c, "from": old, "by": by}); err != nil {
		return err
	}
	if !t.State.Open() {
		return s.save(ctx, tx, t)
	}
	h, err := a.Router.Route(c, t.Village)
	if err != nil {
		return err
	}
	if h.TelegramID == t.HandlerID {
		if err := s.save(ctx, tx, t); err != nil {
			return err
		}
		return s.editCard(ctx, tx, *t)
	}
	prev := t.HandlerID
	if err := s.assign(ctx, tx, a, t, routing.Transfer, actor, h, routing.LevelOf(h.Role), "category corrected by "+by); err != nil {
		return err
	}
	if int64(prev) == actor {
		return nil
	}
	return s.queue(ctx, tx, int64(prev), notice.HandedOver(*t, "类别已更正并转派"))
}
