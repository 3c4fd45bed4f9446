package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"hotline/intents"
	"hotline/notice"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// NewTicket is the body of POST /api/v1/tickets: a request a staff member
// opens for someone who phoned, came by or was visited, or a 12345 order
// the centre enters by hand.
type NewTicket struct {
	Text           string `json:"text"`                      // what the requester said
	Village        string `json:"village"`                   // the village it is about, any name the gazetteer knows
	Source         string `json:"source"`                    // visit, phone, walkin or 12345
	RequesterName  string `json:"requester_name,omitempty"`  // optional
	RequesterPhone string `json:"requester_phone,omitempty"` // optional; masked wherever shown but to the handler
	ExternalID     string `json:"external_id,omitempty"`     // 12345 工单编号: required for source 12345
	ReplyBy        string `json:"reply_by,omitempty"`        // a reply promised to the requester: a date, a time or 本周内
}

// postTicket opens a ticket on someone's behalf with the caller's rights
// (tickets.MayOpen, as /new in the bot): classified and routed like any
// other. 201 with the ticket; 400 bad input, 403 a village or source
// outside the caller's rights, 409 a 12345 number already entered.
func (s *Server) postTicket(w http.ResponseWriter, r *http.Request, req request) error {
	var body NewTicket
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return badRequest("the body is not a ticket: %v", err)
	}
	in, err := s.openInput(req, body)
	if err != nil {
		return err
	}
	var out Ticket
	err = s.cfg.DB.Update(req.ctx, func(tx *storage.Tx) error {
		t, err := s.cfg.Tickets.Open(req.ctx, tx, req.a, in)
		if err != nil {
			return err
		}
		out, err = TicketOf(req.ctx, tx, t, req.now)
		return err
	})
	if err != nil {
		return err
	}
	s.notify()
	w.Header().Set("Location", "/api/v1/tickets/"+out.Number)
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// openInput checks a NewTicket and classifies its words, before the write
// transaction: the village named wins over any the words name, which
// serve when none is named.
func (s *Server) openInput(req request, body NewTicket) (tickets.OpenInput, error) {
	text := strings.TrimSpace(body.Text)
	if text == "" {
		return tickets.OpenInput{}, badRequest("text is required")
	}
	src, err := taxonomy.ParseSource(body.Source)
	if err != nil || !(src.ByStaff() || src == taxonomy.Hotline) {
		return tickets.OpenInput{}, badRequest("source must be visit, phone, walkin or 12345")
	}
	village := ""
	if body.Village != "" {
		var ok bool
		if village, ok = req.a.Gazetteer.Resolve(body.Village); !ok {
			return tickets.OpenInput{}, badRequest("village %q is not in the roster", body.Village)
		}
	}
	var replyBy time.Time
	if body.ReplyBy != "" {
		if replyBy, err = parseWhen(body.ReplyBy, s.cfg.Tickets); err != nil {
			return tickets.OpenInput{}, err
		}
	}
	intent := intents.Result{Category: taxonomy.Other, Urgency: taxonomy.Normal, Source: "fallback"}
	if c := req.a.Classifier; c != nil {
		if got, err := c.Classify(req.ctx, intents.Input{Text: text, ResidentVillage: village}); err != nil {
			s.cfg.Log.Warn("classifier failed; the centre will triage", "err", err)
		} else {
			intent = got
		}
	}
	if village != "" {
		intent.Village = village
	}
	return tickets.OpenInput{
		Text: text, Intent: intent, Source: src, OpenedBy: req.staff.TelegramID, ExternalID: body.ExternalID,
		RequesterName: body.RequesterName, RequesterPhone: notice.PhoneDigits(body.RequesterPhone), ReplyBy: replyBy,
	}, nil
}
