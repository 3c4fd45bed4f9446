package conversation

import (
	"slices"
	"strconv"
	"strings"

	"hotline/notice"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

var staffVerbs = []string{notice.VerbAccept, notice.VerbResolve, notice.VerbTransferTo, notice.VerbTransfer, notice.VerbEscalate,
	notice.VerbContact, notice.VerbOutcome, notice.VerbAskExtend, notice.VerbAskReturn, notice.VerbApprove, notice.VerbRefuse}

// staffOnly are the verbs of buttons only staff are shown, with or
// without a ticket.
var staffOnly = append([]string{notice.VerbNewArea, notice.VerbNewVillage, notice.VerbNewSkip, notice.VerbNewSource}, staffVerbs...)

// residentPress handles a resident's button press. Callback data carries
// only a verb, an id and an argument; everything else is checked here.
func (t *turn) residentPress(r storage.Resident) error {
	a, err := notice.ParseAction(t.in.Data)
	if err != nil {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	switch a.Verb {
	case notice.VerbArea:
		return t.pickArea(a.Arg)
	case notice.VerbVillage:
		v, ok := notice.VillageFromArg(t.a.Roster, a.Arg)
		if !ok {
			t.out.Answer = notice.RefuseStale
			return nil
		}
		return t.register(r, v.Name)
	case notice.VerbTag:
		return t.answerTag(r, a.Arg)
	case notice.VerbRate:
		return t.rate(r, a)
	case notice.VerbUnresolved:
		return t.unresolved(r, a)
	case notice.VerbRecatMenu:
		return t.categoryMenu(r, a)
	case notice.VerbRecategory:
		return t.recategorize(r, a)
	case notice.VerbCheckin, notice.VerbYearEndRate, notice.VerbFixed:
		return t.outreachPress(r, a)
	case notice.VerbNotify:
		t.out.Answer = notice.RefuseNotStaff
		return nil
	}
	if slices.Contains(staffOnly, a.Verb) {
		t.out.Answer = notice.RefuseNotStaff
		return nil
	}
	t.out.Answer = notice.RefuseStale
	return nil
}

// pickArea turns the 片区 keyboard into that 片区's villages, or back.
func (t *turn) pickArea(area string) error {
	rs := t.a.Roster
	if area == "" {
		return t.replace(notice.AreaMenu(rs))
	}
	area, ok := notice.AreaFromArg(rs, area)
	if !ok {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	return t.replace(notice.VillageMenu(rs, area))
}

// answerTag records a yes/no registration answer and asks the next
// question; "skip" ends the questions.
func (t *turn) answerTag(r storage.Resident, arg string) error {
	if arg == "skip" {
		if err := t.replace(storage.OutboxMessage{Kind: notice.KindPressed, Text: "好的，跳过。"}); err != nil {
			return err
		}
		return t.send(notice.TagsDone())
	}
	tag, answer, _ := strings.Cut(arg, "=")
	i := slices.Index(notice.TagQuestions, tag)
	if i < 0 || (answer != "yes" && answer != "no") {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	tags := slices.DeleteFunc(slices.Clone(r.Tags), func(s string) bool { return s == tag })
	if answer == "yes" {
		tags = append(tags, tag)
	}
	if err := t.tx.SetResidentTags(t.ctx, r.ID, tags); err != nil {
		return err
	}
	if err := t.replace(storage.OutboxMessage{Kind: notice.KindPressed, Text: notice.TagAnswered(tag, answer == "yes")}); err != nil {
		return err
	}
	t.out.Answer = "已记下"
	if i+1 < len(notice.TagQuestions) {
		return t.send(notice.TagQuestion(notice.TagQuestions[i+1]))
	}
	return t.send(notice.TagsDone())
}

// rate records the 1–5 rating once and takes the buttons off the notice.
func (t *turn) rate(r storage.Resident, a notice.Action) error {
	stars, err := strconv.Atoi(a.Arg)
	if err != nil || stars < 1 || stars > 5 || strconv.Itoa(stars) != a.Arg {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	var before storage.Ticket
	refused, err := t.try(func() error {
		var err error
		if before, err = t.tx.Ticket(t.ctx, a.Ticket()); err != nil {
			return err
		}
		_, err = t.s.tickets.Rate(t.ctx, t.tx, a.Ticket(), r.ID, stars)
		return err
	})
	if refused || err != nil {
		return err
	}
	t.out.Answer = "谢谢您的评价！"
	return t.replace(storage.OutboxMessage{Kind: notice.KindPressed, TicketID: a.Ticket(), Text: notice.RatedText(before, stars)})
}

// unresolved reopens the ticket to the same handler with raised urgency.
func (t *turn) unresolved(r storage.Resident, a notice.Action) error {
	if a.Arg != "" {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	var before, after storage.Ticket
	refused, err := t.try(func() error {
		var err error
		if before, err = t.tx.Ticket(t.ctx, a.Ticket()); err != nil {
			return err
		}
		after, err = t.s.tickets.Unresolved(t.ctx, t.tx, t.a, a.Ticket(), r.ID)
		return err
	})
	if refused || err != nil {
		return err
	}
	t.out.Answer = "已反馈，我们重新办理"
	if err := t.replace(storage.OutboxMessage{Kind: notice.KindPressed, TicketID: a.Ticket(), Text: notice.UnresolvedText(before)}); err != nil {
		return err
	}
	return t.askReason(after)
}

// ownOpenTicket loads one of the resident's open tickets for a category
// change, setting the refusal when it is not one.
func (t *turn) ownOpenTicket(r storage.Resident, id storage.TicketID) (storage.Ticket, bool, error) {
	tk, err := t.tx.Ticket(t.ctx, id)
	if err != nil {
		if why, ok := refusal(err); ok {
			t.out.Answer = why
			return tk, false, nil
		}
		return tk, false, err
	}
	if tk.ResidentID != r.ID {
		t.out.Answer = notice.RefuseNotFound
		return tk, false, nil
	}
	if !routing.State(tk.State).Open() {
		t.out.Answer = notice.RefuseClosedTicket
		return tk, false, nil
	}
	return tk, true, nil
}

// categoryMenu offers the 18 categories for a ticket the resident says is
// in the wrong one.
func (t *turn) categoryMenu(r storage.Resident, a notice.Action) error {
	tk, ok, err := t.ownOpenTicket(r, a.Ticket())
	if !ok || err != nil {
		return err
	}
	t.out.Answer = "请选择正确的类别"
	return t.send(notice.CategoryMenu(tk))
}

// recategorize re-routes the ticket for the chosen category; the lifecycle
// records the change and tells everyone affected.
func (t *turn) recategorize(r storage.Resident, a notice.Action) error {
	c, err := taxonomy.ParseCategory(a.Arg)
	if err != nil {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	if _, ok, err := t.ownOpenTicket(r, a.Ticket()); !ok || err != nil {
		return err
	}
	var after storage.Ticket
	refused, err := t.try(func() error {
		var err error
		after, err = t.s.tickets.Recategorize(t.ctx, t.tx, t.a, a.Ticket(), r.ID, c)
		return err
	})
	if refused || err != nil {
		return err
	}
	t.out.Answer = "已改为：" + c.Chinese()
	return t.replace(storage.OutboxMessage{Kind: notice.KindPressed, TicketID: a.Ticket(), Text: notice.CategoryChosen(after)})
}
