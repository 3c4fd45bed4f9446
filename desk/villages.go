package desk

import (
	"net/http"

	"hotline/reports"
	"hotline/storage"
	"hotline/tickets"
)

// 村情: the villages of the visitor's scope ranked by requests per 100
// households in a period, with their rates and what is open and overdue
// now; villages with no request at all (无诉求村) are named as such.

// villagesData is the villages page.
type villagesData struct {
	base
	periodForm
	Rows  []reports.VillageRow
	Quiet []reports.VillageRow
}

func (s *Server) villages(r *http.Request, v *visit) error {
	pf, err := periodOf(r, "/desk/villages", v.now, 30)
	if err != nil {
		return err
	}
	d := villagesData{base: v.base(r, "村情", "villages"), periodForm: pf}
	err = s.cfg.DB.View(v.ctx, func(tx *storage.Tx) error {
		d.Rows, err = reports.LoadVillages(v.ctx, tx, v.a.Roster, tickets.ScopeOf(v.staff), pf.Period, v.now)
		return err
	})
	if err != nil {
		return err
	}
	for _, row := range d.Rows {
		if row.Quiet() {
			d.Quiet = append(d.Quiet, row)
		}
	}
	return s.render(v.w, http.StatusOK, "villages", d)
}
