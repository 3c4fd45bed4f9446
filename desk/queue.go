package desk

import (
	"net/http"
	"net/url"
	"slices"

	"hotline/api"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// The queue: every ticket in the visitor's scope, filtered, soonest
// deadline first, a page at a time, and the same rows as a workbook.

// countUpTo bounds the count above the list: "10000+" is as useful as an
// exact figure and never reads a million rows.
const countUpTo = 10000

// queueData is the queue page.
type queueData struct {
	base
	Form       url.Values // the filters as asked, to fill the form again
	Tickets    []storage.Ticket
	Count      int
	CountMore  bool // more than Count
	Counted    bool // Count is known
	ByDeadline bool // the list is in deadline order, else newest first
	Next       string
	First      string // the first page, when this is not it
	Export     string
	States     []routing.State
	Areas      []string
	Villages   []roster.Village
	Categories []taxonomy.Category
	Urgencies  []taxonomy.Urgency
	Sources    []taxonomy.Source
	Handlers   []roster.Staff
}

// queueQuery reads the filters of a queue or export request. Without a
// state filter the queue shows what is still open, the work at hand;
// "state=all" shows everything.
func queueQuery(r *http.Request, v *visit) (storage.TicketQuery, url.Values, error) {
	form := r.URL.Query()
	if _, asked := form[api.ParamState]; !asked {
		form.Set(api.ParamState, "open")
	}
	q, err := api.ParseQuery(form, v.staff, v.a.Roster, v.now)
	return q, form, err
}

func (s *Server) queue(r *http.Request, v *visit) error {
	q, form, err := queueQuery(r, v)
	if err != nil {
		return err
	}
	d := queueData{base: v.base(r, "工单", "tickets"), Form: form,
		States:     []routing.State{routing.Assigned, routing.Accepted, routing.Resolved, routing.Closed},
		Categories: taxonomy.Categories,
		Urgencies:  taxonomy.Urgencies, Sources: taxonomy.Sources, Handlers: v.a.Roster.Staff}
	d.Areas, d.Villages = placesFor(v.staff, v.a.Roster)
	d.ByDeadline = q.Order == storage.ByDeadline
	err = s.cfg.DB.View(v.ctx, func(tx *storage.Tx) error {
		q.Limit++
		ts, err := tx.QueryTickets(v.ctx, q)
		if err != nil {
			return err
		}
		if len(ts) == q.Limit {
			ts = ts[:len(ts)-1]
			next := cloneValues(form)
			next.Set(api.ParamCursor, api.Cursor(storage.CursorOf(ts[len(ts)-1])))
			d.Next = "/desk/tickets?" + next.Encode()
		}
		d.Tickets = ts
		if !q.Bounded() {
			return nil // counting would read the whole history: the page says "newest first" instead
		}
		d.Counted = true
		d.Count, err = tx.CountTickets(v.ctx, q, countUpTo+1)
		d.CountMore = d.Count > countUpTo
		d.Count = min(d.Count, countUpTo)
		return err
	})
	if err != nil {
		return err
	}
	exp := cloneValues(form)
	exp.Del(api.ParamCursor)
	exp.Del(api.ParamLimit)
	d.Export = "/desk/tickets.xlsx?" + exp.Encode()
	if form.Get(api.ParamCursor) != "" {
		d.First = "/desk/tickets?" + exp.Encode()
	}
	return s.render(v.w, http.StatusOK, "queue", d)
}

// placesFor are the 片区 and villages to offer as filters: those of the
// visitor's scope (everything for those who see everything, or whose scope
// is categories across the township).
func placesFor(st roster.Staff, r *roster.Roster) ([]string, []roster.Village) {
	sc := tickets.ScopeOf(st)
	if sc.All || len(sc.Categories) > 0 {
		return r.Areas(), r.Villages
	}
	var areas []string
	var villages []roster.Village
	for _, v := range r.Villages {
		if v.Area == sc.Area || slices.Contains(sc.Villages, v.Name) {
			villages = append(villages, v)
			if !slices.Contains(areas, v.Area) {
				areas = append(areas, v.Area)
			}
		}
	}
	return areas, villages
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
