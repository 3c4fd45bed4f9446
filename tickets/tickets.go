// Package tickets is the lifecycle of a request: open, accept, resolve,
// rate, reopen, transfer, escalate, recategorise and the follow-ups the
// scheduler asks for (reminders, escalation at a missed deadline, "has it
// been fixed?"). Each operation runs inside the caller's storage
// transaction, checks who may do it, moves the state machine, appends an
// event and queues every message it causes — so the change and its
// notices commit together or not at all. Nothing else writes a ticket.
package tickets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"hotline/assets"
	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/workdays"
)

// ErrForbidden is returned when the actor may not do this to the ticket.
var ErrForbidden = errors.New("not allowed")

// ErrAlreadyRated is returned when a resident rates a ticket twice.
var ErrAlreadyRated = errors.New("already rated")

// ErrBadInput is returned for an operation asked with a value it cannot
// take: an unknown category, a transfer target that is not offered, a
// missing note. The caller asked wrongly; nothing changed.
var ErrBadInput = errors.New("bad input")

// ErrNeedNote is returned when an operation needs a note and got none.
var ErrNeedNote = fmt.Errorf("%w: a note is required", ErrBadInput)

// Event kinds besides the actions of routing (assigned, accepted, ...),
// which are recorded under their own names.
const (
	EventCreated     = "created"
	EventClassified  = "classified"
	EventRated       = "rated"
	EventFixedAnswer = "fixed_answer"
	EventSLAMissed   = storage.EventSLAMissed
)

// Observer is told of every ticket event once its transaction commits,
// e.g. to count them for /metrics.
type Observer interface {
	TicketEvent(t storage.Ticket, e storage.Event)
}

// Service runs the lifecycle.
type Service struct {
	policy routing.Policy
	cal    *workdays.Calendar
	now    func() time.Time
	log    *slog.Logger
	obs    Observer // nil: nobody
}

// New returns a lifecycle service. Every event is logged at info level once
// committed, and given to obs unless it is nil. Working days (12345
// deadlines, extensions) are counted in the township's zone.
func New(policy routing.Policy, now func() time.Time, log *slog.Logger, obs Observer) *Service {
	return &Service{policy: policy, cal: workdays.New(notice.Zone), now: now, log: log, obs: obs}
}

// Policy is the SLA policy deadlines are set by.
func (s *Service) Policy() routing.Policy { return s.policy }

// Now is the lifecycle's clock, for callers that stamp their own rows in
// the same transaction.
func (s *Service) Now() time.Time { return s.now() }

// Calendar is the working-day calendar deadlines in working days use.
func (s *Service) Calendar() *workdays.Calendar { return s.cal }

// OpenInput is what a new ticket starts from.
type OpenInput struct {
	ResidentID int64 // the requester's chat; 0 when they have none
	Text       string
	Intent     intents.Result
	Campaign   string // outreach campaign that caused it, if any

	// What the resident sent besides words (see media.go).
	Handler roster.StaffID // non-zero: who takes it instead of the router's choice (a voice message's cadre)
	Place   storage.Place  // where it is, when the resident shared a place
	Voice   int            // seconds of the voice message it is; 0 for words

	Source taxonomy.Source // "" is telegram: a resident's own message

	// A requester without a chat, for tickets staff open on someone's
	// behalf and 12345 orders: they get no messages; the handler phones.
	RequesterName, RequesterPhone string
	OpenedBy                      roster.StaffID // staff opening it for someone; rights checked by MayOpen
	ExternalID                    string         // 12345 工单编号
	ReplyBy                       time.Time      // a reply promised to the requester, if any
	// Deadlines set by someone else (a 12345 order's 办理时限) instead of
	// the SLA policy; zero fields keep the policy's.
	AcceptBy, ResolveBy time.Time
}

// check validates who may open what: staff open visits, phone calls and
// walk-ins for others within their rights, and 12345 orders carry their
// number.
func (in *OpenInput) check(a *assets.Assets) error {
	if in.Source == "" {
		in.Source = taxonomy.Telegram
	}
	if !in.Source.Valid() {
		return fmt.Errorf("open: %w: unknown source %q", ErrBadInput, in.Source)
	}
	if in.Source == taxonomy.Hotline && strings.TrimSpace(in.ExternalID) == "" {
		return fmt.Errorf("open: %w: a 12345 order needs its number", ErrBadInput)
	}
	if in.Source.ByStaff() && in.OpenedBy == 0 {
		return fmt.Errorf("open: %w: a %s ticket is opened by a staff member", ErrBadInput, in.Source)
	}
	if in.OpenedBy == 0 {
		return nil
	}
	actor, err := staffOf(a, in.OpenedBy)
	if err != nil {
		return err
	}
	v, known := a.Roster.Village(in.Intent.Village)
	if in.Intent.Village != "" && !known {
		return fmt.Errorf("open: %w: %q is not a village of the roster", ErrBadInput, in.Intent.Village)
	}
	if in.ResidentID != 0 || !MayOpen(actor, v, in.Source) {
		return fmt.Errorf("%w: %s may not open a %s ticket for %q", ErrForbidden, actor.Name, in.Source, in.Intent.Village)
	}
	return nil
}

// Open creates a ticket, routes it and queues the resident's receipt and the
// handler's card.
func (s *Service) Open(ctx context.Context, tx *storage.Tx, a *assets.Assets, in OpenInput) (storage.Ticket, error) {
	if err := in.check(a); err != nil {
		return storage.Ticket{}, err
	}
	now := s.now()
	cat := in.Intent.Category
	if !cat.Valid() {
		cat = taxonomy.Other
	}
	urg := in.Intent.Urgency
	if !urg.Valid() {
		urg = taxonomy.Normal
	}
	h, err := route(a, in, cat)
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
		ResidentID: in.ResidentID, Text: in.Text, Category: cat, Urgency: urg,
		Village: in.Intent.Village, Confidence: in.Intent.Confidence, Classifier: in.Intent.Source,
		State: assigned, CreatedAt: now, Campaign: in.Campaign,
		HandlerID: h.TelegramID, HandlerName: h.Name, HandlerRole: h.Role, Level: level,
		Place: in.Place, Voice: in.Voice, Emergency: string(in.Intent.Emergency),
		Source: in.Source, RequesterName: strings.TrimSpace(in.RequesterName), RequesterPhone: in.RequesterPhone,
		OpenedBy: in.OpenedBy, ExternalID: strings.TrimSpace(in.ExternalID), ReplyBy: in.ReplyBy,
	}
	if v, ok := a.Roster.Village(t.Village); ok {
		t.Area = v.Area
	}
	t.AcceptBy, t.ResolveBy = s.policy.Deadlines(urg, now)
	if !in.AcceptBy.IsZero() {
		t.AcceptBy = in.AcceptBy
	}
	if !in.ResolveBy.IsZero() {
		t.ResolveBy = in.ResolveBy
	}
	if t.AcceptBy.After(t.ResolveBy) {
		t.AcceptBy = t.ResolveBy
	}
	// Only a report another could duplicate costs a lookup, and only such a
	// ticket is indexed for later reports to find.
	report, ok := matchable(cat, in.Text)
	t.Matchable = ok
	if primary, same, err := s.sameOpen(ctx, tx, in, cat, urg, report); err != nil || same {
		if err != nil {
			return storage.Ticket{}, err
		}
		return s.openLinked(ctx, tx, in, t, primary)
	}
	t.WakeAt = s.firstLook(t)
	if err := tx.InsertTicket(ctx, &t); err != nil {
		return storage.Ticket{}, err
	}
	events, err := s.openingEvents(t, in, 0, string(routing.Assign), t.State, handedTo(h, level, 0, ""))
	if err != nil {
		return storage.Ticket{}, err
	}
	if err := s.record(ctx, tx, t, events...); err != nil {
		return storage.Ticket{}, err
	}
	if err := s.sendCard(ctx, tx, a, &t); err != nil {
		return storage.Ticket{}, err
	}
	if t.CardOutbox != 0 {
		if err := tx.SetTicketCard(ctx, t.ID, t.CardChat, t.CardOutbox); err != nil {
			return storage.Ticket{}, err
		}
	}
	if t.ResidentID != 0 {
		if err := s.queue(ctx, tx, t.ResidentID, notice.Receipt(t)); err != nil {
			return storage.Ticket{}, err
		}
	}
	return t, nil
}

// created is the data of a ticket's first event: who brought it in when
// that was not the requester, and from where. Empty values are left out:
// this is written on every intake.
func created(in OpenInput) map[string]any {
	d := omitEmpty(map[string]any{"campaign": in.Campaign, "opened_by": in.OpenedBy, "external_id": in.ExternalID})
	if in.Source != taxonomy.Telegram {
		d["source"] = in.Source
	}
	if !in.ReplyBy.IsZero() {
		d["reply_by"] = in.ReplyBy
	}
	return d
}

// assign gives t to h through action act (assign, transfer, escalate,
// reopen), resets its deadlines, records the event and sends h the card.
func (s *Service) assign(ctx context.Context, tx *storage.Tx, a *assets.Assets, t *storage.Ticket, act routing.Action, actor int64, h roster.Staff, level int, reason string) error {
	from := t.State
	to, err := routing.Next(from, act)
	if err != nil {
		return err
	}
	now := s.now()
	prev := t.HandlerID
	t.State = to
	t.HandlerID, t.HandlerName, t.HandlerRole, t.Level = h.TelegramID, h.Name, h.Role, level
	t.AcceptedAt, t.ResolvedAt, t.ClosedAt = time.Time{}, time.Time{}, time.Time{}
	if act != routing.Assign {
		t.AcceptBy, t.ResolveBy = s.policy.Deadlines(t.Urgency, now)
	}
	// The former handler's card must not keep offering buttons for a
	// ticket that is no longer theirs.
	if t.CardOutbox != 0 && t.CardChat != 0 && t.CardChat != int64(h.TelegramID) {
		r, err := ResidentOf(ctx, tx, *t)
		if err != nil {
			return err
		}
		if err := s.queue(ctx, tx, t.CardChat, notice.CardGone(*t, r, t.CardOutbox)); err != nil {
			return err
		}
	}
	if err := s.event(ctx, tx, *t, string(act), actor, from, to, handedTo(h, level, prev, reason)); err != nil {
		return err
	}
	if err := s.sendCard(ctx, tx, a, t); err != nil {
		return err
	}
	if err := s.copyMedia(ctx, tx, *t); err != nil {
		return err
	}
	return s.save(ctx, tx, t)
}

// handedTo is the data of an event that gives a ticket to h; a first
// assignment has no former handler and no reason to record.
func handedTo(h roster.Staff, level int, from roster.StaffID, reason string) map[string]any {
	return omitEmpty(map[string]any{"handler_id": h.TelegramID, "handler": h.Name, "role": h.Role, "level": level, "from_handler": from, "reason": reason})
}

// omitEmpty drops the empty strings and zero ids of an event's data: every
// ticket carries its history for ever, and "reason":"" says nothing.
func omitEmpty(m map[string]any) map[string]any {
	for k, v := range m {
		if v == "" || v == roster.StaffID(0) {
			delete(m, k)
		}
	}
	return m
}

// save writes t back with when the deadline job must first look at it, so
// that every change of state or deadline moves it in the due queue.
func (s *Service) save(ctx context.Context, tx *storage.Tx, t *storage.Ticket) error {
	t.WakeAt = s.firstLook(*t)
	return tx.SaveTicket(ctx, *t)
}

// firstLook is the earliest a reminder of t's deadlines may fall due: the
// lead before a deadline is at most half its SLA (see lead). CheckDeadline
// then moves it to the exact time. Zero for a ticket no longer open.
func (s *Service) firstLook(t storage.Ticket) time.Time {
	if !t.State.Open() {
		return time.Time{}
	}
	sla := s.policy.For(t.Urgency)
	at := t.ResolveBy.Add(-sla.Resolve / 2)
	if t.State != routing.Accepted {
		at = earliest(at, t.AcceptBy.Add(-sla.Accept/2))
	}
	return at
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// sendCard queues a fresh card to the handler, or flags the centre when the
// handler has never started the bot and so cannot receive it. It records
// the card in t; the caller saves t.
func (s *Service) sendCard(ctx context.Context, tx *storage.Tx, a *assets.Assets, t *storage.Ticket) error {
	reachable, err := tx.Reachable(ctx, int64(t.HandlerID))
	if err != nil {
		return err
	}
	if !reachable {
		t.CardChat, t.CardOutbox = 0, 0
		for _, c := range a.Roster.Centers() {
			if c.TelegramID == t.HandlerID {
				continue
			}
			if err := s.queue(ctx, tx, int64(c.TelegramID), notice.Unstarted(*t)); err != nil {
				return err
			}
		}
		return nil
	}
	r, err := ResidentOf(ctx, tx, *t)
	if err != nil {
		return err
	}
	m := notice.Card(*t, r)
	m.ChatID = int64(t.HandlerID)
	id, err := tx.Enqueue(ctx, m, s.now())
	if err != nil {
		return err
	}
	t.CardChat, t.CardOutbox = int64(t.HandlerID), id
	return nil
}

// WithoutCard lists a handler's open tickets whose card was never queued,
// e.g. because the handler had not started the bot when they were routed.
func (s *Service) WithoutCard(ctx context.Context, tx *storage.Tx, handlerID roster.StaffID) ([]storage.Ticket, error) {
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

// SendMissingCards queues the cards of the tickets WithoutCard listed,
// e.g. when a staff member starts the bot after tickets were routed to
// them. The caller lists them first, to greet the handler with how many
// are coming before they come.
func (s *Service) SendMissingCards(ctx context.Context, tx *storage.Tx, a *assets.Assets, missing []storage.Ticket) error {
	for _, t := range missing {
		if err := s.sendCard(ctx, tx, a, &t); err != nil {
			return err
		}
		if err := s.copyMedia(ctx, tx, t); err != nil {
			return err
		}
		if err := tx.SetTicketCard(ctx, t.ID, t.CardChat, t.CardOutbox); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) editCard(ctx context.Context, tx *storage.Tx, t storage.Ticket) error {
	if t.CardOutbox == 0 {
		return nil
	}
	r, err := ResidentOf(ctx, tx, t)
	if err != nil {
		return err
	}
	return s.queue(ctx, tx, t.CardChat, notice.CardEdit(t, r))
}

// ResidentOf is the resident who wrote t, or the zero Resident for a
// ticket opened for someone without a chat (a phone call, a 12345 order)
// and for a resident no longer on record: the card shows the requester
// instead.
func ResidentOf(ctx context.Context, tx *storage.Tx, t storage.Ticket) (storage.Resident, error) {
	if t.ResidentID == 0 {
		return storage.Resident{}, nil
	}
	r, err := tx.Resident(ctx, t.ResidentID)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Resident{}, nil
	}
	return r, err
}

// queue sends m to chat.
func (s *Service) queue(ctx context.Context, tx *storage.Tx, chat int64, m storage.OutboxMessage) error {
	m.ChatID = chat
	_, err := tx.Enqueue(ctx, m, s.now())
	return err
}

func (s *Service) event(ctx context.Context, tx *storage.Tx, t storage.Ticket, kind string, actor int64, from, to routing.State, data map[string]any) error {
	e, err := s.newEvent(t, kind, actor, from, to, data)
	if err != nil {
		return err
	}
	return s.record(ctx, tx, t, e)
}

// record appends events to t's history and, once the transaction commits,
// logs them and tells the observer.
func (s *Service) record(ctx context.Context, tx *storage.Tx, t storage.Ticket, es ...storage.Event) error {
	if err := tx.AddEvents(ctx, es...); err != nil {
		return err
	}
	s.observe(tx, t, es...)
	return nil
}

// observe logs t's events and tells the observer, once tx commits.
func (s *Service) observe(tx *storage.Tx, t storage.Ticket, es ...storage.Event) {
	tx.AfterCommit(func() {
		for _, e := range es {
			s.log.Info("ticket event", "ticket", t.Number, "event", e.Kind, "from", e.FromState, "to", e.ToState,
				"actor", e.ActorID, "category", t.Category, "urgency", t.Urgency, "village", t.Village, "handler", t.HandlerID)
			if s.obs != nil {
				s.obs.TicketEvent(t, e)
			}
		}
	})
}

// openingEvents are the first events of a new ticket: created and
// classified, then the step (kind, to state, data) that gave it its place.
func (s *Service) openingEvents(t storage.Ticket, in OpenInput, actor int64, kind string, to routing.State, data map[string]any) ([]storage.Event, error) {
	classified := map[string]any{
		"category": t.Category, "urgency": t.Urgency, "village": t.Village, "confidence": t.Confidence, "classifier": t.Classifier,
	}
	var events []storage.Event
	for _, e := range []struct {
		kind     string
		from, to routing.State
		data     map[string]any
	}{
		// The text is the ticket's own; the history does not repeat it.
		{EventCreated, "", routing.StateNew, created(in)},
		{EventClassified, "", "", classified},
		{kind, routing.StateNew, to, data},
	} {
		ev, err := s.newEvent(t, e.kind, actor, e.from, e.to, e.data)
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	return events, nil
}

func (s *Service) newEvent(t storage.Ticket, kind string, actor int64, from, to routing.State, data map[string]any) (storage.Event, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return storage.Event{}, fmt.Errorf("encode %s event: %w", kind, err)
	}
	return storage.Event{TicketID: t.ID, At: s.now(), Kind: kind, ActorID: actor, FromState: from, ToState: to, Data: string(b)}, nil
}

// load reads a ticket for an operation.
func load(ctx context.Context, tx *storage.Tx, id storage.TicketID) (storage.Ticket, error) {
	t, err := tx.Ticket(ctx, id)
	if err != nil {
		return storage.Ticket{}, fmt.Errorf("ticket %d: %w", id, err)
	}
	return t, nil
}

// intentOf is the classification a follow-up ticket inherits from t.
func intentOf(t storage.Ticket, u taxonomy.Urgency) intents.Result {
	return intents.Result{Category: t.Category, Urgency: u, Village: t.Village, Confidence: 1, Source: SourceFollowUp}
}

// SourceFollowUp names, as a ticket's classifier, a ticket whose category
// was given by the question that caused it rather than by a classifier.
const SourceFollowUp = "outreach"
