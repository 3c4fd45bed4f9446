package conversation

import (
	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// emergency answers a report of a life-safety situation: first what to do
// now and whom to call, then an urgent ticket routed as usual (to the
// centre when nobody can tell where it is) with every centre staff member
// told at once, and only then, for someone not yet registered, the
// question of their village. Everything goes in the ticket lane.
func (t *turn) emergency(r storage.Resident, in intake, em intents.Emergency) error {
	if err := t.send(notice.EmergencyAdvice(string(em.Kind), t.s.cfg.GasPhone)); err != nil {
		return err
	}
	if err := t.setState(stateIdle, ""); err != nil {
		return err
	}
	if err := t.takeWaiting(r, &in); err != nil {
		return err
	}
	intent := t.intent(&in, r.Village)
	if intent.Emergency != em.Kind {
		// The classifier did not see it (a stand-in, a fallback): the
		// detector's category stands.
		intent.Emergency, intent.Category = em.Kind, em.Category
	}
	intent.Urgency = taxonomy.Urgent
	if intent.Village == "" {
		// Nobody knows where: the centre takes it and phones.
		if cs := t.a.Roster.Centers(); len(cs) > 0 {
			in.handler = cs[0].TelegramID
		}
	} else if in.handler != 0 && intent.Category != taxonomy.Other {
		in.handler = 0 // a voice message's cadre rule is for "other"; this is routed as usual
	}
	var tk storage.Ticket
	var err error
	if r.Village != "" {
		tk, err = t.reportAs(r, in, intent)
	} else {
		tk, err = t.open(r.ID, in, intent)
	}
	if err != nil {
		return err
	}
	if err := t.alertCentre(tk, r); err != nil {
		return err
	}
	if r.Village == "" {
		return t.send(notice.EmergencyRegister(t.a.Roster, tk, intent.Village))
	}
	return nil
}

// alertCentre tells every centre staff member who can be written to about
// an emergency ticket, except the one who got its card.
func (t *turn) alertCentre(tk storage.Ticket, r storage.Resident) error {
	for _, c := range t.a.Roster.Centers() {
		if c.TelegramID == tk.HandlerID && tk.CardOutbox != 0 {
			continue
		}
		if err := t.toStaff(c, notice.EmergencyCentre(tk, r)); err != nil {
			return err
		}
	}
	return nil
}

// toStaff queues m to a staff member who started the bot and did not block
// it; the others cannot be written to.
func (t *turn) toStaff(s roster.Staff, m storage.OutboxMessage) error {
	ok, err := t.tx.Reachable(t.ctx, int64(s.TelegramID))
	if err != nil || !ok {
		return err
	}
	m.ChatID = int64(s.TelegramID)
	_, err = t.tx.Enqueue(t.ctx, m, t.now)
	return err
}
