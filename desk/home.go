package desk

import "net/http"

// home is where the desk opens.
func (s *Server) home(r *http.Request, v *visit) error {
	http.Redirect(v.w, r, "/desk/tickets", http.StatusSeeOther)
	return nil
}
