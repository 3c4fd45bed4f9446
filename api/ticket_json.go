package api

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// Ticket is a ticket as the API shows it. Times are in the township's zone;
// the resident's phone is masked.
type Ticket struct {
	Number       string            `json:"number"`
	State        routing.State     `json:"state"`
	StateName    string            `json:"state_name"`
	Category     taxonomy.Category `json:"category"`
	CategoryName string            `json:"category_name"`
	Urgency      taxonomy.Urgency  `json:"urgency"`
	Village      string            `json:"village"`
	Area         string            `json:"area"`
	Text         string            `json:"text"`
	Confidence   float64           `json:"confidence"`
	Classifier   string            `json:"classifier"`
	Source       taxonomy.Source   `json:"source"`
	Campaign     string            `json:"campaign,omitempty"`
	Handler      Staff             `json:"handler"`
	Level        int               `json:"level"`
	CreatedAt    time.Time         `json:"created_at"`
	AcceptBy     time.Time         `json:"accept_by"`
	ResolveBy    time.Time         `json:"resolve_by"`
	Due          time.Time         `json:"due"` // the next deadline
	Overdue      bool              `json:"overdue"`
	AcceptedAt   *time.Time        `json:"accepted_at,omitempty"`
	ResolvedAt   *time.Time        `json:"resolved_at,omitempty"`
	ClosedAt     *time.Time        `json:"closed_at,omitempty"`
	ResultNote   string            `json:"result_note,omitempty"`
	Rating       int               `json:"rating,omitempty"`
	Reopened     int               `json:"reopened"`
	Resident     *Resident         `json:"resident,omitempty"`
	// A requester with no chat (a visit, a call, a walk-in, a 12345
	// order), phone masked: their handler reads the number on their card.
	Requester   *Resident       `json:"requester,omitempty"`
	ExternalID  string          `json:"external_id,omitempty"` // the 12345 工单编号
	ReplyBy     *time.Time      `json:"reply_by,omitempty"`    // a reply promised to the requester
	ContactedAt *time.Time      `json:"contacted_at,omitempty"`
	Outcome     routing.Outcome `json:"outcome,omitempty"`   // solved, partly, unsolved once resolved
	LinkedTo    string          `json:"linked_to,omitempty"` // the number of the ticket it follows (the same problem)
	Requesters  int             `json:"requesters"`          // on a primary: how many reported the problem
	Request     *Request        `json:"request,omitempty"`   // a request to the centre waiting for its decision
	Media       []Media         `json:"media,omitempty"`     // one ticket's: its photos, voice and places and its linked reports'
	Events      []Event         `json:"events,omitempty"`
}

// Request is a handler's request to the centre (延期 or 退单) awaiting a
// decision: the API's approve and refuse actions answer it.
type Request struct {
	Kind        storage.RequestKind `json:"kind"` // extend, return
	Reason      string              `json:"reason"`
	Deadline    *time.Time          `json:"deadline,omitempty"` // extend: the resolve deadline asked for
	RequestedAt time.Time           `json:"requested_at"`
}

// Staff is a staff member as the API names them.
type Staff struct {
	ID   roster.StaffID `json:"id"`
	Name string         `json:"name"`
	Role roster.Role    `json:"role"`
}

// Resident is who wrote, with the phone masked.
type Resident struct {
	Name    string `json:"name,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Village string `json:"village,omitempty"`
}

// Event is one entry of a ticket's history.
type Event struct {
	At    time.Time       `json:"at"`
	Kind  string          `json:"kind"`
	Actor string          `json:"actor,omitempty"` // a staff member's name, 居民 or 系统
	From  routing.State   `json:"from,omitempty"`
	To    routing.State   `json:"to,omitempty"`
	Data  json.RawMessage `json:"data"`
}

// TicketOf is t as the API shows it, with its resident; events are added
// by the caller that wants them.
func TicketOf(ctx context.Context, tx *storage.Tx, t storage.Ticket, now time.Time) (Ticket, error) {
	due := storage.CursorOf(t).Due
	out := Ticket{
		Number: t.Number, State: t.State, StateName: notice.StateChinese(t.State),
		Category: t.Category, CategoryName: t.Category.Chinese(), Urgency: t.Urgency,
		Village: t.Village, Area: t.Area, Text: t.Text, Confidence: t.Confidence, Classifier: t.Classifier,
		Source: t.Source, Campaign: t.Campaign,
		Handler: Staff{ID: t.HandlerID, Name: t.HandlerName, Role: t.HandlerRole}, Level: t.Level,
		CreatedAt: local(t.CreatedAt), AcceptBy: local(t.AcceptBy), ResolveBy: local(t.ResolveBy),
		Due: local(due), Overdue: t.State.Open() && now.After(due),
		AcceptedAt: optional(t.AcceptedAt), ResolvedAt: optional(t.ResolvedAt), ClosedAt: optional(t.ClosedAt),
		ResultNote: t.ResultNote, Rating: t.Rating, Reopened: t.Reopened,
	}
	out.Requesters, out.ExternalID = t.Requesters, t.ExternalID
	out.ReplyBy, out.ContactedAt, out.Outcome = optional(t.ReplyBy), optional(t.ContactedAt), t.Outcome
	if t.RequesterName != "" || t.RequesterPhone != "" {
		out.Requester = &Resident{Name: t.RequesterName, Phone: notice.MaskPhone(t.RequesterPhone), Village: t.Village}
	}
	if t.LinkedTo != 0 {
		p, err := tx.Ticket(ctx, t.LinkedTo)
		if err != nil {
			return out, err
		}
		out.LinkedTo = p.Number
	}
	if t.State.Open() {
		r, pending, err := tx.PendingRequest(ctx, t.ID)
		if err != nil {
			return out, err
		}
		if pending {
			out.Request = &Request{Kind: r.Kind, Reason: r.Reason, Deadline: optional(r.Deadline), RequestedAt: local(r.RequestedAt)}
		}
	}
	if t.ResidentID != 0 {
		r, err := tx.Resident(ctx, t.ResidentID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return out, err
		}
		if err == nil {
			out.Resident = &Resident{Name: r.Name, Phone: notice.MaskPhone(r.Phone), Village: r.Village}
		}
	}
	return out, nil
}

// EventsOf is t's history, with the names of the staff who acted.
func EventsOf(ctx context.Context, tx *storage.Tx, r *roster.Roster, t storage.Ticket) ([]Event, error) {
	es, err := tx.Events(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Event, len(es))
	for i, e := range es {
		out[i] = Event{At: local(e.At), Kind: e.Kind, Actor: ActorName(r, t, e.ActorID), From: e.FromState, To: e.ToState,
			Data: json.RawMessage(e.Data)}
	}
	return out, nil
}

// ActorName says who did something to t: a staff member by name, the
// resident, or the system.
func ActorName(r *roster.Roster, t storage.Ticket, id int64) string {
	switch {
	case id == 0:
		return "系统"
	case id == t.ResidentID:
		return "居民"
	}
	if st, ok := r.StaffByID(roster.StaffID(id)); ok {
		return st.Name
	}
	return "工作人员"
}

func local(t time.Time) time.Time { return t.In(notice.Zone) }

func optional(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	l := local(t)
	return &l
}
