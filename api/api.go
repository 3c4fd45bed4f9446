// Package api is the hotline's JSON API under /api/v1, for the desk's
// charts and for other systems: the ticket list with the desk's filters,
// one ticket with its history, actions on a ticket, and statistics. A
// caller is a staff member, signed in by the desk's session (with its CSRF
// token on every POST) or by an API token; either way they have exactly
// their rights in the roster in force, checked by package tickets. Errors
// are JSON {"error": "..."} with 400, 401, 403, 404 or 409, and 502 for a
// photo or voice message Telegram did not give (media.go).
package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"hotline/assets"
	"hotline/reports"
	"hotline/roster"
	"hotline/signin"
	"hotline/storage"
	"hotline/tickets"
)

// Config is what the API works with.
type Config struct {
	DB      *storage.DB
	Assets  assets.Source
	Tickets *tickets.Service
	SignIn  *signin.Service
	Notify  func() // wakes the sender after a change; nil: nobody
	Now     func() time.Time
	Log     *slog.Logger
	// ScoreWeights weigh the 12345 scorecard; zero: reports.DefaultWeights.
	ScoreWeights reports.Weights

	// The media proxy (media.go): where files come from (nil: nowhere,
	// every file is 502), the largest file served (0: DefaultMaxMedia) and
	// how long Telegram has to give one (0: DefaultMediaTimeout).
	Files        Files
	MaxMedia     int64
	MediaTimeout time.Duration
}

// Weights are the scorecard's weights in force.
func (c Config) Weights() reports.Weights {
	if c.ScoreWeights == (reports.Weights{}) {
		return reports.DefaultWeights()
	}
	return c.ScoreWeights
}

// Server serves the API.
type Server struct {
	cfg Config
	mux *http.ServeMux
}

// New returns the API server.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /api/v1/tickets", s.authed(s.listTickets))
	s.mux.HandleFunc("POST /api/v1/tickets", s.authed(s.postTicket))
	s.mux.HandleFunc("GET /api/v1/tickets/{number}", s.authed(s.getTicket))
	s.mux.HandleFunc("POST /api/v1/tickets/{number}/actions", s.authed(s.postAction))
	s.mux.HandleFunc("GET /api/v1/tickets/{number}/media/{id}", s.authed(func(w http.ResponseWriter, r *http.Request, req request) error {
		return s.cfg.ServeMedia(w, r, req.staff)
	}))
	s.mux.HandleFunc("GET /api/v1/stats", s.authed(s.stats))
	s.mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{"no such endpoint"})
	})
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// request is one authenticated call: who, over which snapshot, when.
type request struct {
	ctx   context.Context
	staff roster.Staff
	a     *assets.Assets
	now   time.Time
}

// authed identifies the caller and runs h; h's error becomes the JSON
// error with its status.
func (s *Server) authed(h func(w http.ResponseWriter, r *http.Request, req request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		req, err := s.identify(r)
		if err == nil {
			err = h(w, r, req)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	}
}

// identify finds the staff member behind r in the roster in force.
func (s *Server) identify(r *http.Request) (request, error) {
	c, err := s.cfg.SignIn.Identify(r.Context(), s.cfg.DB, r)
	if err != nil {
		return request{}, err
	}
	a := s.cfg.Assets.Assets()
	st, ok := a.Roster.StaffByID(c.StaffID)
	if !ok {
		return request{}, ErrNotStaff
	}
	return request{ctx: r.Context(), staff: st, a: a, now: s.cfg.Now()}, nil
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := Status(err)
	if code >= 500 {
		s.cfg.Log.Error("api", "path", r.URL.Path, "err", err)
	}
	writeJSON(w, code, errorBody{msg})
}

// TicketList is the answer of GET /api/v1/tickets.
type TicketList struct {
	Tickets    []Ticket `json:"tickets"`
	NextCursor string   `json:"next_cursor,omitempty"` // absent on the last page
}

func (s *Server) listTickets(w http.ResponseWriter, r *http.Request, req request) error {
	q, err := ParseQuery(r.URL.Query(), req.staff, req.a.Roster, req.now)
	if err != nil {
		return err
	}
	out := TicketList{Tickets: []Ticket{}}
	err = s.cfg.DB.View(req.ctx, func(tx *storage.Tx) error {
		q.Limit++ // one more tells whether there is a next page
		ts, err := tx.QueryTickets(req.ctx, q)
		if err != nil {
			return err
		}
		if len(ts) == q.Limit {
			ts = ts[:len(ts)-1]
			out.NextCursor = Cursor(storage.CursorOf(ts[len(ts)-1]))
		}
		for _, t := range ts {
			j, err := TicketOf(req.ctx, tx, t, req.now)
			if err != nil {
				return err
			}
			out.Tickets = append(out.Tickets, j)
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getTicket(w http.ResponseWriter, r *http.Request, req request) error {
	var out Ticket
	err := s.cfg.DB.View(req.ctx, func(tx *storage.Tx) error {
		t, err := Visible(req.ctx, tx, req.staff, r.PathValue("number"))
		if err != nil {
			return err
		}
		if out, err = TicketOf(req.ctx, tx, t, req.now); err != nil {
			return err
		}
		media, err := ProblemMedia(req.ctx, tx, t)
		if err != nil {
			return err
		}
		out.Media = MediaOf("/api/v1", t.Number, media)
		out.Events, err = EventsOf(req.ctx, tx, req.a.Roster, t)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) postAction(w http.ResponseWriter, r *http.Request, req request) error {
	var body ActionRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return badRequest("the body is not an action: %v", err)
	}
	var out Ticket
	err := s.cfg.DB.Update(req.ctx, func(tx *storage.Tx) error {
		t, err := Act(req.ctx, s.cfg.Tickets, tx, req.a, req.staff, r.PathValue("number"), body)
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
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) notify() {
	if s.cfg.Notify != nil {
		s.cfg.Notify()
	}
}
