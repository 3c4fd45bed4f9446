package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"hotline/storage"
)

// OverdueCounter counts open tickets past a deadline; *storage.DB is one.
type OverdueCounter interface {
	CountOverdue(ctx context.Context, now time.Time) (storage.Overdue, error)
}

// overdueMaxAge is how long a count of overdue tickets is served before it
// is read again: deadlines are minutes to days long, and the count reads
// the tickets table.
const overdueMaxAge = 30 * time.Second

// WatchOverdue adds hotline_sla_overdue_tickets, read from db when scraped
// (at most every 30 s).
func (m *Metrics) WatchOverdue(db OverdueCounter, now func() time.Time) {
	desc := prometheus.NewDesc("hotline_sla_overdue_tickets",
		"Open tickets past a deadline: accept (still not accepted) or resolve (still not resolved).",
		[]string{"deadline"}, nil)
	m.reg.MustRegister(&polled{descs: []*prometheus.Desc{desc}, maxAge: overdueMaxAge, now: now,
		read: func(ctx context.Context, at time.Time) ([]prometheus.Metric, error) {
			o, err := db.CountOverdue(ctx, at)
			if err != nil {
				return nil, err
			}
			return []prometheus.Metric{
				prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(o.Accept), "accept"),
				prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(o.Resolve), "resolve"),
			}, nil
		}})
}

// BacklogReader reads the outbox backlog; *storage.DB is one.
type BacklogReader interface {
	OutboxBacklog(ctx context.Context, now time.Time) (storage.Backlog, error)
}

// backlogMaxAge bounds the reads of the outbox when scraped often.
const backlogMaxAge = 5 * time.Second

// WatchBacklog adds hotline_outbox_pending, hotline_outbox_oldest_due_seconds
// and hotline_outbox_ahead_of_tickets_seconds, read from db when scraped.
// The last says when the service is over capacity: ticket traffic waits
// behind that much.
func (m *Metrics) WatchBacklog(db BacklogReader, now func() time.Time) {
	pending := prometheus.NewDesc("hotline_outbox_pending",
		"Outbox messages waiting to be sent, by lane.", []string{"lane"}, nil)
	oldest := prometheus.NewDesc("hotline_outbox_oldest_due_seconds",
		"How long the oldest due message of each lane has been waiting.", []string{"lane"}, nil)
	ahead := prometheus.NewDesc("hotline_outbox_ahead_of_tickets_seconds",
		"How long a ticket message queued now would wait for the ones ahead of it; above a few seconds the service is over capacity.", nil, nil)
	m.reg.MustRegister(&polled{descs: []*prometheus.Desc{pending, oldest, ahead}, maxAge: backlogMaxAge, now: now,
		read: func(ctx context.Context, at time.Time) ([]prometheus.Metric, error) {
			b, err := db.OutboxBacklog(ctx, at)
			if err != nil {
				return nil, err
			}
			out := []prometheus.Metric{prometheus.MustNewConstMetric(ahead, prometheus.GaugeValue, b.AheadOfTickets.Seconds())}
			for _, l := range lanes {
				out = append(out,
					prometheus.MustNewConstMetric(pending, prometheus.GaugeValue, float64(b.Pending[l]), string(l)),
					prometheus.MustNewConstMetric(oldest, prometheus.GaugeValue, b.OldestDue[l].Seconds(), string(l)))
			}
			return out, nil
		}})
}

// polled is a set of gauges read from the database when scraped, and
// served from the last read while it is younger than maxAge. A failed
// read is reported (and not kept), so the next scrape tries again.
type polled struct {
	descs  []*prometheus.Desc
	maxAge time.Duration
	now    func() time.Time
	read   func(ctx context.Context, now time.Time) ([]prometheus.Metric, error)

	mu   sync.Mutex
	at   time.Time
	last []prometheus.Metric
}

// readTimeout bounds a scrape's read: a scrape that waits longer is no use.
const readTimeout = 5 * time.Second

func (p *polled) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range p.descs {
		ch <- d
	}
}

func (p *polled) Collect(ch chan<- prometheus.Metric) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.last == nil || now.Sub(p.at) >= p.maxAge || now.Before(p.at) {
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		ms, err := p.read(ctx, now)
		cancel()
		if err != nil {
			for _, d := range p.descs {
				ch <- prometheus.NewInvalidMetric(d, err)
			}
			return
		}
		p.last, p.at = ms, now
	}
	for _, m := range p.last {
		ch <- m
	}
}

// SharedCommitter counts the writer's shared commits; *storage.DB is one.
type SharedCommitter interface {
	SharedCommits() (transactions, requests int64)
}

// WatchSharedCommits adds hotline_write_transactions_total and
// hotline_write_transaction_updates_total: their ratio is how many updates
// share a commit, near 1 when quiet and up to 64 in a rush.
func (m *Metrics) WatchSharedCommits(db SharedCommitter) {
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hotline_write_transactions_total",
			Help: "Write transactions run for updates (storage.DB.UpdateShared).",
		}, func() float64 { c, _ := db.SharedCommits(); return float64(c) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hotline_write_transaction_updates_total",
			Help: "Updates those transactions ran; divided by hotline_write_transactions_total, how many share a commit.",
		}, func() float64 { _, r := db.SharedCommits(); return float64(r) }),
	)
}
