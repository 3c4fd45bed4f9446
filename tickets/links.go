package tickets

import (
	"context"
	"errors"
	"fmt"

	"hotline/assets"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/sameproblem"
	"hotline/storage"
	"hotline/taxonomy"
)

// One problem, many requesters. A report very likely the same problem as
// an open ticket of its village and category (package sameproblem) is
// linked to it: it keeps its own row (words, requester, rating) but no
// card, the primary's handler answering for it; the primary's card counts the requesters, and
// resolving the primary resolves every linked ticket and tells each
// requester, who rates on their own. Staff link by hand and unlink a
// wrong match, which routes the ticket as new.

// Event kinds on a primary as requesters join and leave it.
const (
	EventRequesterAdded   = "requester_added"
	EventRequesterRemoved = "requester_removed"
)

// ErrNotLinkable is returned for a link that makes no sense: a ticket to
// itself, to a ticket that is not open, or one already linked.
var ErrNotLinkable = errors.New("cannot be linked")

// mergeable reports whether a new ticket may be linked to another on
// intake: a resident's own message and a staff member's report of a
// visit, call or walk-in. A campaign's answers ("有问题" from a hundred
// homes) and 12345 orders (each answered to the platform by its own
// number) are never merged automatically.
func (in OpenInput) mergeable() bool {
	return in.Source == taxonomy.Telegram || in.Source.ByStaff()
}

// matchable reports whether another report could be the same problem as
// one of category cat saying text: only those are looked up on intake.
func matchable(cat taxonomy.Category, text string) (sameproblem.Report, bool) {
	if !sameproblem.Shared(cat) {
		return sameproblem.Report{}, false
	}
	r := sameproblem.Read(text)
	return r, r.Matchable()
}

// sameOpen finds the open ticket a new report very likely duplicates: the
// newest of the same village and category, within sameproblem.Window,
// judged the same by sameproblem, unless it is already the requester's.
func (s *Service) sameOpen(ctx context.Context, tx *storage.Tx, in OpenInput, cat taxonomy.Category, urg taxonomy.Urgency, report sameproblem.Report) (storage.Ticket, bool, error) {
	// An emergency gets its own ticket and the centre's alert, always.
	if !report.Matchable() || !in.mergeable() || in.Intent.Village == "" || in.Intent.Emergency != "" {
		return storage.Ticket{}, false, nil
	}
	report = located(report, in.Place)
	open, err := tx.OpenProblems(ctx, in.Intent.Village, cat, s.now().Add(-sameproblem.Window))
	if err != nil {
		return storage.Ticket{}, false, err
	}
	// The newest ticket with the same problem decides: another requester's
	// to follow, or one the requester reported or follows already, which
	// a message of theirs repeats rather than joins (it stays a ticket of
	// its own, as every message was before). Stopping there also bounds
	// the work when one problem has several open tickets.
	for _, p := range open {
		if !sameproblem.Same(located(sameproblem.Read(p.Text), p.Place), report) {
			continue
		}
		if in.ResidentID != 0 && p.ResidentID == in.ResidentID {
			return storage.Ticket{}, false, nil
		}
		primary, err := load(ctx, tx, p.ID)
		if err != nil {
			return primary, false, err
		}
		// A more urgent report is not folded into a slower ticket.
		if urg == taxonomy.Urgent && primary.Urgency != taxonomy.Urgent {
			return storage.Ticket{}, false, nil
		}
		if in.ResidentID != 0 {
			if mine, err := tx.IsRequester(ctx, primary.ID, in.ResidentID); err != nil || mine {
				return storage.Ticket{}, false, err
			}
		}
		return primary, true, nil
	}
	return storage.Ticket{}, false, nil
}

// located is r at the place its requester shared, if they did.
func located(r sameproblem.Report, p storage.Place) sameproblem.Report {
	if p.Known() {
		return r.At(p.Lat, p.Lon)
	}
	return r
}

// openLinked stores t linked to primary: the requester is told the
// primary's number, the primary's card counts one more requester, and no
// handler gets a card.
func (s *Service) openLinked(ctx context.Context, tx *storage.Tx, in OpenInput, t storage.Ticket, primary storage.Ticket) (storage.Ticket, error) {
	to, err := routing.Next(routing.StateNew, routing.Link)
	if err != nil {
		return t, err
	}
	t.State, t.LinkedTo = to, primary.ID
	// The primary's handler answers for it (its requester's rating is
	// theirs); it gets no card, and a linked ticket takes no action but
	// being resolved.
	t.HandlerID, t.HandlerName, t.HandlerRole, t.Level = primary.HandlerID, primary.HandlerName, primary.HandlerRole, primary.Level
	t.AcceptBy, t.ResolveBy = primary.AcceptBy, primary.ResolveBy
	if err := tx.InsertTicket(ctx, &t); err != nil {
		return t, err
	}
	actor := int64(in.OpenedBy)
	events, err := s.openingEvents(t, in, actor, string(routing.Link), t.State,
		map[string]any{"to": primary.Number, "to_id": primary.ID, "by": "matcher"})
	if err != nil {
		return t, err
	}
	// The primary's count and its event go with the new ticket's events,
	// in one statement: this is the intake path.
	if primary.Requesters, err = tx.AddRequesters(ctx, primary.ID, 1); err != nil {
		return t, err
	}
	added, err := s.newEvent(primary, EventRequesterAdded, actor, primary.State, primary.State,
		map[string]any{"ticket": t.Number, "ticket_id": t.ID, "requesters": primary.Requesters})
	if err != nil {
		return t, err
	}
	if err := tx.AddEvents(ctx, append(events, added)...); err != nil {
		return t, err
	}
	s.observe(tx, t, events...)
	s.observe(tx, primary, added)
	if err := s.editCard(ctx, tx, primary); err != nil {
		return t, err
	}
	if t.HasChat() {
		return t, s.queue(ctx, tx, t.ResidentID, notice.MergedReceipt(t, primary))
	}
	return t, nil
}

// addRequesters counts n more (or fewer) requesters on primary because of
// t, records it and updates the handler's card.
func (s *Service) addRequesters(ctx context.Context, tx *storage.Tx, primary, t storage.Ticket, n int, actor int64) error {
	var err error
	if primary.Requesters, err = tx.AddRequesters(ctx, primary.ID, n); err != nil {
		return err
	}
	kind := EventRequesterAdded
	if n < 0 {
		kind = EventRequesterRemoved
	}
	data := map[string]any{"ticket": t.Number, "ticket_id": t.ID, "requesters": primary.Requesters}
	if err := s.event(ctx, tx, primary, kind, actor, primary.State, primary.State, data); err != nil {
		return err
	}
	return s.editCard(ctx, tx, primary)
}

// Link says by hand that ticket id is the same problem as primaryID: its
// card is withdrawn from its handler, its requesters join the primary,
// and its requester is told.
func (s *Service) Link(ctx context.Context, tx *storage.Tx, a *assets.Assets, id, primaryID storage.TicketID, actorID roster.StaffID) (storage.Ticket, error) {
	actor, err := staffOf(a, actorID)
	if err != nil {
		return storage.Ticket{}, err
	}
	t, err := load(ctx, tx, id)
	if err != nil {
		return t, err
	}
	primary, err := load(ctx, tx, primaryID)
	if err != nil {
		return t, err
	}
	if !MayLink(actor, t, primary) {
		return t, fmt.Errorf("%w: %s may not link %s to %s", ErrForbidden, actor.Name, t.Number, primary.Number)
	}
	if t.ID == primary.ID || !primary.State.Open() || primary.LinkedTo != 0 {
		return t, fmt.Errorf("link %s to %s: %w", t.Number, primary.Number, ErrNotLinkable)
	}
	from := t.State
	to, err := routing.Next(from, routing.Link)
	if err != nil {
		return t, err
	}
	joining := t.Requesters
	if err := tx.RelinkTickets(ctx, t.ID, primary.ID); err != nil {
		return t, err
	}
	card, cardChat := t.CardOutbox, t.CardChat
	t.State, t.LinkedTo, t.Requesters = to, primary.ID, 1
	t.CardOutbox, t.CardChat = 0, 0
	if err := s.save(ctx, tx, &t); err != nil {
		return t, err
	}
	data := map[string]any{"to": primary.Number, "to_id": primary.ID, "by": "hand"}
	if err := s.event(ctx, tx, t, string(routing.Link), int64(actorID), from, to, data); err != nil {
		return t, err
	}
	if card != 0 && cardChat != 0 {
		r, err := ResidentOf(ctx, tx, t)
		if err != nil {
			return t, err
		}
		if err := s.queue(ctx, tx, cardChat, notice.CardMerged(t, r, primary, card)); err != nil {
			return t, err
		}
	}
	if err := s.addRequesters(ctx, tx, primary, t, joining, int64(actorID)); err != nil {
		return t, err
	}
	if t.HasChat() {
		return t, s.queue(ctx, tx, t.ResidentID, notice.MergedByHand(t, primary))
	}
	return t, nil
}

// Unlink says a linked ticket is not the same problem after all: it is
// routed as new, its handler gets a card and its requester is told its
// own number.
func (s *Service) Unlink(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actorID roster.StaffID) (storage.Ticket, error) {
	actor, err := staffOf(a, actorID)
	if err != nil {
		return storage.Ticket{}, err
	}
	t, err := load(ctx, tx, id)
	if err != nil {
		return t, err
	}
	if t.State != routing.Linked || t.LinkedTo == 0 {
		return t, &routing.IllegalTransitionError{From: t.State, Action: routing.Unlink}
	}
	primary, err := load(ctx, tx, t.LinkedTo)
	if err != nil {
		return t, err
	}
	if !MayLink(actor, primary, primary) {
		return t, fmt.Errorf("%w: %s may not unlink %s from %s", ErrForbidden, actor.Name, t.Number, primary.Number)
	}
	h, err := a.Router.Route(t.Category, t.Village)
	if err != nil {
		return t, err
	}
	t.LinkedTo = 0
	if err := s.assign(ctx, tx, a, &t, routing.Unlink, int64(actorID), h, routing.LevelOf(h.Role), "not the same problem as "+primary.Number); err != nil {
		return t, err
	}
	if err := s.addRequesters(ctx, tx, primary, t, -1, int64(actorID)); err != nil {
		return t, err
	}
	if t.HasChat() {
		return t, s.queue(ctx, tx, t.ResidentID, notice.Unlinked(t, primary))
	}
	return t, nil
}

// resolveLinked resolves, with primary, every ticket still linked to it,
// and asks each requester with a chat to rate: one rating per requester.
func (s *Service) resolveLinked(ctx context.Context, tx *storage.Tx, primary storage.Ticket, actor int64) error {
	data := map[string]any{"note": primary.ResultNote, "outcome": primary.Outcome, "with": primary.Number}
	return s.finishLinked(ctx, tx, primary, routing.Resolve, actor, data, func(t *storage.Ticket) storage.OutboxMessage {
		t.ResolvedAt, t.ResultNote, t.Outcome = primary.ResolvedAt, primary.ResultNote, primary.Outcome
		t.HandlerID, t.HandlerName, t.HandlerRole, t.Level = primary.HandlerID, primary.HandlerName, primary.HandlerRole, primary.Level
		return notice.Resolved(shownAs(*t, primary))
	})
}

// closeLinked closes, with primary, every ticket still linked to it, and
// tells each requester with a chat why, under the number they know.
func (s *Service) closeLinked(ctx context.Context, tx *storage.Tx, primary storage.Ticket, actor int64, note string) error {
	data := map[string]any{"note": note, "with": primary.Number}
	return s.finishLinked(ctx, tx, primary, routing.Dismiss, actor, data, func(t *storage.Ticket) storage.OutboxMessage {
		t.ClosedAt = primary.ClosedAt
		return notice.Dismissed(shownAs(*t, primary), note)
	})
}

// finishLinked moves every ticket still linked to primary by act, as
// primary just was: apply copies what it takes from primary and returns
// what its requester is told, when they have a chat. A primary nobody
// else reported (Requesters 1) has nothing linked, and is not looked up.
func (s *Service) finishLinked(ctx context.Context, tx *storage.Tx, primary storage.Ticket, act routing.Action, actor int64,
	data map[string]any, apply func(t *storage.Ticket) storage.OutboxMessage) error {
	if primary.Requesters <= 1 {
		return nil
	}
	linked, err := tx.LinkedTickets(ctx, primary.ID)
	if err != nil {
		return err
	}
	for _, t := range linked {
		if t.State != routing.Linked {
			continue
		}
		to, err := routing.Next(t.State, act)
		if err != nil {
			return err
		}
		from := t.State
		t.State = to
		m := apply(&t)
		if err := s.save(ctx, tx, &t); err != nil {
			return err
		}
		if err := s.event(ctx, tx, t, string(act), actor, from, to, data); err != nil {
			return err
		}
		if t.HasChat() {
			if err := s.queue(ctx, tx, t.ResidentID, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// dismissLinked finishes closing a linked ticket on its own: the primary
// counts one requester fewer, and the requester is told under the
// ticket's own number, since the problem they were told of stays open.
func (s *Service) dismissLinked(ctx context.Context, tx *storage.Tx, t storage.Ticket, actor int64, note string) error {
	primary, err := load(ctx, tx, t.LinkedTo)
	if err != nil {
		return err
	}
	if err := s.addRequesters(ctx, tx, primary, t, -1, actor); err != nil {
		return err
	}
	if t.HasChat() {
		return s.queue(ctx, tx, t.ResidentID, notice.Dismissed(t, note))
	}
	return nil
}

// shownAs is t as its requester knows it: a linked ticket goes by its
// primary's number, the one their receipt gave them, and its handler.
// It is for display only.
func shownAs(t, primary storage.Ticket) storage.Ticket {
	t.Number, t.HandlerName, t.HandlerRole = primary.Number, primary.HandlerName, primary.HandlerRole
	return t
}

// Shown is ticket t as its requester knows it (see shownAs), reading the
// primary when t is linked.
func Shown(ctx context.Context, tx *storage.Tx, t storage.Ticket) (storage.Ticket, error) {
	if t.LinkedTo == 0 {
		return t, nil
	}
	primary, err := tx.Ticket(ctx, t.LinkedTo)
	if err != nil {
		return t, fmt.Errorf("primary of %s: %w", t.Number, err)
	}
	return shownAs(t, primary), nil
}
