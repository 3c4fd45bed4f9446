// Package metrics counts what the hotline does and serves it at /metrics
// in Prometheus' text format. It is told of ticket events (a
// tickets.Observer), of updates handled and messages sent or refused (a
// bot.Observer), and reads a few gauges from the database when scraped.
// Every metric of the hotline's own is named hotline_*; the Go runtime's
// and the process's keep their standard go_* and process_* names, which
// dashboards and alerts everywhere expect.
//
// It keeps its own registry rather than Prometheus' global one: no
// package registers anything behind the service's back, and tests build
// as many as they like.
package metrics

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hotline/storage"
)

// Metrics is the hotline's metrics. Its methods are safe for concurrent
// use and cheap: they are called on the intake and sending paths.
type Metrics struct {
	reg         *prometheus.Registry
	opened      *prometheus.CounterVec
	events      *prometheus.CounterVec
	transitions *prometheus.CounterVec
	confidence  *prometheus.HistogramVec
	intake      prometheus.Histogram
	sendLatency *prometheus.HistogramVec
	refused     *prometheus.CounterVec
}

// lanes are the outbox lanes, so that their series exist before the first
// message of each.
var lanes = []storage.Lane{storage.LaneTicket, storage.LaneCampaign}

// New returns the metrics with their own registry.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		opened: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotline_tickets_opened_total",
			Help: "Tickets opened, by source (telegram: a resident wrote; checkin: an answer to a campaign), category and urgency.",
		}, []string{"source", "category", "urgency"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotline_ticket_events_total",
			Help: "Ticket events recorded, by kind (created, assigned, accepted, resolved, rated, sla_missed, ...).",
		}, []string{"event"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotline_ticket_transitions_total",
			Help: "Ticket state changes, by state before (none for a new ticket) and after.",
		}, []string{"from", "to"}),
		confidence: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hotline_classifier_confidence",
			Help:    "Confidence of the classification each new ticket was opened with, by classifier.",
			Buckets: []float64{.1, .2, .3, .4, .5, .6, .7, .8, .9, 1}, // not LinearBuckets: 0.1 steps add up to 0.7999…
		}, []string{"classifier"}),
		intake: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "hotline_update_handling_seconds",
			Help:    "Intake latency: from the start of an update's handling (waiting for its chat's earlier updates included) to the commit of its effects.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
		sendLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hotline_send_latency_seconds",
			Help:    "Time from queueing a message in the outbox to Telegram accepting it, by lane.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800},
		}, []string{"lane"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotline_send_refused_total",
			Help: "Bot API calls for outbox messages that failed, by lane and status (429, 403, 400, other_4xx, 5xx, network).",
		}, []string{"lane", "status"}),
	}
	m.reg.MustRegister(m.opened, m.events, m.transitions, m.confidence, m.intake, m.sendLatency, m.refused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, l := range lanes {
		m.sendLatency.WithLabelValues(string(l))
		for _, st := range []int{429, 403, 500} {
			m.refused.WithLabelValues(string(l), statusLabel(st))
		}
	}
	return m
}

// Handler serves the metrics. A gauge that cannot be read (the database is
// busy past its timeout) is logged and left out; the rest are served.
func (m *Metrics) Handler(log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      promLogger{log},
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// promLogger adapts slog to promhttp.Logger.
type promLogger struct{ log *slog.Logger }

func (l promLogger) Println(v ...any) { l.log.Warn("metrics", "err", fmt.Sprint(v...)) }
