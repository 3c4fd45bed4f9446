package desk

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"hotline/api"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// One ticket: what the resident said, how it was classified, its whole
// history and deadlines, and the actions the visitor may take.

// ticketData is the ticket page.
type ticketData struct {
	base
	T          storage.Ticket
	Resident   storage.Resident // phone masked
	Words      string           // the resident's words, without the photo or location mark
	Photo      bool             // a photo's caption, and no photo kept (a ticket from before photos were kept)
	Location   string           // "lat, lon" when the words say so and no place is kept
	Media      []mediaGroup
	Overdue    bool
	Urged      int
	Timeline   []entry
	Can        rights
	Targets    []roster.Staff
	Categories []taxonomy.Category
	Outcomes   []routing.Outcome
	H          handling // the 12345 side: requester, order, same problem, requests
	Error      string   // why the last action was refused
}

// rights are the actions the page offers; the lifecycle checks each again.
type rights struct {
	Accept, Resolve, Transfer, Escalate, Urge, Close, Recategorize bool
}

func rightsOn(st roster.Staff, t storage.Ticket) rights {
	// A linked ticket is worked through the one it follows: it offers
	// closing and unlinking only (handlingRights).
	open := t.State.Open() && t.State != routing.Linked
	_, closeErr := routing.Next(t.State, routing.Dismiss)
	return rights{
		Accept:       tickets.MayWork(st, t) && t.State == routing.Assigned,
		Resolve:      tickets.MayWork(st, t) && open,
		Transfer:     tickets.MayMove(st, t) && open,
		Escalate:     tickets.MayMove(st, t) && open && t.Level < routing.LevelCenter,
		Urge:         tickets.MaySupervise(st, t) && open,
		Close:        tickets.MaySupervise(st, t) && closeErr == nil,
		Recategorize: tickets.MayMove(st, t) && t.State != routing.Linked,
	}
}

func (s *Server) ticket(r *http.Request, v *visit) error {
	d, err := s.ticketPage(r, v)
	if err != nil {
		return err
	}
	return s.render(v.w, http.StatusOK, "ticket", d)
}

// ticketPage reads everything the ticket page shows.
func (s *Server) ticketPage(r *http.Request, v *visit) (ticketData, error) {
	var d ticketData
	err := s.cfg.DB.View(v.ctx, func(tx *storage.Tx) error {
		t, err := api.Visible(v.ctx, tx, v.staff, r.PathValue("number"))
		if err != nil {
			return err
		}
		d = ticketData{base: v.base(r, "工单 "+t.Number, "tickets"), T: t, Categories: taxonomy.Categories, Outcomes: routing.Outcomes,
			Overdue: t.State.Open() && v.now.After(storage.CursorOf(t).Due), Can: rightsOn(v.staff, t)}
		d.Words, d.Photo, d.Location = splitWords(t.Text)
		if d.Media, err = mediaOf(v, tx, t); err != nil {
			return err
		}
		d.Photo = d.Photo && !has(d.Media, storage.MediaPhoto)
		if has(d.Media, storage.MediaLocation) {
			d.Location = ""
		}
		if d.Can.Transfer {
			d.Targets = v.a.Router.TransferTargets(t.HandlerID)
		}
		if d.H, err = handlingOf(v, tx, t); err != nil {
			return err
		}
		if t.ResidentID != 0 {
			if d.Resident, err = residentOf(v, tx, t.ResidentID); err != nil {
				return err
			}
		}
		es, err := tx.Events(v.ctx, t.ID)
		if err != nil {
			return err
		}
		for _, e := range es {
			if e.Kind == tickets.EventUrged {
				d.Urged++
			}
			d.Timeline = append(d.Timeline, entryOf(v.a.Roster, t, e))
		}
		return nil
	})
	return d, err
}

// splitWords takes apart what conversation made of a photo's caption
// ("[照片] …") or a shared location ("[位置] lat,lon …"): the photo itself
// stays in the chat, the hotline keeps its caption.
func splitWords(text string) (words string, photo bool, location string) {
	if rest, ok := strings.CutPrefix(text, "[照片] "); ok {
		return rest, true, ""
	}
	if rest, ok := strings.CutPrefix(text, "[位置] "); ok {
		loc, words, _ := strings.Cut(rest, " ")
		lat, lon, ok := strings.Cut(loc, ",")
		if _, err1 := strconv.ParseFloat(lat, 64); ok && err1 == nil {
			if _, err2 := strconv.ParseFloat(lon, 64); err2 == nil {
				return words, false, lat + ", " + lon
			}
		}
	}
	return text, false, ""
}

// act runs one action from the ticket page's forms and returns to the
// ticket; a refusal shows the ticket again with the reason.
func (s *Server) act(r *http.Request, v *visit) error {
	to, _ := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
	req := api.ActionRequest{Action: r.PostFormValue("action"), To: to, Note: r.PostFormValue("note"),
		Category: r.PostFormValue("category"), Outcome: r.PostFormValue("outcome"), At: r.PostFormValue("at"),
		ReplyBy: r.PostFormValue("reply_by"), Deadline: r.PostFormValue("deadline"), Ticket: strings.TrimSpace(r.PostFormValue("ticket"))}
	number := r.PathValue("number")
	err := s.cfg.DB.Update(v.ctx, func(tx *storage.Tx) error {
		_, err := api.Act(v.ctx, s.cfg.Tickets, tx, v.a, v.staff, number, req)
		return err
	})
	if err == nil {
		s.notify()
		return see(v.w, r, "/desk/tickets/"+number, req.Action)
	}
	code, _ := api.Status(err)
	if !api.Refused(err) || errors.Is(err, storage.ErrNotFound) {
		return err
	}
	d, perr := s.ticketPage(r, v)
	if perr != nil {
		return perr
	}
	d.Error = pageMessage(code, err)
	return s.render(v.w, code, "ticket", d)
}
