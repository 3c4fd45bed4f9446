package conversation

import (
	"errors"
	"strings"

	"hotline/intents"
	"hotline/notice"
	"hotline/storage"
	"hotline/tickets"
)

// runResident handles everything from someone who is not in the roster.
func (t *turn) runResident() error {
	r, err := t.tx.EnsureResident(t.ctx, t.in.UserID, t.in.Name, t.now)
	if err != nil {
		return err
	}
	if t.in.Message {
		// Writing to the bot lets it write back.
		if _, err := t.markStarted(); err != nil {
			return err
		}
	}
	switch {
	case t.in.Pressed:
		if err := t.endReason(); err != nil {
			return err
		}
		return t.residentPress(r)
	case t.cmd != "":
		return t.residentCommand(r)
	case t.in.Message:
		return t.residentMessage(r)
	}
	return nil
}

func (t *turn) residentCommand(r storage.Resident) error {
	switch t.cmd {
	case "start":
		return t.start(r)
	case "village":
		if err := t.setState(stateRegister, ""); err != nil {
			return err
		}
		return t.send(notice.AreaMenu(t.a.Roster))
	case "stop":
		if err := t.tx.SetOptedOut(t.ctx, r.ID, true); err != nil {
			return err
		}
		return t.send(notice.OptedOut())
	case "my":
		return t.myTickets(r)
	case "ticket":
		return t.residentTicket(r)
	case "cancel":
		if t.chat.State == stateIdle {
			return t.send(notice.Refusal(notice.NothingToCancel))
		}
		if err := t.setState(stateIdle, ""); err != nil {
			return err
		}
		return t.send(notice.Refusal(notice.Cancelled))
	case "tasks", "notify", "tag", "web", "new", "promise", "link", "unlink":
		return t.send(notice.Refusal(notice.RefuseStaffOnly))
	case "help":
		return t.send(notice.ResidentHelp())
	}
	if err := t.send(notice.Refusal(notice.RefuseUnknownCmd)); err != nil {
		return err
	}
	return t.send(notice.ResidentHelp())
}

// start welcomes a new resident with the 片区 keyboard, or greets a
// registered one; either way it opts them back in to proactive messages
// (a /stop before registering must not outlive the next /start).
func (t *turn) start(r storage.Resident) error {
	if r.OptedOut {
		if err := t.tx.SetOptedOut(t.ctx, r.ID, false); err != nil {
			return err
		}
	}
	if r.Village == "" {
		return t.send(notice.Welcome(t.a.Roster))
	}
	if err := t.setState(stateIdle, ""); err != nil {
		return err
	}
	return t.send(notice.WelcomeBack(r.Village, r.OptedOut))
}

// residentMessage handles a text, photo, location or contact.
func (t *turn) residentMessage(r storage.Resident) error {
	if c := t.in.Contact; c != nil {
		if c.UserID != 0 && c.UserID != t.in.UserID {
			return t.send(notice.Refusal(notice.AskOwnContact))
		}
		phone := notice.PhoneDigits(c.PhoneNumber)
		if phone == "" {
			return t.send(notice.Refusal(notice.AskOwnContact))
		}
		if err := t.tx.SetResidentPhone(t.ctx, r.ID, phone); err != nil {
			return err
		}
		return t.send(notice.PhoneSaved(phone))
	}
	switch {
	case t.in.Voice != nil:
		return t.voice(r)
	case t.in.Location != nil:
		return t.sharedPlace(r)
	case t.in.Photo && t.in.Text == "":
		return t.lonePhoto(r)
	}
	text, ok := t.in.reportText()
	if !ok || meaningless(text) {
		// A sticker, only emoji or marks: nothing to route. Ask, kindly.
		return t.send(notice.AskWhat())
	}
	in := textIntake(text)
	if t.in.Photo {
		in.media = []storage.Media{t.photo()}
	}
	if em, ok := intents.DetectEmergency(text); ok {
		return t.emergency(r, in, em)
	}
	if t.chat.State == stateReason {
		if done, err := t.reopenReason(r, text); done || err != nil {
			return err
		}
	}
	registering := r.Village == "" || t.chat.State == stateRegister
	if registering && !t.in.Photo {
		if done, err := t.typedPlace(r, t.in.Text); done || err != nil {
			return err
		}
	}
	if r.Village == "" {
		// Nothing sent before registration is lost: it waits for the
		// village and becomes a ticket then.
		return t.keepText(r, in)
	}
	if err := t.takeWaiting(r, &in); err != nil {
		return err
	}
	if err := t.setState(stateIdle, ""); err != nil {
		return err
	}
	_, err := t.report(r, in)
	return err
}

// typedPlace treats a typed village name or alias as the choice of village,
// and a typed 片区 name as the choice of 片区.
func (t *turn) typedPlace(r storage.Resident, text string) (bool, error) {
	rs := t.a.Roster
	if name, ok := t.a.Gazetteer.Resolve(text); ok {
		return true, t.register(r, name)
	}
	for _, a := range rs.Areas() {
		if strings.TrimSpace(text) == a {
			return true, t.send(notice.VillageMenu(rs, a))
		}
	}
	return false, nil
}

// register stores the resident's village, opens tickets for what they said
// before registering, and on first registration asks the optional questions.
func (t *turn) register(r storage.Resident, village string) error {
	v, ok := t.a.Roster.Village(village)
	if !ok {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	first := r.Village == ""
	if err := t.tx.SetResidentVillage(t.ctx, r.ID, v.Name, t.now); err != nil {
		return err
	}
	if err := t.setState(stateIdle, ""); err != nil {
		return err
	}
	if err := t.registerPending(r, v, !first); err != nil {
		return err
	}
	t.out.Answer = "已登记：" + v.Name
	if first {
		return t.send(notice.TagQuestion(notice.TagQuestions[0]))
	}
	return nil
}

// myTickets lists the resident's open tickets and the most recent others.
func (t *turn) myTickets(r storage.Resident) error {
	open, err := t.tx.Tickets(t.ctx, storage.TicketFilter{ResidentID: r.ID, Open: true, NewestFirst: true})
	if err != nil {
		return err
	}
	recent, err := t.tx.Tickets(t.ctx, storage.TicketFilter{ResidentID: r.ID, NewestFirst: true, Limit: 5})
	if err != nil {
		return err
	}
	list, seen := open, map[storage.TicketID]bool{}
	for _, tk := range open {
		seen[tk.ID] = true
	}
	for _, tk := range recent {
		if !seen[tk.ID] {
			list = append(list, tk)
		}
	}
	// A report linked to a neighbour's goes by the number its receipt gave.
	for i, tk := range list {
		if list[i], err = tickets.Shown(t.ctx, t.tx, tk); err != nil {
			return err
		}
	}
	return t.send(notice.MyList(list))
}

// residentTicket shows one of the resident's own tickets; any other number
// gets the same "not found" as a number that does not exist.
func (t *turn) residentTicket(r storage.Resident) error {
	number, ok := parseTicketNumber(t.args, t.now)
	if !ok {
		return t.send(notice.Refusal(notice.AskTicketNumber))
	}
	tk, err := t.tx.TicketByNumber(t.ctx, number)
	if err == nil && tk.ResidentID != r.ID {
		tk, err = t.ownLinked(tk, r.ID)
	}
	if errors.Is(err, storage.ErrNotFound) {
		return t.send(notice.TicketNotFound(number, false))
	}
	if err != nil {
		return err
	}
	if tk, err = tickets.Shown(t.ctx, t.tx, tk); err != nil {
		return err
	}
	return t.send(notice.ResidentTicket(tk))
}

// ownLinked is the resident's own report linked to primary, which they
// know by primary's number; storage.ErrNotFound when they have none.
func (t *turn) ownLinked(primary storage.Ticket, residentID int64) (storage.Ticket, error) {
	linked, err := t.tx.LinkedTickets(t.ctx, primary.ID)
	if err != nil {
		return storage.Ticket{}, err
	}
	for _, tk := range linked {
		if tk.ResidentID == residentID {
			return tk, nil
		}
	}
	return storage.Ticket{}, storage.ErrNotFound
}
