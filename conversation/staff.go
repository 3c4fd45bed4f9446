package conversation

import (
	"strconv"
	"strings"

	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// runStaff handles everything from someone in the roster. Staff are known
// by their Telegram id only; they never register a village.
func (t *turn) runStaff() error {
	// Any first contact counts as /start: the bot may now write to them,
	// so the cards that waited for it go out.
	first, err := t.markStarted()
	if err != nil {
		return err
	}
	if first || t.cmd == "start" {
		if err := t.setState(stateIdle, ""); err != nil {
			return err
		}
		// The greeting announces the waiting cards, so it goes first.
		missing, err := t.s.tickets.WithoutCard(t.ctx, t.tx, t.staff.TelegramID)
		if err != nil {
			return err
		}
		if err := t.send(notice.StaffHello(t.staff, len(missing))); err != nil {
			return err
		}
		if err := t.s.tickets.SendMissingCards(t.ctx, t.tx, t.a, missing); err != nil {
			return err
		}
		t.out.Menu = t.staff
		if t.cmd == "start" {
			return nil
		}
	}
	switch {
	case t.in.Pressed:
		return t.staffPress()
	case t.cmd != "":
		return t.staffCommand()
	case t.in.Message:
		return t.staffMessage()
	}
	return nil
}

func (t *turn) staffCommand() error {
	switch t.cmd {
	case "tasks":
		return t.tasks()
	case "ticket":
		return t.staffTicket()
	case "cancel":
		if t.chat.State == stateIdle {
			return t.send(notice.Refusal(notice.NothingToCancel))
		}
		if err := t.setState(stateIdle, ""); err != nil {
			return err
		}
		return t.send(notice.Refusal(notice.Cancelled))
	case "notify":
		return t.notify()
	case "tag":
		return t.tag()
	case "web":
		return t.webLink()
	case "new":
		return t.newTicket()
	case "promise":
		return t.promise()
	case "link":
		return t.link()
	case "unlink":
		return t.unlink()
	case "help":
		return t.send(notice.StaffHelp(t.staff))
	case "my", "village", "stop":
		return t.send(notice.Refusal(notice.RefuseResidentOnly))
	}
	if err := t.send(notice.Refusal(notice.RefuseUnknownCmd)); err != nil {
		return err
	}
	return t.send(notice.StaffHelp(t.staff))
}

// webLink answers /web with a one-time link to the desk.
func (t *turn) webLink() error {
	if t.s.signIn == nil {
		return t.send(notice.Refusal(notice.RefuseNoDesk))
	}
	link, err := t.s.signIn.Link(t.ctx, t.tx, t.staff.TelegramID)
	if err != nil {
		return err
	}
	return t.send(notice.WebLink(link))
}

// staffMessage takes what the staff member was asked for: a result note,
// the reason for a request, a step of /new. Otherwise it reminds them how
// the bot works.
func (t *turn) staffMessage() error {
	switch t.chat.State {
	case stateNew:
		return t.newAnswer()
	case stateAsk:
		return t.askAnswer()
	case stateNote:
		if t.in.Text != "" && t.in.Contact == nil {
			return t.resolveWithNote()
		}
	}
	return t.send(notice.Refusal(notice.StaffIdle))
}

// resolveWithNote resolves the ticket the note was asked for, with the
// outcome chosen on the prompt (solved unless another was pressed).
func (t *turn) resolveWithNote() error {
	idText, outcome, _ := strings.Cut(t.chat.StateData, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return t.setState(stateIdle, "")
	}
	if err := t.setState(stateIdle, ""); err != nil {
		return err
	}
	var done storage.Ticket
	refused, err := t.try(func() error {
		var err error
		done, err = t.s.tickets.Resolve(t.ctx, t.tx, t.a, storage.TicketID(id), t.staff.TelegramID, t.in.Text, routing.Outcome(outcome))
		return err
	})
	if err != nil {
		return err
	}
	if refused {
		return t.send(notice.Refusal(t.out.Answer))
	}
	linked, err := t.tx.LinkedTickets(t.ctx, done.ID)
	if err != nil {
		return err
	}
	return t.send(notice.ResolvedAck(done, linked))
}

// tasks lists the open tickets in the staff member's rights: their own;
// for an area leader, their 片区's and any they handle elsewhere (one
// transferred to them); everything for the centre. Those who oversee see
// every ticket they may see (tickets.ScopeOf), those who work see theirs.
func (t *turn) tasks() error {
	q := storage.TicketQuery{States: routing.OpenStates, Scope: storage.Scope{HandlerID: t.staff.TelegramID}}
	oversee := false
	switch t.staff.Role {
	case roster.Center, roster.Admin, roster.AreaLeader:
		q.Scope, oversee = tickets.ScopeOf(t.staff), true
	}
	list, err := t.tx.QueryTickets(t.ctx, q)
	if err != nil {
		return err
	}
	notice.SortTasks(list, t.now)
	return t.send(notice.TaskList(list, t.now, oversee))
}

// staffTicket shows a ticket the staff member may see, with the card's
// buttons when they may work on it.
func (t *turn) staffTicket() error {
	number, ok := parseTicketNumber(t.args, t.now)
	if !ok {
		return t.send(notice.Refusal(notice.AskTicketNumber))
	}
	tk, ok, err := t.seeTicket(number)
	if !ok || err != nil {
		return err
	}
	r, err := tickets.ResidentOf(t.ctx, t.tx, tk)
	if err != nil {
		return err
	}
	linked, err := t.tx.LinkedTickets(t.ctx, tk.ID)
	if err != nil {
		return err
	}
	m := notice.StaffTicket(tk, r, tickets.MayWork(t.staff, tk), t.staff.TelegramID)
	m.Text += notice.LinkedList(linked)
	return t.send(m)
}
