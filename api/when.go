package api

import (
	"fmt"
	"time"

	"hotline/duedate"
	"hotline/notice"
	"hotline/tickets"
)

// parseWhen reads a time an action gives: RFC 3339, "2006-01-02 15:04",
// a day ("2026-12-10", the end of it), or what staff write (本周内, 3个工作日,
// 12月10日), in the township's time.
func parseWhen(s string, tk *tickets.Service) (time.Time, error) {
	if s == "" {
		return time.Time{}, badRequest("a time is required")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, notice.Zone); err == nil {
		return t, nil
	}
	now := tk.Now()
	if due, rest, ok := duedate.Parse(s, now, tk.Calendar(), notice.Zone); ok && rest == "" {
		return due, nil
	}
	// A time already past is no promise, but it is a contact: read the
	// explicit forms even then.
	if t, err := time.ParseInLocation("2006-01-02", s, notice.Zone); err == nil {
		return t.Add(23*time.Hour + 59*time.Minute), nil
	}
	return time.Time{}, badRequest("%q is not a time (RFC 3339, 2006-01-02 15:04, 2006-01-02 or 本周内)", fmt.Sprint(s))
}
