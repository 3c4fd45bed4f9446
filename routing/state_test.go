package routing

import (
	"errors"
	"testing"
)

func TestNextEveryPair(t *testing.T) {
	legal := map[State]map[Action]State{
		StateNew: {Assign: Assigned, Link: Linked},
		Assigned: {Accept: Accepted, Transfer: Assigned, Escalate: Assigned, Resolve: Resolved, Dismiss: Closed,
			AskExtend: Assigned, AskReturn: Assigned, Promise: Assigned, Link: Linked},
		Accepted: {Transfer: Assigned, Escalate: Assigned, Resolve: Resolved, Dismiss: Closed,
			Contact: Accepted, AskExtend: Accepted, AskReturn: Accepted, Promise: Accepted, Link: Linked},
		Resolved: {Reopen: Assigned, Close: Closed, Dismiss: Closed},
		Closed:   {Reopen: Assigned},
		Linked:   {Unlink: Assigned, Resolve: Resolved, Close: Closed, Dismiss: Closed},
	}
	states := []State{StateNew, Assigned, Accepted, Resolved, Closed, Linked}
	actions := []Action{Assign, Accept, Transfer, Escalate, Resolve, Reopen, Close, Dismiss, Contact, AskExtend, AskReturn, Promise, Link, Unlink}
	for _, s := range states {
		for _, a := range actions {
			got, err := Next(s, a)
			want, ok := legal[s][a]
			if ok {
				if err != nil || got != want {
					t.Errorf("Next(%s, %s) = %s, %v; want %s", s, a, got, err, want)
				}
				continue
			}
			var ill *IllegalTransitionError
			if !errors.As(err, &ill) {
				t.Errorf("Next(%s, %s) = %s, %v; want IllegalTransitionError", s, a, got, err)
				continue
			}
			if got != s {
				t.Errorf("Next(%s, %s) changed state to %s on error", s, a, got)
			}
			if ill.Error() == "" {
				t.Errorf("empty error text")
			}
		}
	}
}

func TestIllegalTransitionMessage(t *testing.T) {
	_, err := Next(Closed, Accept)
	if got, want := err.Error(), "cannot accept a ticket that is closed"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestOpen(t *testing.T) {
	for s, want := range map[State]bool{StateNew: true, Assigned: true, Accepted: true, Resolved: false, Closed: false, Linked: false} {
		if s.Open() != want {
			t.Errorf("%s.Open() = %v", s, !want)
		}
	}
}
