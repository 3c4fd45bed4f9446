package bot

import (
	"time"

	"hotline/storage"
)

// Observer is told how the adapter and its sender are doing, e.g. to
// count it for /metrics. It must be safe for concurrent use and fast: it
// is called on the update and sending paths.
type Observer interface {
	// UpdateHandled: one update took d from the start of its handling to
	// the commit of its effects.
	UpdateHandled(d time.Duration)
	// Sent: Telegram accepted a row of lane that had waited waited since
	// it was queued.
	Sent(lane storage.Lane, waited time.Duration)
	// Refused: a Bot API call for a row of lane failed with HTTP status
	// (429, 403, 400, 5xx), or 0 for a network error.
	Refused(lane storage.Lane, status int)
}

// nopObserver observes nothing.
type nopObserver struct{}

func (nopObserver) UpdateHandled(time.Duration)           {}
func (nopObserver) Sent(storage.Lane, time.Duration)      {}
func (nopObserver) Refused(lane storage.Lane, status int) {}
