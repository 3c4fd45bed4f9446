package desk

import (
	"net/http"
	"slices"

	"hotline/outreach"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// 包案清单 / 周三路线: for each area leader, the open tickets of their 片区
// by village, in the order of Wednesday's visits (the villages with most
// overdue first, as the bot's 下村日 list has them), ready to print.

// routeData is the route page.
type routeData struct {
	base
	Areas []areaRoute
	Total int
}

type areaRoute struct {
	Area     string
	Leaders  []roster.Staff
	Villages []villageStop
	Open     int
	Overdue  int
}

type villageStop struct {
	Village string
	Tickets []storage.Ticket
	Overdue int
}

func (s *Server) route(r *http.Request, v *visit) error {
	areas := v.a.Roster.Areas()
	if want := r.URL.Query().Get("area"); want != "" {
		if !slices.Contains(areas, want) {
			return errNoPage
		}
		areas = []string{want}
	}
	d := routeData{base: v.base(r, "包案清单", "route")}
	err := s.cfg.DB.View(v.ctx, func(tx *storage.Tx) error {
		for _, area := range areas {
			open, err := tx.QueryTickets(v.ctx, storage.TicketQuery{Scope: tickets.ScopeOf(v.staff), Area: area, States: routing.OpenStates})
			if err != nil {
				return err
			}
			if len(open) == 0 && !mayLeadArea(v.staff, area) {
				continue // nothing of this 片区 is theirs to see
			}
			ar := areaRoute{Area: area, Leaders: v.a.Roster.LeadersOf(area), Open: len(open)}
			order, by := outreach.WednesdayGroups(v.a.Roster, area, open, v.now)
			for _, village := range order {
				stop := villageStop{Village: village, Tickets: by[village]}
				for _, t := range stop.Tickets {
					if v.now.After(storage.CursorOf(t).Due) {
						stop.Overdue++
					}
				}
				ar.Overdue += stop.Overdue
				ar.Villages = append(ar.Villages, stop)
			}
			d.Areas = append(d.Areas, ar)
			d.Total += ar.Open
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.render(v.w, http.StatusOK, "route", d)
}

// mayLeadArea reports whether the visitor oversees a whole 片区, and so
// sees its list even when it is empty.
func mayLeadArea(st roster.Staff, area string) bool {
	return tickets.ScopeOf(st).All || st.Area == area
}
