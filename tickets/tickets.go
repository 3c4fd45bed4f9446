// Package tickets is the lifecycle of a resident request: open, accept,
// resolve, rate, reopen, transfer, escalate, recategorise and close. Each
// operation runs inside the caller's storage transaction, checks who may do
// it, moves the state machine, appends an event and queues every message it
// causes — so the change and its notices commit together or not at all.
package tickets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// ErrForbidden is returned when the actor may not do this to the ticket.
var ErrForbidden = errors.New("not allowed")

// ErrAlreadyRated is returned when a resident rates a ticket twice.
var ErrAlreadyRated = errors.New("already rated")

// RouterSource gives the router over the roster in force; the roster can be
// re-imported while the service runs.
type RouterSource interface {
	Router() *routing.Router
}

// Service runs the lifecycle.
type Service struct {
	routers RouterSource
	policy  routing.Policy
	now     func() time.Time
}

// New returns a lifecycle service.
func New(routers RouterSource, policy routing.Policy, now func() time.Time) *Service {
	return &Service{routers: routers, policy: policy, now: now}
}

// Router is the router over the roster in force.
func (s *Service) Router() *routing.Router { return s.routers.Router() }

// OpenInput is what a new ticket starts from.
type OpenInput struct {
	ResidentID int64 // 0 for a ticket not linked to a resident
	Text       string
	Intent     intents.Result
	Campaign   string // outreach campaign that caused it, if any
}

// Open creates a ticket, routes it and queues the resident's receipt and the
// handler's card.
func (s *Service) Open(ctx context.Context, tx *storage.Tx, in OpenInput) (storage.Ticket, error) {
	now := s.now()
	rt := s.Router()
	cat := in.Intent.Category
	if !cat.Valid() {
		cat = taxonomy.Other
	}
	urg := in.Intent.Urgency
	if !urg.Valid() {
		urg = taxonomy.Normal
	}
	h, err := rt.Route(cat, in.Intent.Village)
	if err != nil {
		return storage.Ticket{}, err
	}
	assigned, err := routing.Next(routing.StateNew, routing.Assign)
	if err != nil {
		return storage.Ticket{}, err
	}
	// The ticket is stored already assigned: one insert instead of an
	// insert and an update, which on the intake path is a third fewer pages
	// written. The history still shows it created, classified and assigned.
	level := routing.LevelOf(h.Role)
	t := storage.Ticket{
		ResidentID: in.ResidentID, Text: in.Text, Category: string(cat), Urgency: string(urg),
		Village: in.Intent.Village, Confidence: in.Intent.Confidence, Classifier: in.Intent.Source,
		State: string(assigned), CreatedAt: now, Campaign: in.Campaign,
		HandlerID: h.TelegramID, HandlerName: h.Name, HandlerRole: string(h.Role), Level: level,
	}
	if v, ok := rt.Roster().Village(t.Village); ok {
		t.Area = v.Area
	}
	t.AcceptBy, t.ResolveBy = s.policy.Deadlines(urg, now)
	if err := tx.InsertTicket(ctx, &t); err != nil {
		return storage.Ticket{}, err
	}
	var events []storage.Event
	for _, e := range []struct {
		kind, from, to string
		data           map[string]any
	}{
		{"created", "", string(routing.StateNew), map[string]any{"text": in.Text, "campaign": in.Campaign}},
		{"classified", "", "", map[string]any{
			"category": cat, "urgency": urg, "village": t.Village, "confidence": t.Confidence, "classifier": t.Classifier,
		}},
		{string(routing.Assign), string(routing.StateNew), t.State, handedTo(h, level, 0, "")},
	} {
		ev, err := s.newEvent(t, e.kind, 0, e.from, e.to, e.data)
		if err != nil {
			return storage.Ticket{}, err
		}
		events = append(events, ev)
	}
	if err := tx.AddEvents(ctx, events...); err != nil {
		return storage.Ticket{}, err
	}
	if err := s.sendCard(ctx, tx, &t); err != nil {
		return storage.Ticket{}, err
	}
	if t.CardOutbox != 0 {
		if err := tx.SetTicketCard(ctx, t.ID, t.CardChat, t.CardOutbox); err != nil {
			return storage.Ticket{}, err
		}
	}
	if t.ResidentID != 0 {
		if err := s.queue(ctx, tx, notice.Receipt(t)); err != nil {
			return storage.Ticket{}, err
		}
	}
	return t, nil
}

// assign gives t to h through action a (assign, transfer, escalate, reopen),
// resets its deadlines, records the event and sends h the card.
func (s *Service) assign(ctx context.Context, tx *storage.Tx, t *storage.Ticket, a routing.Action, actor int64, h roster.Staff, level int, reason string) error {
	from := t.State
	to, err := routing.Next(routing.State(from), a)
	if err != nil {
		return err
	}
	now := s.now()
	prev := t.HandlerID
	t.State = string(to)
	t.HandlerID, t.HandlerName, t.HandlerRole, t.Level = h.TelegramID, h.Name, string(h.Role), level
	t.AcceptedAt, t.ResolvedAt, t.ClosedAt = time.Time{}, time.Time{}, time.Time{}
	if a != routing.Assign {
		t.AcceptBy, t.ResolveBy = s.policy.Deadlines(taxonomy.Urgency(t.Urgency), now)
	}
	// The former handler's card must not keep offering buttons for a
	// ticket that is no longer theirs.
	if t.CardOutbox != 0 && t.CardChat != 0 && t.CardChat != h.TelegramID {
		r, err := s.resident(ctx, tx, *t)
		if err != nil {
			return err
		}
		if err := s.queue(ctx, tx, notice.CardGone(*t, r, t.CardChat, t.CardOutbox)); err != nil {
			return err
		}
	}
	if err := s.event(ctx, tx, *t, string(a), actor, from, string(to), handedTo(h, level, prev, reason)); err != nil {
		return err
	}
	if err := s.sendCard(ctx, tx, t); err != nil {
		return err
	}
	return tx.SaveTicket(ctx, *t)
}

// handedTo is the data of an event that gives a ticket to h.
func handedTo(h roster.Staff, level int, from int64, reason string) map[string]any {
	return map[string]any{"handler_id": h.TelegramID, "handler": h.Name, "role": h.Role, "level": level, "from_handler": from, "reason": reason}
}

// sendCard queues a fresh card to the handler, or flags the centre when the
// handler has never started the bot and so cannot receive it. It records
// the card in t; the caller saves t.
func (s *Service) sendCard(ctx context.Context, tx *storage.Tx, t *storage.Ticket) error {
	reachable, err := tx.Reachable(ctx, t.HandlerID)
	if err != nil {
		return err
	}
	if !reachable {
		t.CardChat, t.CardOutbox = 0, 0
		for _, c := range s.Router().Roster().Centers() {
			if c.TelegramID == t.HandlerID {
				continue
			}
			if err := s.queue(ctx, tx, notice.Unstarted(*t, c.TelegramID)); err != nil {
				return err
			}
		}
		return nil
	}
	r, err := s.resident(ctx, tx, *t)
	if err != nil {
		return err
	}
	id, err := tx.Enqueue(ctx, notice.Card(*t, r), s.now())
	if err != nil {
		return err
	}
	t.CardChat, t.CardOutbox = t.HandlerID, id
	return nil
}

// WithoutCard lists a handler's open tickets whose card was never queued,
// e.g. because the handler had not started the bot when they were routed.
func (s *Service) WithoutCard(ctx context.Context, tx *storage.Tx, handlerID int64) ([]storage.Ticket, error) {
	open, err := tx.Tickets(ctx, storage.TicketFilter{HandlerID: handlerID, Open: true})
	if err != nil {
		return nil, err
	}
	var out []storage.Ticket
	for _, t := range open {
		if t.CardOutbox == 0 {
			out = append(out, t)
		}
	}
	return out, nil
}

// SendMissingCards queues cards for a handler's open tickets that have none,
// e.g. when a staff member starts the bot after tickets were routed to them.
func (s *Service) SendMissingCards(ctx context.Context, tx *storage.Tx, handlerID int64) (int, error) {
	missing, err := s.WithoutCard(ctx, tx, handlerID)
	if err != nil {
		return 0, err
	}
	for _, t := range missing {
		if err := s.sendCard(ctx, tx, &t); err != nil {
			return 0, err
		}
		if err := tx.SetTicketCard(ctx, t.ID, t.CardChat, t.CardOutbox); err != nil {
			return 0, err
		}
	}
	return len(missing), nil
}

func (s *Service) editCard(ctx context.Context, tx *storage.Tx, t storage.Ticket) error {
	if t.CardOutbox == 0 {
		return nil
	}
	r, err := s.resident(ctx, tx, t)
	if err != nil {
		return err
	}
	_, err = tx.Enqueue(ctx, notice.CardEdit(t, r), s.now())
	return err
}

func (s *Service) resident(ctx context.Context, tx *storage.Tx, t storage.Ticket) (storage.Resident, error) {
	if t.ResidentID == 0 {
		return storage.Resident{}, nil
	}
	r, err := tx.Resident(ctx, t.ResidentID)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Resident{}, nil
	}
	return r, err
}

func (s *Service) queue(ctx context.Context, tx *storage.Tx, m storage.OutboxMessage) error {
	_, err := tx.Enqueue(ctx, m, s.now())
	return err
}

func (s *Service) event(ctx context.Context, tx *storage.Tx, t storage.Ticket, kind string, actor int64, from, to string, data map[string]any) error {
	e, err := s.newEvent(t, kind, actor, from, to, data)
	if err != nil {
		return err
	}
	return tx.AddEvents(ctx, e)
}

func (s *Service) newEvent(t storage.Ticket, kind string, actor int64, from, to string, data map[string]any) (storage.Event, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return storage.Event{}, fmt.Errorf("encode %s event: %w", kind, err)
	}
	return storage.Event{TicketID: t.ID, At: s.now(), Kind: kind, ActorID: actor, FromState: from, ToState: to, Data: string(b)}, nil
}

// load reads a ticket for an operation.
func load(ctx context.Context, tx *storage.Tx, id int64) (storage.Ticket, error) {
	t, err := tx.Ticket(ctx, id)
	if err != nil {
		return storage.Ticket{}, fmt.Errorf("ticket %d: %w", id, err)
	}
	return t, nil
}
