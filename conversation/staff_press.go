package conversation

import (
	"slices"
	"strconv"
	"strings"

	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// staffPress handles a staff member's press on a card. Who may do what is
// decided by the lifecycle at press time, against the ticket's current
// handler; a forged or stale press is refused and changes nothing.
func (t *turn) staffPress() error {
	a, err := notice.ParseAction(t.in.Data)
	if err != nil {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	if slices.Contains(staffVerbs, a.Verb) && a.ID == 0 {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	switch a.Verb {
	case notice.VerbAccept:
		return t.accept(a)
	case notice.VerbResolve:
		return t.askNote(a)
	case notice.VerbTransferTo:
		return t.transferMenu(a)
	case notice.VerbTransfer:
		return t.transfer(a)
	case notice.VerbEscalate:
		return t.escalate(a)
	case notice.VerbNotify:
		return t.notifyPress(a)
	case notice.VerbContact:
		return t.contact(a)
	case notice.VerbOutcome:
		return t.chooseOutcome(a)
	case notice.VerbAskExtend, notice.VerbAskReturn:
		return t.askPrompt(a)
	case notice.VerbApprove, notice.VerbRefuse:
		return t.decide(a)
	case notice.VerbNewArea, notice.VerbNewVillage, notice.VerbNewSkip, notice.VerbNewSource:
		return t.newPress(a)
	case notice.VerbArea, notice.VerbVillage, notice.VerbTag:
		t.out.Answer = notice.RefuseNoRegistering
		return nil
	}
	// Residents' buttons (rating, category) on a staff member's screen can
	// only be forged: the lifecycle would refuse them as "not found".
	t.out.Answer = notice.RefuseNotFound
	return nil
}

func (t *turn) accept(a notice.Action) error {
	if a.Arg != "" {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	refused, err := t.try(func() error {
		_, err := t.s.tickets.Accept(t.ctx, t.tx, t.a, a.Ticket(), t.staff.TelegramID)
		return err
	})
	if !refused && err == nil {
		t.out.Answer = "已接单"
	}
	return err
}

// askNote checks that the staff member may resolve the ticket now and asks
// for the one-line result; their next text resolves it.
func (t *turn) askNote(a notice.Action) error {
	tk, ok, err := t.workable(a, tickets.MayWork)
	if !ok || err != nil {
		return err
	}
	if _, err := routing.Next(routing.State(tk.State), routing.Resolve); err != nil {
		t.out.Answer = notice.RefuseState(tk.State)
		return nil
	}
	if err := t.setState(stateNote, strconv.FormatInt(int64(tk.ID), 10)); err != nil {
		return err
	}
	t.out.Answer = "请回复一句办理结果"
	return t.send(notice.NotePrompt(tk))
}

// workable loads the ticket of a press and checks the presser's rights
// with may, setting the refusal when they fail.
func (t *turn) workable(a notice.Action, may func(roster.Staff, storage.Ticket) bool) (storage.Ticket, bool, error) {
	tk, err := t.tx.Ticket(t.ctx, a.Ticket())
	if err != nil {
		if why, ok := refusal(err); ok {
			t.out.Answer = why
			return tk, false, nil
		}
		return tk, false, err
	}
	if !may(t.staff, tk) {
		t.out.Answer = notice.RefuseNotYours
		return tk, false, nil
	}
	if !routing.State(tk.State).Open() {
		t.out.Answer = notice.RefuseState(tk.State)
		return tk, false, nil
	}
	return tk, true, nil
}

// transferMenu turns the card's buttons into the transfer targets: the
// departments, then the cadres by 片区, then the centre; "x" closes it.
func (t *turn) transferMenu(a notice.Action) error {
	tk, ok, err := t.workable(a, tickets.MayMove)
	if !ok || err != nil {
		return err
	}
	r, err := tickets.ResidentOf(t.ctx, t.tx, tk)
	if err != nil {
		return err
	}
	rs := t.a.Roster
	targets := t.a.Router.TransferTargets(tk.HandlerID)
	m := storage.OutboxMessage{Kind: notice.KindTransferMenu, TicketID: tk.ID}
	switch {
	case a.Arg == "":
		m.Text, m.Buttons = notice.TransferPrompt(tk, r, "", t.staff.TelegramID), notice.TransferMenu(tk, targets, rs)
		t.out.Answer = "请选择转派给谁"
	case a.Arg == notice.TransferClose:
		m.Kind, m.Text = notice.KindPressed, notice.CardText(tk, r, t.staff.TelegramID)
		if t.in.ChatID == int64(tk.HandlerID) {
			m.Buttons = notice.CardButtons(tk)
		}
	case strings.HasPrefix(a.Arg, notice.TransferArea):
		area, ok := notice.AreaFromArg(rs, strings.TrimPrefix(a.Arg, notice.TransferArea))
		if !ok {
			t.out.Answer = notice.RefuseStale
			return nil
		}
		m.Text, m.Buttons = notice.TransferPrompt(tk, r, area, t.staff.TelegramID), notice.TransferAreaMenu(tk, targets, rs, area)
	default:
		t.out.Answer = notice.RefuseStale
		return nil
	}
	return t.replace(m)
}

// transfer hands the ticket to one of the offered targets; the lifecycle
// rewrites the old card and notifies the new handler and the resident.
func (t *turn) transfer(a notice.Action) error {
	n, err := strconv.ParseInt(a.Arg, 10, 64)
	to := roster.StaffID(n)
	if err != nil || to <= 0 {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	tk, ok, err := t.workable(a, tickets.MayMove)
	if !ok || err != nil {
		return err
	}
	var target roster.Staff
	for _, s := range t.a.Router.TransferTargets(tk.HandlerID) {
		if s.TelegramID == to {
			target = s
		}
	}
	if target.TelegramID == 0 {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	refused, err := t.try(func() error {
		_, err := t.s.tickets.Transfer(t.ctx, t.tx, t.a, a.Ticket(), t.staff.TelegramID, to)
		return err
	})
	if !refused && err == nil {
		t.out.Answer = "已转派给 " + target.Name
	}
	return err
}

// escalate moves the ticket up the chain: area leader, then the centre.
func (t *turn) escalate(a notice.Action) error {
	if a.Arg != "" {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	refused, err := t.try(func() error {
		tk, err := t.s.tickets.Escalate(t.ctx, t.tx, t.a, a.Ticket(), t.staff.TelegramID, "上报")
		if err == nil {
			t.out.Answer = "已上报给 " + tk.HandlerName
		}
		return err
	})
	if refused {
		return nil
	}
	return err
}
