package routing

import (
	"fmt"
	"slices"
)

// State is where a ticket stands.
type State string

// Ticket states. Transfers, escalations and reopenings are actions that
// lead back to assigned.
const (
	StateNew State = "new"
	Assigned State = "assigned"
	Accepted State = "accepted"
	Resolved State = "resolved"
	Closed   State = "closed"
	// Linked is a ticket that is the same problem as another, open one
	// (its primary), reported by someone else: it has no handler of its
	// own and is resolved with its primary.
	Linked State = "linked"
)

// Action is something done to a ticket.
type Action string

// Actions on a ticket; each is also the kind of the event it records.
const (
	Assign   Action = "assigned"
	Accept   Action = "accepted"
	Transfer Action = "transferred"
	Escalate Action = "escalated"
	Resolve  Action = "resolved"
	Reopen   Action = "reopened"
	Close    Action = "closed" // by the resident's rating
	// Dismiss is a supervisor closing a ticket with a note (a duplicate,
	// not a request, or resolved and never rated); the resident's rating
	// is the only other way to close one.
	Dismiss Action = "dismissed"

	// The 12345 way of handling: the handler phones the requester first
	// once they have taken the ticket, and may ask the centre for more
	// time or to take the ticket back. None of these moves the ticket.
	Contact   Action = "contacted"
	AskExtend Action = "extension_requested"
	AskReturn Action = "return_requested"
	Promise   Action = "promised" // a reply promised to the requester by a date

	// Link makes a ticket follow another, open one with the same problem;
	// Unlink gives it back its own handler, routed as new.
	Link   Action = "linked"
	Unlink Action = "unlinked"
)

var transitions = map[State]map[Action]State{
	StateNew: {Assign: Assigned, Link: Linked},
	Assigned: {Accept: Accepted, Transfer: Assigned, Escalate: Assigned, Resolve: Resolved, Dismiss: Closed,
		AskExtend: Assigned, AskReturn: Assigned, Promise: Assigned, Link: Linked},
	Accepted: {Transfer: Assigned, Escalate: Assigned, Resolve: Resolved, Dismiss: Closed,
		Contact: Accepted, AskExtend: Accepted, AskReturn: Accepted, Promise: Accepted, Link: Linked},
	Linked:   {Unlink: Assigned, Resolve: Resolved, Close: Closed, Dismiss: Closed},
	Resolved: {Reopen: Assigned, Close: Closed, Dismiss: Closed},
	Closed:   {Reopen: Assigned},
}

// IllegalTransitionError says that an action does not apply to a state.
type IllegalTransitionError struct {
	From   State
	Action Action
}

func (e *IllegalTransitionError) Error() string {
	return fmt.Sprintf("cannot %s a ticket that is %s", verb[e.Action], e.From)
}

var verb = map[Action]string{
	Assign: "assign", Accept: "accept", Transfer: "transfer", Escalate: "escalate",
	Resolve: "resolve", Reopen: "reopen", Close: "close", Dismiss: "close",
	Contact: "record first contact on", AskExtend: "ask for more time on", AskReturn: "return",
	Promise: "promise a reply on", Link: "link", Unlink: "unlink",
}

// Next returns the state after applying a to s, or an
// *IllegalTransitionError. Resolving straight from assigned is allowed: a
// cadre who fixes a problem on the spot need not press accept first.
func Next(s State, a Action) (State, error) {
	if to, ok := transitions[s][a]; ok {
		return to, nil
	}
	return s, &IllegalTransitionError{From: s, Action: a}
}

// Valid reports whether s is one of the states above.
func (s State) Valid() bool { _, ok := transitions[s]; return ok }

// OpenStates are the states of a ticket that still waits for its handler.
var OpenStates = []State{StateNew, Assigned, Accepted}

// Open reports whether a ticket in state s still waits for its handler.
func (s State) Open() bool { return slices.Contains(OpenStates, s) }
