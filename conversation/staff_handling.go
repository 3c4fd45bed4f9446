package conversation

import (
	"errors"
	"strconv"
	"strings"

	"hotline/duedate"
	"hotline/notice"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// The 12345 steps on a card: 先行联系, the outcome of a resolution, and the
// requests to the centre (延期, 退单) with the centre's answer.

// contact records that the handler phoned the requester first.
func (t *turn) contact(a notice.Action) error {
	if a.Arg != "" {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	refused, err := t.try(func() error {
		_, err := t.s.tickets.Contact(t.ctx, t.tx, t.a, a.Ticket(), t.staff.TelegramID, t.now)
		return err
	})
	if !refused && err == nil {
		t.out.Answer = notice.ContactRecorded
	}
	return err
}

// chooseOutcome marks, on the note prompt, what became of the problem;
// the note that follows resolves the ticket with it.
func (t *turn) chooseOutcome(a notice.Action) error {
	o, err := routing.ParseOutcome(a.Arg)
	idText, _, _ := strings.Cut(t.chat.StateData, ":")
	if err != nil || t.chat.State != stateNote || idText != strconv.FormatInt(a.ID, 10) {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	tk, ok, err := t.workable(a, tickets.MayWork)
	if !ok || err != nil {
		return err
	}
	if err := t.setState(stateNote, idText+":"+string(o)); err != nil {
		return err
	}
	t.out.Answer = o.Chinese()
	return t.replace(notice.OutcomePrompt(tk, o))
}

// askPrompt starts a request to the centre: the handler's next text is
// its reason (and for 延期 the new deadline).
func (t *turn) askPrompt(a notice.Action) error {
	if a.Arg != "" {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	tk, ok, err := t.workable(a, tickets.MayAsk)
	if !ok || err != nil {
		if t.out.Answer == notice.RefuseNotYours {
			t.out.Answer = notice.RefuseNotHandler
		}
		return err
	}
	kind, m := storage.Return, notice.AskReturnPrompt(tk)
	if a.Verb == notice.VerbAskExtend {
		kind, m = storage.Extend, notice.AskExtendPrompt(tk)
	}
	if err := t.setState(stateAsk, string(kind)+":"+strconv.FormatInt(a.ID, 10)); err != nil {
		return err
	}
	t.out.Answer = "请回复理由"
	return t.send(m)
}

// askAnswer sends the request whose reason the handler just wrote.
func (t *turn) askAnswer() error {
	kind, idText, _ := strings.Cut(t.chat.StateData, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	text := strings.TrimSpace(t.in.Text)
	if err != nil || t.in.Contact != nil {
		return t.setState(stateIdle, "")
	}
	if text == "" {
		return t.send(notice.Refusal(notice.AskReasonFormat))
	}
	var r storage.Request
	var tk storage.Ticket
	op := func() error {
		var err error
		if kind == string(storage.Extend) {
			due, reason, ok := duedate.Parse(text, t.now, t.s.tickets.Calendar(), notice.Zone)
			if !ok || reason == "" {
				return errAskAgain
			}
			r, err = t.s.tickets.RequestExtension(t.ctx, t.tx, t.a, storage.TicketID(id), t.staff.TelegramID, due, reason)
		} else {
			r, err = t.s.tickets.RequestReturn(t.ctx, t.tx, t.a, storage.TicketID(id), t.staff.TelegramID, text)
		}
		if err == nil {
			tk, err = t.tx.Ticket(t.ctx, storage.TicketID(id))
		}
		return err
	}
	refused, err := t.try(op)
	switch {
	case errors.Is(err, errAskAgain):
		return t.send(notice.Refusal(notice.AskExtendFormat))
	case err != nil:
		return err
	}
	if err := t.setState(stateIdle, ""); err != nil {
		return err
	}
	if refused {
		return t.send(notice.Refusal(t.out.Answer))
	}
	return t.send(notice.RequestSent(tk, r))
}

// decide is the centre's 同意 or 不同意 on a request.
func (t *turn) decide(a notice.Action) error {
	if a.Arg != "" {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	if !tickets.MayDecide(t.staff) {
		t.out.Answer = notice.RefuseNotCentre
		return nil
	}
	var r storage.Request
	var tk storage.Ticket
	refused, err := t.try(func() error {
		var err error
		r, tk, err = t.s.tickets.Decide(t.ctx, t.tx, t.a, a.ID, t.staff.TelegramID, a.Verb == notice.VerbApprove, "")
		return err
	})
	if refused || err != nil {
		if t.out.Answer == notice.RefuseDone {
			t.out.Answer = notice.RefuseDecided
		}
		return err
	}
	t.out.Answer = "已同意"
	if r.Decision != storage.Approved {
		t.out.Answer = "已回复不同意"
	}
	return t.replace(notice.RequestDone(tk, r, t.staff.Name))
}

// errAskAgain rolls back a request whose text did not say what is needed;
// the handler is asked again and stays in the step.
var errAskAgain = errors.New("ask again")

// promise records "/promise NUMBER 本周内给予答复": a reply promised to the
// requester by a date.
func (t *turn) promise() error {
	head, rest, _ := strings.Cut(t.args, " ")
	number, ok := parseTicketNumber(head, t.now)
	due, _, okDue := duedate.Parse(rest, t.now, t.s.tickets.Calendar(), notice.Zone)
	if !ok || !okDue {
		return t.send(notice.Refusal(notice.AskPromise))
	}
	tk, ok, err := t.seeTicket(number)
	if !ok || err != nil {
		return err
	}
	refused, err := t.try(func() error {
		tk, err = t.s.tickets.Promise(t.ctx, t.tx, t.a, tk.ID, t.staff.TelegramID, due)
		return err
	})
	if err != nil {
		return err
	}
	if refused {
		return t.send(notice.Refusal(t.out.Answer))
	}
	return t.send(notice.Promised(tk))
}
