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
	"hotline/taxonomy"
)

// The supervisors' operations, from the desk and the API: 督办 (urge),
// closing with a note, and correcting the category.

// EventUrged records a 督办: a supervisor reminded the handler. Each is
// counted (UrgeCount) and shown in the ticket's history.
const EventUrged = "urged"

// UrgeInterval is how soon a ticket may be urged again: a second press of
// the button must not send the handler the same reminder twice.
const UrgeInterval = 10 * time.Minute

// ErrTooSoon is returned when a ticket was urged less than UrgeInterval ago.
var ErrTooSoon = errors.New("urged moments ago")

// ErrNotOpen is returned for an operation on an open ticket (督办) when
// the ticket is resolved or closed.
var ErrNotOpen = errors.New("the ticket is no longer open")

// Urge reminds the handler of an open ticket that a supervisor is waiting
// on it, with an optional note, and records it.
func (s *Service) Urge(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, note string) (storage.Ticket, error) {
	t, err := forStaff(ctx, tx, a, id, actorID, MaySupervise, "urge")
	if err != nil {
		return t, err
	}
	if !t.State.Open() {
		return t, fmt.Errorf("urge %s: %w", t.Number, ErrNotOpen)
	}
	now := s.now()
	recent, err := tx.HasEventSince(ctx, t.ID, EventUrged, now.Add(-UrgeInterval))
	if err != nil {
		return t, err
	}
	if recent {
		return t, fmt.Errorf("urge %s: %w", t.Number, ErrTooSoon)
	}
	note = strings.TrimSpace(note)
	if err := s.event(ctx, tx, t, EventUrged, int64(actorID), t.State, t.State, map[string]any{"note": note}); err != nil {
		return t, err
	}
	times, err := tx.CountEvents(ctx, t.ID, EventUrged)
	if err != nil {
		return t, err
	}
	actor, _ := a.Roster.StaffByID(actorID)
	return t, s.queue(ctx, tx, int64(t.HandlerID), notice.Urged(t, actor, note, times))
}

// Dismiss closes a ticket with a note at a supervisor's word: a duplicate,
// something that is not a request, or a resolution the resident never
// rated. The resident and (when someone else closed it) the handler are
// told why; the handler's card loses its buttons.
func (s *Service) Dismiss(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, note string) (storage.Ticket, error) {
	t, err := forStaff(ctx, tx, a, id, actorID, MaySupervise, "close")
	if err != nil {
		return t, err
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return t, fmt.Errorf("close %s: %w", t.Number, ErrNeedNote)
	}
	to, err := routing.Next(t.State, routing.Dismiss)
	if err != nil {
		return t, err
	}
	from := t.State
	t.State, t.ClosedAt = to, s.now()
	if err := s.save(ctx, tx, &t); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, string(routing.Dismiss), int64(actorID), from, t.State, map[string]any{"note": note}); err != nil {
		return t, err
	}
	if from == routing.Linked {
		// Not the problem it was linked to after all, nor any: it leaves
		// the primary's count; its handler never had its card.
		return t, s.dismissLinked(ctx, tx, t, int64(actorID), note)
	}
	if err := s.closeLinked(ctx, tx, t, int64(actorID), note); err != nil {
		return t, err
	}
	if err := s.editCard(ctx, tx, t); err != nil {
		return t, err
	}
	if t.HandlerID != actorID && from.Open() {
		actor, _ := a.Roster.StaffByID(actorID)
		if err := s.queue(ctx, tx, int64(t.HandlerID), notice.DismissedStaff(t, actor, note)); err != nil {
			return t, err
		}
	}
	if t.ResidentID != 0 {
		return t, s.queue(ctx, tx, t.ResidentID, notice.Dismissed(t, note))
	}
	return t, nil
}

// CorrectCategory is staff correcting a ticket's category. An open ticket
// is routed again for the new category (handed to its handler when that
// is someone else); a resolved or closed one keeps its handler and only
// counts under the right category in the reports.
func (s *Service) CorrectCategory(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID, c taxonomy.Category) (storage.Ticket, error) {
	t, err := forStaff(ctx, tx, a, id, actorID, MayMove, "recategorize")
	if err != nil {
		return t, err
	}
	if !c.Valid() {
		return t, fmt.Errorf("recategorize %s: %w: %q is not a category", t.Number, ErrBadInput, c)
	}
	if c == t.Category {
		return t, nil
	}
	if err := s.setCategory(ctx, tx, a, &t, c, int64(actorID), "staff"); err != nil {
		return t, err
	}
	if !t.State.Open() {
		return t, nil // a finished ticket only counts under the right category
	}
	if t.ResidentID != 0 {
		return t, s.queue(ctx, tx, t.ResidentID, notice.RecategorizedByStaff(t))
	}
	return t, nil
}
