package tickets

import (
	"context"
	"fmt"

	"hotline/assets"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// What a resident sends besides words reaches the handler: photos and
// voice messages are copied to them after every card of the ticket, a
// place goes on the card, and what the resident says about a rejected
// result is added to it.

// Event kinds of media and reasons.
const (
	EventMediaAdded   = "media_added"
	EventPlaceAdded   = "place_added"
	EventReopenReason = "reopen_reason"
)

// route picks a new ticket's first handler: the one the caller names (a
// voice message goes to the village cadre, who can phone back; an
// emergency nobody can place goes to the centre), else the router's.
func route(a *assets.Assets, in OpenInput, cat taxonomy.Category) (roster.Staff, error) {
	if in.Handler == 0 {
		return a.Router.Route(cat, in.Intent.Village)
	}
	h, ok := a.Roster.StaffByID(in.Handler)
	if !ok {
		return roster.Staff{}, fmt.Errorf("open: handler %d is not in the roster: %w", in.Handler, routing.ErrNoHandler)
	}
	return h, nil
}

// AddMedia keeps photos, voice messages and places with the resident's
// ticket and sends the handler a copy of each photo and voice message,
// after their card (a ticket whose handler has no card yet gets the copies
// with the card). A place is on the card already: it is the ticket's
// Place, set when it was opened or by AttachPlace.
func (s *Service) AddMedia(ctx context.Context, tx *storage.Tx, id storage.TicketID, residentID int64, media ...storage.Media) (storage.Ticket, error) {
	t, err := ownTicket(ctx, tx, id, residentID)
	if err != nil {
		return t, err
	}
	for i := range media {
		m := &media[i]
		m.TicketID = t.ID
		if m.AddedAt.IsZero() {
			m.AddedAt = s.now()
		}
		if err := tx.AddTicketMedia(ctx, m); err != nil {
			return t, err
		}
		if err := s.event(ctx, tx, t, EventMediaAdded, residentID, "", "", map[string]any{"kind": m.Kind}); err != nil {
			return t, err
		}
		if t.CardOutbox != 0 && t.CardChat != 0 && m.Kind != storage.MediaLocation {
			if err := s.queue(ctx, tx, t.CardChat, notice.MediaCopy(t, *m)); err != nil {
				return t, err
			}
		}
	}
	return t, nil
}

// copyMedia sends the holder of t's card a copy of each of its photos and
// voice messages, right after a fresh card (a transfer, an escalation, a
// reopening, a handler who started the bot late). A new ticket has none
// yet: AddMedia sends them after its first card.
func (s *Service) copyMedia(ctx context.Context, tx *storage.Tx, t storage.Ticket) error {
	if t.CardOutbox == 0 || t.CardChat == 0 {
		return nil
	}
	chat := t.CardChat
	media, err := tx.TicketMedia(ctx, t.ID)
	if err != nil {
		return err
	}
	for _, m := range media {
		if err := s.queue(ctx, tx, chat, notice.MediaCopy(t, m)); err != nil {
			return err
		}
	}
	return nil
}

// AttachPlace puts the place the resident shared (m, a location) on
// their open ticket: the card is rewritten with it, the ticket keeps it
// among its media (with its name and address when Telegram gave them),
// and the handler gets a copy of the shared location when m is a message
// in the resident's chat (MessageID > 0) — a pin they can open, and a
// sound the edit does not make. For an emergency the centre gets the pin
// too.
func (s *Service) AttachPlace(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, residentID int64, m storage.Media) (storage.Ticket, error) {
	t, err := ownTicket(ctx, tx, id, residentID)
	if err != nil {
		return t, err
	}
	if !t.State.Open() {
		return t, &routing.IllegalTransitionError{From: t.State, Action: routing.Transfer}
	}
	p := m.Place
	if !p.Known() {
		return t, fmt.Errorf("attach place to %s: no place", t.Number)
	}
	t.Place = p
	if err := s.save(ctx, tx, &t); err != nil {
		return t, err
	}
	m.TicketID, m.Kind = t.ID, storage.MediaLocation
	if m.AddedAt.IsZero() {
		m.AddedAt = s.now()
	}
	if err := tx.AddTicketMedia(ctx, &m); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, EventPlaceAdded, residentID, "", "", map[string]any{"lat": p.Lat, "lon": p.Lon}); err != nil {
		return t, err
	}
	if err := s.editCard(ctx, tx, t); err != nil {
		return t, err
	}
	chats := []int64{}
	if t.CardOutbox != 0 && t.CardChat != 0 {
		chats = append(chats, t.CardChat)
	}
	if t.Emergency != "" {
		for _, c := range a.Roster.Centers() {
			if id := int64(c.TelegramID); id != t.CardChat {
				if ok, err := tx.Reachable(ctx, id); err != nil {
					return t, err
				} else if ok {
					chats = append(chats, id)
				}
			}
		}
	}
	for _, chat := range chats {
		if err := s.queue(ctx, tx, chat, notice.PlaceAddendum(t)); err != nil {
			return t, err
		}
		if m.MessageID > 0 {
			pin := storage.OutboxMessage{TicketID: t.ID, Kind: notice.KindMediaCopy, Method: "copy", FromChat: residentID, FromMessageID: m.MessageID}
			if err := s.queue(ctx, tx, chat, pin); err != nil {
				return t, err
			}
		}
	}
	return t, nil
}

// ReopenReason records what the resident says is still wrong with a
// ticket they sent back with 未解决: the card is rewritten with it and the
// handler told.
func (s *Service) ReopenReason(ctx context.Context, tx *storage.Tx, id storage.TicketID, residentID int64, reason string) (storage.Ticket, error) {
	t, err := ownTicket(ctx, tx, id, residentID)
	if err != nil {
		return t, err
	}
	if t.Reopened == 0 || !t.State.Open() {
		return t, &routing.IllegalTransitionError{From: t.State, Action: routing.Reopen}
	}
	t.ReopenReason = reason
	if err := s.save(ctx, tx, &t); err != nil {
		return t, err
	}
	if err := s.event(ctx, tx, t, EventReopenReason, residentID, "", "", nil); err != nil {
		return t, err
	}
	if err := s.editCard(ctx, tx, t); err != nil {
		return t, err
	}
	if t.CardOutbox != 0 && t.CardChat != 0 {
		return t, s.queue(ctx, tx, t.CardChat, notice.ReopenReasonAddendum(t))
	}
	return t, nil
}
