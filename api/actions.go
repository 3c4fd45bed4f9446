package api

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hotline/assets"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// ActionRequest is the body of POST /api/v1/tickets/{number}/actions, and
// what the desk's forms post.
type ActionRequest struct {
	Action   string `json:"action"`
	To       int64  `json:"to,omitempty"`       // transfer: the staff member's Telegram id
	Note     string `json:"note,omitempty"`     // resolve, close: required; urge, escalate: optional
	Outcome  string `json:"outcome,omitempty"`  // resolve: solved (default), partly or unsolved
	Category string `json:"category,omitempty"` // recategorize
	// The 12345 way of handling.
	At       string `json:"at,omitempty"`       // contact: when the requester was phoned (default now)
	ReplyBy  string `json:"reply_by,omitempty"` // promise: a date, a time or 本周内
	Deadline string `json:"deadline,omitempty"` // extend: the new resolve deadline; note: the reason
	Ticket   string `json:"ticket,omitempty"`   // link: the number of the ticket with the same problem
}

// Actions on a ticket. Each runs one operation of the lifecycle, which
// checks the caller's rights again and queues the same messages the bot's
// buttons do.
const (
	ActionAccept       = "accept"
	ActionResolve      = "resolve"
	ActionTransfer     = "transfer"
	ActionEscalate     = "escalate"
	ActionUrge         = "urge"
	ActionRecategorize = "recategorize"
	ActionClose        = "close"
	ActionContact      = "contact" // 先行联系: the handler phoned the requester first
	ActionPromise      = "promise" // a reply promised to the requester by reply_by
	ActionExtend       = "extend"  // ask the centre for a later deadline (延期)
	ActionReturn       = "return"  // ask the centre to take the ticket back (退单)
	ActionApprove      = "approve" // the centre grants the request waiting on the ticket
	ActionRefuse       = "refuse"  // the centre refuses it
	ActionLink         = "link"    // the ticket is the same problem as ticket
	ActionUnlink       = "unlink"  // it is not: it gets its own handler
)

// actionFunc runs one action on ticket id for actor.
type actionFunc func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error)

// actions are the actions by name. A new one (e.g. 12345's 先行联系
// "contact") is one entry here and one operation in package tickets.
var actions = map[string]actionFunc{
	ActionAccept: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, _ ActionRequest) (storage.Ticket, error) {
		return tk.Accept(ctx, tx, a, id, actor)
	},
	ActionResolve: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		return tk.Resolve(ctx, tx, a, id, actor, req.Note, routing.Outcome(req.Outcome))
	},
	ActionTransfer: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		return tk.Transfer(ctx, tx, a, id, actor, roster.StaffID(req.To))
	},
	ActionEscalate: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		return tk.Escalate(ctx, tx, a, id, actor, orDefault(req.Note, "上报"))
	},
	ActionUrge: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		return tk.Urge(ctx, tx, a, id, actor, req.Note)
	},
	ActionRecategorize: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		return tk.CorrectCategory(ctx, tx, a, id, actor, taxonomy.Category(req.Category))
	},
	ActionClose: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		return tk.Dismiss(ctx, tx, a, id, actor, req.Note)
	},
	ActionContact: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		var at time.Time
		if req.At != "" {
			var err error
			if at, err = parseWhen(req.At, tk); err != nil {
				return storage.Ticket{}, err
			}
		}
		return tk.Contact(ctx, tx, a, id, actor, at)
	},
	ActionPromise: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		by, err := parseWhen(req.ReplyBy, tk)
		if err != nil {
			return storage.Ticket{}, err
		}
		return tk.Promise(ctx, tx, a, id, actor, by)
	},
	ActionExtend: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		due, err := parseWhen(req.Deadline, tk)
		if err != nil {
			return storage.Ticket{}, err
		}
		if _, err := tk.RequestExtension(ctx, tx, a, id, actor, due, req.Note); err != nil {
			return storage.Ticket{}, err
		}
		return tx.Ticket(ctx, id)
	},
	ActionReturn: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		if _, err := tk.RequestReturn(ctx, tx, a, id, actor, req.Note); err != nil {
			return storage.Ticket{}, err
		}
		return tx.Ticket(ctx, id)
	},
	ActionApprove: decide(true),
	ActionLink: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		if req.Ticket == "" {
			return storage.Ticket{}, badRequest("ticket: the number of the ticket with the same problem is required")
		}
		// The other ticket must be one the actor may see too.
		st, ok := a.Roster.StaffByID(actor)
		if !ok {
			return storage.Ticket{}, ErrNotStaff
		}
		primary, err := Visible(ctx, tx, st, req.Ticket)
		if err != nil {
			return storage.Ticket{}, err
		}
		return tk.Link(ctx, tx, a, id, primary.ID, actor)
	},
	ActionRefuse: decide(false),
	ActionUnlink: func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, _ ActionRequest) (storage.Ticket, error) {
		return tk.Unlink(ctx, tx, a, id, actor)
	},
}

// decide answers the request waiting on a ticket.
func decide(approve bool) actionFunc {
	return func(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, id storage.TicketID, actor roster.StaffID, req ActionRequest) (storage.Ticket, error) {
		r, pending, err := tx.PendingRequest(ctx, id)
		if err != nil {
			return storage.Ticket{}, err
		}
		if !pending {
			return storage.Ticket{}, fmt.Errorf("ticket %d: no request waits for a decision: %w", id, tickets.ErrDone)
		}
		_, t, err := tk.Decide(ctx, tx, a, r.ID, actor, approve, req.Note)
		return t, err
	}
}

// ActionNames lists the actions, sorted.
func ActionNames() []string {
	var out []string
	for n := range actions {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Act runs req on the ticket with number for actor, in tx: the ticket must
// be in the actor's scope (else storage.ErrNotFound, as if it did not
// exist), and the lifecycle decides whether the actor may do it.
func Act(ctx context.Context, tk *tickets.Service, tx *storage.Tx, a *assets.Assets, actor roster.Staff, number string, req ActionRequest) (storage.Ticket, error) {
	do, ok := actions[req.Action]
	if !ok {
		return storage.Ticket{}, badRequest("unknown action %q (one of %s)", req.Action, strings.Join(ActionNames(), ", "))
	}
	t, err := Visible(ctx, tx, actor, number)
	if err != nil {
		return t, err
	}
	return do(ctx, tk, tx, a, t.ID, actor.TelegramID, req)
}

// Visible returns the ticket with number if actor may see it, and
// storage.ErrNotFound otherwise: a ticket outside one's scope does not
// exist for them.
func Visible(ctx context.Context, tx *storage.Tx, actor roster.Staff, number string) (storage.Ticket, error) {
	t, err := tx.TicketByNumber(ctx, number)
	if err != nil {
		return storage.Ticket{}, fmt.Errorf("ticket %s: %w", number, err)
	}
	if !tickets.MaySee(actor, t) {
		return storage.Ticket{}, fmt.Errorf("ticket %s: %w", number, storage.ErrNotFound)
	}
	return t, nil
}

// Refused reports whether err is the caller's doing (a refusal, a
// conflict, bad input) rather than a fault of the service.
func Refused(err error) bool {
	code, _ := Status(err)
	return code < 500
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// errorsAs is errors.As for a pointer target, for the status table.
func errorsAs[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}
