package signin

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"hotline/roster"
	"hotline/storage"
)

// CookieName is the desk's session cookie.
const CookieName = "hotline_session"

// CSRFField is the form field, and CSRFHeader the header, that carry a
// session's CSRF token on a POST.
const (
	CSRFField  = "csrf"
	CSRFHeader = "X-CSRF-Token"
)

// ErrCSRF is returned for a POST made with a session but without its CSRF
// token: maybe a page of another site posting with the staff's cookie.
var ErrCSRF = errors.New("missing or wrong CSRF token")

// SetCookie gives the browser its session: HttpOnly (no script reads it),
// SameSite=Strict (no other site's page sends it), Secure over https.
func (s *Service) SetCookie(w http.ResponseWriter, sess Session) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: sess.Token, Path: "/", Expires: sess.Expires,
		MaxAge: int(SessionTTL.Seconds()), HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
}

// ClearCookie removes the session cookie.
func (s *Service) ClearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
}

// Caller is who makes a request.
type Caller struct {
	StaffID roster.StaffID
	Session *Session // nil when the request came with an API token
}

// Identify finds who makes r, from an "Authorization: Bearer" API token or
// else the session cookie, and for a POST with a session checks its CSRF
// token (ErrCSRF). It returns an error wrapping ErrRefused when neither
// names anyone.
func (s *Service) Identify(ctx context.Context, db *storage.DB, r *http.Request) (Caller, error) {
	var c Caller
	err := db.View(ctx, func(tx *storage.Tx) error {
		if auth := r.Header.Get("Authorization"); auth != "" {
			token, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok {
				return ErrUnknown
			}
			id, err := s.Token(ctx, tx, strings.TrimSpace(token))
			c.StaffID = id
			return err
		}
		cookie, err := r.Cookie(CookieName)
		if err != nil {
			return ErrUnknown
		}
		sess, err := s.Session(ctx, tx, cookie.Value)
		if err != nil {
			return err
		}
		c = Caller{StaffID: sess.StaffID, Session: &sess}
		return nil
	})
	if err != nil {
		return Caller{}, err
	}
	if c.Session != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
		token := r.Header.Get(CSRFHeader)
		if token == "" {
			token = r.PostFormValue(CSRFField)
		}
		if !c.Session.ValidCSRF(token) {
			return c, ErrCSRF
		}
	}
	return c, nil
}
