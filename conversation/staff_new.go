package conversation

import (
	"encoding/json"
	"strings"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// stateNew is the chat state of a staff member in the middle of /new; the
// state data is the draft, whose Step says what is asked next.
const stateNew = "new"

// Steps of /new, in order.
const (
	stepVillage   = "village"
	stepText      = "text"
	stepRequester = "requester"
	stepSource    = "source"
)

// newTicket starts /new: with a line, whatever it says is taken and only
// the rest is asked; without, every step is asked.
func (t *turn) newTicket() error {
	vs := t.openableVillages()
	local := t.staff.Role == roster.VillageCadre || t.staff.Role == roster.AreaLeader
	if local && len(vs) == 0 {
		return t.send(notice.Refusal(notice.NewNoVillage))
	}
	d := draft{}
	if t.args != "" {
		d = parseLine(t.args, t.a.Gazetteer, t.now, t.s.tickets.Calendar(), notice.Zone)
		// One line: a requester it does not name is not asked for.
		d.Asked = d.Asked || d.Text != ""
	}
	if d.Village == "" && len(vs) == 1 {
		d.Village = vs[0].Name
	}
	if v, _ := t.a.Roster.Village(d.Village); d.Village != "" && !tickets.MayOpen(t.staff, v, taxonomy.Visit) {
		return t.send(notice.Refusal(notice.NewNotYourPlace))
	}
	return t.nextStep(d)
}

// openableVillages are the villages whose residents the staff member may
// open tickets for; nil when it is any village (the 片区 menu comes first).
func (t *turn) openableVillages() []roster.Village {
	switch t.staff.Role {
	case roster.VillageCadre:
		var out []roster.Village
		for _, name := range t.staff.Villages {
			if v, ok := t.a.Roster.Village(name); ok {
				out = append(out, v)
			}
		}
		return out
	case roster.AreaLeader:
		return t.a.Roster.VillagesIn(t.staff.Area)
	}
	return nil
}

// nextStep asks for the first thing the draft lacks, or opens the ticket
// once it lacks nothing.
func (t *turn) nextStep(d draft) error {
	var m storage.OutboxMessage
	switch {
	case d.Village == "":
		d.Step, m = stepVillage, t.villageQuestion()
	case d.Text == "":
		d.Step, m = stepText, notice.NewAskText(d.Village)
	case !d.Asked:
		d.Step, m = stepRequester, notice.NewAskRequester()
	case d.Source == "":
		d.Step, m = stepSource, notice.NewAskSource()
	default:
		return t.openForOthers(d)
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := t.setState(stateNew, string(b)); err != nil {
		return err
	}
	return t.send(m)
}

func (t *turn) villageQuestion() storage.OutboxMessage {
	if vs := t.openableVillages(); vs != nil {
		return notice.NewVillageMenu(t.a.Roster, vs, false)
	}
	return notice.NewAreaMenu(t.a.Roster)
}

// draft is the /new in progress, ok false when there is none.
func (t *turn) draft() (draft, bool) {
	var d draft
	if t.chat.State != stateNew || json.Unmarshal([]byte(t.chat.StateData), &d) != nil {
		return draft{}, false
	}
	return d, true
}

// newAnswer takes a typed answer to the step /new is at.
func (t *turn) newAnswer() error {
	d, ok := t.draft()
	text := strings.TrimSpace(t.in.Text)
	if !ok || t.in.Contact != nil || text == "" {
		return t.send(notice.Refusal(notice.NewAskWords))
	}
	switch d.Step {
	case stepVillage:
		name, ok := t.a.Gazetteer.Resolve(text)
		if !ok {
			name, ok = t.a.Gazetteer.Find(text)
		}
		if !ok {
			return t.send(notice.Refusal(notice.NewUnknownPlace))
		}
		return t.pickNewVillage(d, name)
	case stepText:
		d.Text = text
	case stepRequester:
		d.Name, d.Phone = parseRequester(text)
		d.Asked = true
	case stepSource:
		src, err := taxonomy.ParseSource(text)
		if err != nil || !src.ByStaff() {
			return t.send(notice.NewAskSource())
		}
		d.Source = src
	}
	return t.nextStep(d)
}

func (t *turn) pickNewVillage(d draft, name string) error {
	v, ok := t.a.Roster.Village(name)
	if !ok {
		return t.send(notice.Refusal(notice.NewUnknownPlace))
	}
	if !tickets.MayOpen(t.staff, v, taxonomy.Visit) {
		return t.send(notice.Refusal(notice.NewNotYourPlace))
	}
	d.Village = v.Name
	return t.nextStep(d)
}

// newPress takes a button of /new: a 片区, a village, "skip" or a source.
// A button of an earlier or finished /new is stale.
func (t *turn) newPress(a notice.Action) error {
	d, ok := t.draft()
	if !ok {
		t.out.Answer = notice.RefuseStale
		return nil
	}
	switch {
	case a.Verb == notice.VerbNewArea && d.Step == stepVillage:
		if a.Arg == "" {
			return t.replace(notice.NewAreaMenu(t.a.Roster))
		}
		area, ok := notice.AreaFromArg(t.a.Roster, a.Arg)
		if !ok {
			break
		}
		return t.replace(notice.NewVillageMenu(t.a.Roster, t.a.Roster.VillagesIn(area), true))
	case a.Verb == notice.VerbNewVillage && d.Step == stepVillage:
		v, ok := notice.VillageFromArg(t.a.Roster, a.Arg)
		if !ok {
			break
		}
		t.out.Answer = v.Name
		return t.pickNewVillage(d, v.Name)
	case a.Verb == notice.VerbNewSkip && d.Step == stepRequester:
		d.Asked = true
		return t.nextStep(d)
	case a.Verb == notice.VerbNewSource && d.Step == stepSource:
		src, err := taxonomy.ParseSource(a.Arg)
		if err != nil || !src.ByStaff() {
			break
		}
		d.Source = src
		t.out.Answer = src.Chinese()
		return t.nextStep(d)
	}
	t.out.Answer = notice.RefuseStale
	return nil
}

// openForOthers opens the drafted ticket, classified and routed like any
// other, with the chosen village whatever the words name.
func (t *turn) openForOthers(d draft) error {
	if err := t.setState(stateIdle, ""); err != nil {
		return err
	}
	intent := t.s.classify(t.ctx, t.a, d.Text, d.Village)
	intent.Village = d.Village
	var tk storage.Ticket
	refused, err := t.try(func() error {
		var err error
		tk, err = t.s.tickets.Open(t.ctx, t.tx, t.a, tickets.OpenInput{
			Text: d.Text, Intent: intent, Source: d.Source, OpenedBy: t.staff.TelegramID,
			RequesterName: d.Name, RequesterPhone: d.Phone, ReplyBy: d.ReplyBy,
		})
		return err
	})
	if err != nil {
		return err
	}
	if refused {
		return t.send(notice.Refusal(t.out.Answer))
	}
	return t.send(notice.NewOpened(tk))
}
