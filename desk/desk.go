// Package desk is the township centre's web workbench, served by `hotline
// serve` under /desk/: the queue of tickets with their details and
// actions, the area leaders' visit lists, campaigns, the roster and the
// reports. Pages are rendered on the server with html/template (every
// value escaped) and work on a phone and a desktop without a script
// framework; the charts are Apache ECharts, embedded in the binary.
//
// Staff sign in through the bot (/web sends a one-time link, package
// signin); every page and action is checked on the server by the rights in
// package tickets, and a ticket outside one's scope is "not found". Every
// POST carries the session's CSRF token.
package desk

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"hotline/api"
	"hotline/assets"
	"hotline/outreach"
	"hotline/roster"
	"hotline/signin"
)

// Config is what the desk works with: what the API works with, and
// outreach for the 活动 page.
type Config struct {
	api.Config
	Outreach *outreach.Service // nil: no 活动 page
	// Local is local mode: /desk/local/{id} mints a sign-in link for any
	// staff member, for the chat page's "打开工作台". Never in production.
	Local bool
}

// Server serves the desk.
type Server struct {
	cfg       Config
	mux       *http.ServeMux
	pages     map[string]*template.Template
	maxExport int
}

// New returns the desk.
func New(cfg Config) (*Server, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), pages: pages, maxExport: maxExport}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	m := s.mux
	m.Handle("GET /desk/static/", http.StripPrefix("/desk/static/", staticFiles()))
	m.HandleFunc("GET "+signin.LinkPath+"{token}", s.loginPage)
	m.HandleFunc("POST "+signin.LinkPath+"{token}", s.login)
	m.HandleFunc("POST /desk/logout", s.page(s.logout))
	if s.cfg.Local {
		m.HandleFunc("GET /desk/local/{staff}", s.localLink)
	}
	m.HandleFunc("GET /desk/tickets", s.page(s.queue))
	m.HandleFunc("GET /desk/tickets.xlsx", s.page(s.export))
	m.HandleFunc("GET /desk/tickets/{number}", s.page(s.ticket))
	m.HandleFunc("POST /desk/tickets/{number}", s.page(s.act))
	m.HandleFunc("GET /desk/tickets/{number}/media/{id}", s.page(func(r *http.Request, v *visit) error {
		return s.cfg.ServeMedia(v.w, r, v.staff)
	}))
	m.HandleFunc("GET /desk/route", s.page(s.route))
	m.HandleFunc("GET /desk/villages", s.page(s.villages))
	m.HandleFunc("GET /desk/reports", s.page(s.reports))
	m.HandleFunc("GET /desk/reports.xlsx", s.page(s.reportBook))
	m.HandleFunc("GET /desk/roster", s.page(s.roster))
	m.HandleFunc("POST /desk/roster", s.page(s.uploadRoster))
	m.HandleFunc("GET /desk/orders", s.page(s.orders))
	m.HandleFunc("POST /desk/orders", s.page(s.uploadOrders))
	m.HandleFunc("GET /desk/orders.xlsx", s.page(s.ordersBook))
	m.HandleFunc("GET /desk/campaigns", s.page(s.campaigns))
	m.HandleFunc("GET /desk/campaigns/{id}", s.page(s.campaignPreview))
	m.HandleFunc("POST /desk/broadcast", s.page(s.broadcast))
	m.HandleFunc("GET /desk/{$}", s.page(s.home))
	m.HandleFunc("/desk/", s.page(func(*http.Request, *visit) error { return errNoPage }))
}

// ServeHTTP implements http.Handler, with the headers every page carries:
// nothing is framed, cached, sniffed, or loaded from anywhere but here, and
// no address (a sign-in link) leaks to another site as a referrer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	s.mux.ServeHTTP(w, r)
}

// visit is one signed-in request: who, over which roster snapshot, when.
type visit struct {
	ctx   context.Context
	w     http.ResponseWriter
	staff roster.Staff
	a     *assets.Assets
	now   time.Time
	sess  *signin.Session
}

var errNoPage = errors.New("no such page")

// page signs the visitor in and runs h; h renders the page or returns an
// error, which becomes an error page with its status.
func (s *Server) page(h func(r *http.Request, v *visit) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
		c, err := s.cfg.SignIn.Identify(r.Context(), s.cfg.DB, r)
		if err == nil && c.Session == nil {
			err = errTokenOnPage
		}
		v := &visit{ctx: r.Context(), w: w, now: s.cfg.Now(), sess: c.Session}
		if err == nil {
			v.a = s.cfg.Assets.Assets()
			var ok bool
			if v.staff, ok = v.a.Roster.StaffByID(c.StaffID); !ok {
				err = api.ErrNotStaff
			}
		}
		if err == nil {
			err = h(r, v)
		}
		if err != nil {
			s.fail(w, r, v, err)
		}
	}
}

// errTokenOnPage refuses an API token on the desk's pages: they are for
// people, who sign in through the bot.
var errTokenOnPage = errors.New("API tokens are for /api/v1")

// maxUpload bounds a request body: a roster workbook is well under this.
const maxUpload = 8 << 20

// render writes page name with data and status code.
func (s *Server) render(w http.ResponseWriter, code int, name string, data any) error {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, err := buf.WriteTo(w)
	return err
}

// see redirects after a successful POST, with a message for the next page.
func see(w http.ResponseWriter, r *http.Request, path, done string) error {
	u := path
	if done != "" {
		u += "?" + url.Values{"done": {done}}.Encode()
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
	return nil
}

func (s *Server) notify() {
	if s.cfg.Notify != nil {
		s.cfg.Notify()
	}
}
