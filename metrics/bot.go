package metrics

import (
	"net/http"
	"strconv"
	"time"

	"hotline/storage"
)

// UpdateHandled, Sent and Refused make *Metrics a bot.Observer.

// UpdateHandled observes the intake latency of one update.
func (m *Metrics) UpdateHandled(d time.Duration) { m.intake.Observe(d.Seconds()) }

// Sent observes how long a message of lane waited from queueing to
// Telegram's OK.
func (m *Metrics) Sent(lane storage.Lane, waited time.Duration) {
	m.sendLatency.WithLabelValues(string(lane)).Observe(waited.Seconds())
}

// Refused counts a failed Bot API call for a message of lane.
func (m *Metrics) Refused(lane storage.Lane, status int) {
	m.refused.WithLabelValues(string(lane), statusLabel(status)).Inc()
}

// statusLabel groups HTTP statuses into the few that mean something
// different to an operator: flood limits, blocked chats, bad requests,
// Telegram's own trouble, and no answer at all.
func statusLabel(status int) string {
	switch {
	case status == 0:
		return "network"
	case status == http.StatusTooManyRequests, status == http.StatusForbidden, status == http.StatusBadRequest:
		return strconv.Itoa(status)
	case status >= 500:
		return "5xx"
	default:
		return "other_4xx"
	}
}
