package desk

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"

	"hotline/api"
	"hotline/assets"
	"hotline/roster"
	"hotline/storage"
	"hotline/tickets"
)

// 名册: the roster in force as imported, and a new one uploaded with the
// same whole-file validation as `hotline roster import`.

// rosterData is the roster page.
type rosterData struct {
	base
	Roster    *roster.Roster
	Imports   []storage.RosterImport
	MayUpload bool
	Problems  []roster.Problem // why an upload was refused, line by line
	Error     string
	NoCenter  bool
}

// mayImport reports whether a staff member may replace the roster: the
// centre and admins, who already see everything.
func mayImport(st roster.Staff) bool { return tickets.ScopeOf(st).All }

func (s *Server) rosterPage(r *http.Request, v *visit) (rosterData, error) {
	d := rosterData{base: v.base(r, "名册", "roster"), Roster: v.a.Roster, MayUpload: mayImport(v.staff)}
	d.NoCenter = len(v.a.Roster.Staff) > 0 && len(v.a.Roster.Centers()) == 0
	err := s.cfg.DB.View(v.ctx, func(tx *storage.Tx) error {
		var err error
		d.Imports, err = tx.RosterImports(v.ctx, 5)
		return err
	})
	return d, err
}

func (s *Server) roster(r *http.Request, v *visit) error {
	d, err := s.rosterPage(r, v)
	if err != nil {
		return err
	}
	return s.render(v.w, http.StatusOK, "roster", d)
}

// uploadRoster replaces the roster with the uploaded tables, or shows
// every problem and changes nothing.
func (s *Server) uploadRoster(r *http.Request, v *visit) error {
	if !mayImport(v.staff) {
		return fmt.Errorf("%w: only the centre and admins import the roster", tickets.ErrForbidden)
	}
	parsed, source, err := parseUpload(r)
	var verr *roster.ValidationError
	if errors.As(err, &verr) || errors.Is(err, api.ErrBadRequest) {
		d, perr := s.rosterPage(r, v)
		if perr != nil {
			return perr
		}
		if verr != nil {
			d.Problems = verr.Problems
		} else {
			d.Error = err.Error()
		}
		return s.render(v.w, http.StatusBadRequest, "roster", d)
	}
	if err != nil {
		return err
	}
	if err := assets.Import(v.ctx, s.cfg.DB, parsed.r, parsed.withStaff, source+"（工作台上传："+v.staff.Name+"）", v.now); err != nil {
		return err
	}
	s.cfg.Log.Info("desk: roster imported", "by", v.staff.TelegramID, "source", source,
		"villages", len(parsed.r.Villages), "staff", len(parsed.r.Staff))
	return see(v.w, r, "/desk/roster", "roster")
}

type upload struct {
	r         *roster.Roster
	withStaff bool
}

// parseUpload reads the villages file (required) and the staff file
// (optional) of the form.
func parseUpload(r *http.Request) (upload, string, error) {
	vf, vh, err := r.FormFile("villages")
	if err != nil {
		return upload{}, "", fmt.Errorf("%w: choose the villages file (.csv or .xlsx)", api.ErrBadRequest)
	}
	defer vf.Close()
	if err := roster.CheckFileType(vh.Filename); err != nil {
		return upload{}, "", fmt.Errorf("%w: %v", api.ErrBadRequest, err)
	}
	vname, source := filepath.Base(vh.Filename), filepath.Base(vh.Filename)
	sf, sh, err := r.FormFile("staff")
	if errors.Is(err, http.ErrMissingFile) {
		ro, err := roster.Parse(vname, vf, "", nil)
		return upload{r: ro}, source, err
	}
	if err != nil {
		return upload{}, "", fmt.Errorf("%w: %v", api.ErrBadRequest, err)
	}
	defer sf.Close()
	if err := roster.CheckFileType(sh.Filename); err != nil {
		return upload{}, "", fmt.Errorf("%w: %v", api.ErrBadRequest, err)
	}
	sname := filepath.Base(sh.Filename)
	ro, err := roster.Parse(vname, vf, sname, sf)
	return upload{r: ro, withStaff: true}, source + " + " + sname, err
}
