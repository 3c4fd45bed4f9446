package metrics

import (
	"hotline/storage"
	"hotline/tickets"
)

// TicketEvent counts a ticket event once its transaction committed; it
// makes *Metrics a tickets.Observer.
func (m *Metrics) TicketEvent(t storage.Ticket, e storage.Event) {
	m.events.WithLabelValues(e.Kind).Inc()
	if e.Kind == tickets.EventCreated {
		m.opened.WithLabelValues(Source(t), string(t.Category), string(t.Urgency)).Inc()
		m.confidence.WithLabelValues(orNone(t.Classifier)).Observe(t.Confidence)
	}
	if e.ToState != "" && e.ToState != e.FromState {
		m.transitions.WithLabelValues(orNone(string(e.FromState)), string(e.ToState)).Inc()
	}
}

// Source is where a ticket came from, for the source label: "checkin"
// for an answer to a campaign, else "telegram". It is the one place that
// decides it, so that a ticket source recorded on the ticket itself can
// replace it here alone.
func Source(t storage.Ticket) string {
	if t.Campaign != "" {
		return "checkin"
	}
	return "telegram"
}

func orNone[S ~string](s S) string {
	if s == "" {
		return "none"
	}
	return string(s)
}
