package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"hotline/routing"
	"hotline/signin"
	"hotline/storage"
	"hotline/tickets"
)

// ErrNotStaff is returned when a credential names someone who is no longer
// in the roster: they lose access with the import that removed them.
var ErrNotStaff = errors.New("not in the roster in force")

// Status is the HTTP status of an error and the message the caller sees.
// A fault of the service says no more than "internal error": its detail
// goes to the log.
func Status(err error) (int, string) {
	switch {
	case errors.Is(err, signin.ErrCSRF):
		return http.StatusForbidden, err.Error()
	case errors.Is(err, signin.ErrRefused), errors.Is(err, ErrNotStaff):
		return http.StatusUnauthorized, err.Error()
	case errors.Is(err, tickets.ErrForbidden):
		return http.StatusForbidden, err.Error()
	case errors.Is(err, storage.ErrNotFound):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, ErrBadRequest), errors.Is(err, tickets.ErrBadInput):
		return http.StatusBadRequest, err.Error()
	case errorsAs[*routing.IllegalTransitionError](err), errors.Is(err, routing.ErrTop), errors.Is(err, routing.ErrNoHandler),
		errors.Is(err, tickets.ErrNotOpen), errors.Is(err, tickets.ErrTooSoon), errors.Is(err, tickets.ErrAlreadyRated),
		errors.Is(err, tickets.ErrDone), errors.Is(err, tickets.ErrPending), errors.Is(err, tickets.ErrNotLinkable),
		errors.Is(err, storage.ErrDuplicate):
		return http.StatusConflict, err.Error()
	case errors.Is(err, ErrUpstream):
		return http.StatusBadGateway, err.Error()
	}
	return http.StatusInternalServerError, "internal error"
}

// writeJSON writes v with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// errorBody is every error's JSON.
type errorBody struct {
	Error string `json:"error"`
}
