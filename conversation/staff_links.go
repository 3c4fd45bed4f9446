package conversation

import (
	"errors"
	"strings"

	"hotline/notice"
	"hotline/storage"
	"hotline/tickets"
)

// /link A B says ticket A is the same problem as B; /unlink A says the
// ticket linked on intake is a problem of its own. The lifecycle checks
// the rights (MayLink) and tells the requesters.

func (t *turn) link() error {
	fields := strings.Fields(t.args)
	if len(fields) != 2 {
		return t.send(notice.Refusal(notice.AskLink))
	}
	a, ok, err := t.visibleTicket(fields[0])
	if !ok || err != nil {
		return err
	}
	b, ok, err := t.visibleTicket(fields[1])
	if !ok || err != nil {
		return err
	}
	var primary storage.Ticket
	refused, err := t.try(func() error {
		var err error
		if a, err = t.s.tickets.Link(t.ctx, t.tx, t.a, a.ID, b.ID, t.staff.TelegramID); err != nil {
			return err
		}
		primary, err = t.tx.Ticket(t.ctx, b.ID)
		return err
	})
	if err != nil {
		return err
	}
	if refused {
		return t.send(notice.Refusal(t.out.Answer))
	}
	return t.send(notice.LinkDone(a, primary))
}

func (t *turn) unlink() error {
	a, ok, err := t.visibleTicket(strings.TrimSpace(t.args))
	if !ok || err != nil {
		return err
	}
	refused, err := t.try(func() error {
		var err error
		a, err = t.s.tickets.Unlink(t.ctx, t.tx, t.a, a.ID, t.staff.TelegramID)
		return err
	})
	if err != nil {
		return err
	}
	if refused {
		return t.send(notice.Refusal(t.out.Answer))
	}
	return t.send(notice.UnlinkDone(a))
}

// visibleTicket reads a ticket by the number written, answering "not
// found" (and ok false) for a number the staff member may not see.
func (t *turn) visibleTicket(arg string) (storage.Ticket, bool, error) {
	number, ok := parseTicketNumber(arg, t.now)
	if !ok {
		return storage.Ticket{}, false, t.send(notice.Refusal(notice.AskLink))
	}
	return t.seeTicket(number)
}

// seeTicket reads the ticket numbered number for the staff member: one
// they may not see is answered "not found", as one that does not exist
// (ok false), so that a number tells nobody what is outside their scope.
func (t *turn) seeTicket(number string) (storage.Ticket, bool, error) {
	tk, err := t.tx.TicketByNumber(t.ctx, number)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && !tickets.MaySee(t.staff, tk)) {
		return tk, false, t.send(notice.TicketNotFound(number, true))
	}
	return tk, err == nil, err
}
