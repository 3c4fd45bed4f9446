package conversation

import (
	"errors"
	"strconv"

	"hotline/intents"
	"hotline/notice"
	"hotline/outreach"
	"hotline/storage"
)

// The resident's side of outreach: answers to check-ins, the year-end
// rating of the village cadre and "has it been fixed?". outreach records
// them and queues its own replies inside the update's transaction; the bot
// checks the button's shape, turns the pressed message into the answer
// given and says why a press is refused.

// report turns a registered resident's report into a ticket. A report
// while a check-in awaits an answer is that answer: it opens a ticket in
// the campaign's category, linked to the campaign. Anything else is an
// ordinary report.
func (t *turn) report(r storage.Resident, in intake) (storage.Ticket, error) {
	return t.reportAs(r, in, t.intent(&in, r.Village))
}

// reportAs is report with the classification decided.
func (t *turn) reportAs(r storage.Resident, in intake, intent intents.Result) (storage.Ticket, error) {
	if t.s.outreach != nil {
		handled, tk, err := t.s.outreach.CheckinReply(t.ctx, t.tx, t.a, r.ID, in.text, intent)
		if err != nil {
			return tk, err
		}
		if handled {
			return t.attach(tk, r.ID, in)
		}
	}
	return t.open(r.ID, in, intent)
}

// outreachPress handles ci, ye and fix. Without outreach no such button
// can be current.
func (t *turn) outreachPress(r storage.Resident, a notice.Action) error {
	if t.s.outreach == nil || a.ID == 0 {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	switch a.Verb {
	case notice.VerbCheckin:
		return t.answerCheckin(r, a)
	case notice.VerbYearEndRate:
		return t.rateCadre(r, a)
	}
	return t.answerFixed(r, a)
}

// tryAnswer runs an outreach answer in a savepoint. A question the
// resident was never asked, or no longer has pending, is "expired" and
// changes nothing; a ticket refusal (e.g. reopening a closed ticket) is
// told as usual; anything else is a fault.
func (t *turn) tryAnswer(op func() error) (refused bool, err error) {
	err = t.tx.Try(t.ctx, op)
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, outreach.ErrNotAsked), errors.Is(err, storage.ErrNotFound):
		t.out.Answer = notice.RefuseExpired
		return true, nil
	}
	if why, ok := refusal(err); ok {
		t.out.Answer = why
		return true, nil
	}
	return false, err
}

// answerCheckin records 正常 or 有问题; 有问题 opens a ticket in the
// campaign's category, whose handler gets the card.
func (t *turn) answerCheckin(r storage.Resident, a notice.Action) error {
	ok := a.Arg == "ok"
	if !ok && a.Arg != "bad" {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	var before storage.Recipient
	var tk storage.Ticket
	refused, err := t.tryAnswer(func() error {
		var err error
		if before, err = t.tx.Recipient(t.ctx, a.ID, r.ID); err != nil {
			return err
		}
		tk, err = t.s.outreach.AnswerCheckin(t.ctx, t.tx, t.a, a.ID, r.ID, ok)
		return err
	})
	if refused || err != nil {
		return err
	}
	run, err := t.tx.Run(t.ctx, a.ID)
	if err != nil {
		return err
	}
	answer, already := before.Answer, before.Answer != ""
	switch {
	case already:
		t.out.Answer = notice.ToastAnswered
	case ok:
		answer, t.out.Answer = "ok", notice.ToastThanks
	default:
		answer, t.out.Answer = "bad", notice.ToastTicketOpened
	}
	m := notice.CheckinPressed(run, answer, already)
	m.TicketID = tk.ID
	return t.replace(m)
}

// rateCadre records the household's year-end rating of its village cadre,
// once.
func (t *turn) rateCadre(r storage.Resident, a notice.Action) error {
	stars, err := strconv.Atoi(a.Arg)
	if err != nil || stars < 1 || stars > 5 || strconv.Itoa(stars) != a.Arg {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	var before storage.Recipient
	refused, err := t.tryAnswer(func() error {
		var err error
		if before, err = t.tx.Recipient(t.ctx, a.ID, r.ID); err != nil {
			return err
		}
		return t.s.outreach.RateCadre(t.ctx, t.tx, a.ID, r.ID, stars)
	})
	if refused || err != nil {
		return err
	}
	run, err := t.tx.Run(t.ctx, a.ID)
	if err != nil {
		return err
	}
	given, already := before.Answer, before.Answer != ""
	if already {
		t.out.Answer = notice.ToastAnswered
	} else {
		given, t.out.Answer = a.Arg, notice.ToastRated
	}
	return t.replace(notice.YearEndPressed(run, given, already))
}

// answerFixed records "has it been fixed?"; "no" reopens the ticket or
// opens a linked one (the lifecycle decides which).
func (t *turn) answerFixed(r storage.Resident, a notice.Action) error {
	yes := a.Arg == "yes"
	if !yes && a.Arg != "no" {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	var asked storage.Ticket
	first := false
	refused, err := t.tryAnswer(func() error {
		var err error
		if asked, err = t.tx.Ticket(t.ctx, storage.TicketID(a.ID)); err != nil {
			return err
		}
		_, first, err = t.s.tickets.FixedAnswer(t.ctx, t.tx, t.a, asked.ID, r.ID, yes)
		return err
	})
	if refused || err != nil {
		return err
	}
	switch {
	case !first:
		t.out.Answer = notice.ToastAnswered
	case yes:
		t.out.Answer = notice.ToastThanks
	default:
		t.out.Answer = notice.ToastTicketOpened
	}
	return t.replace(notice.FixedPressed(asked, yes, !first))
}
