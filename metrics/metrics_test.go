package metrics

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline/assets"
	"hotline/bot"
	"hotline/intents"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// Metrics is what the lifecycle and the Telegram adapter report to.
var (
	_ tickets.Observer = (*Metrics)(nil)
	_ bot.Observer     = (*Metrics)(nil)
)

const (
	cadreZhai = roster.StaffID(100000001) // 曾令发, 翟各庄村
	resident  = int64(900000001)
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// scrape returns what /metrics serves.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler(slog.New(slog.NewTextHandler(io.Discard, nil))).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	return rec.Body.String()
}

// A ticket's whole life, a check-in answer, and the adapter's events, as
// /metrics shows them.
func TestMetricsAfterATicketLifecycle(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clk := &clock{time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	m := New()
	m.WatchOverdue(db, clk.now)
	m.WatchSharedCommits(fakeShared{3, 70})
	m.WatchBacklog(fakeBacklog{b: storage.Backlog{
		Pending:        map[storage.Lane]int{storage.LaneTicket: 3, storage.LaneCampaign: 925},
		OldestDue:      map[storage.Lane]time.Duration{storage.LaneTicket: 1500 * time.Millisecond, storage.LaneCampaign: 38 * time.Second},
		AheadOfTickets: 1500 * time.Millisecond,
	}}, clk.now)
	svc := tickets.New(routing.DefaultPolicy(), clk.now, slog.New(slog.NewTextHandler(io.Discard, nil)), m)
	a := assets.New(0, roster.Demo(), nil)

	update := func(fn func(tx *storage.Tx) error) {
		t.Helper()
		if err := db.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	var id storage.TicketID
	update(func(tx *storage.Tx) error {
		if _, err := tx.EnsureResident(ctx, resident, "张大爷", clk.t); err != nil {
			return err
		}
		tk, err := svc.Open(ctx, tx, a, tickets.OpenInput{ResidentID: resident, Text: "村口路灯坏了",
			Intent: intents.Result{Category: taxonomy.Roads, Urgency: taxonomy.Normal, Village: "翟各庄村", Confidence: 0.83, Source: "embedded"}})
		id = tk.ID
		return err
	})
	update(func(tx *storage.Tx) error { _, err := svc.Accept(ctx, tx, a, id, cadreZhai); return err })
	update(func(tx *storage.Tx) error {
		_, err := svc.Resolve(ctx, tx, a, id, cadreZhai, "已更换灯泡", "")
		return err
	})
	update(func(tx *storage.Tx) error { _, err := svc.Rate(ctx, tx, id, resident, 5); return err })
	// A check-in answered 有问题 opens a ticket too; it stays open past
	// both its deadlines.
	update(func(tx *storage.Tx) error {
		_, err := svc.Open(ctx, tx, a, tickets.OpenInput{ResidentID: resident, Text: "暖气不热", Campaign: "heating_checkin",
			Intent: intents.Result{Category: taxonomy.Heating, Urgency: taxonomy.Urgent, Village: "翟各庄村", Confidence: 1, Source: tickets.SourceFollowUp}})
		return err
	})
	// A transaction that rolls back counts nothing.
	_ = db.Update(ctx, func(tx *storage.Tx) error {
		if _, err := svc.Open(ctx, tx, a, tickets.OpenInput{Text: "不算数", Intent: intents.Result{Category: taxonomy.Water}}); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	clk.t = clk.t.Add(30 * 24 * time.Hour)

	m.UpdateHandled(30 * time.Millisecond)
	m.Sent(storage.LaneTicket, 2*time.Second)
	m.Refused(storage.LaneCampaign, 429)
	m.Refused(storage.LaneTicket, 403)
	m.Refused(storage.LaneTicket, 502)
	m.Refused(storage.LaneTicket, 0)
	m.Refused(storage.LaneTicket, 409)

	body := scrape(t, m)
	for _, want := range []string{
		`hotline_tickets_opened_total{category="roads",source="telegram",urgency="normal"} 1`,
		`hotline_tickets_opened_total{category="heating",source="checkin",urgency="urgent"} 1`,
		`hotline_ticket_transitions_total{from="none",to="new"} 2`,
		`hotline_ticket_transitions_total{from="new",to="assigned"} 2`,
		`hotline_ticket_transitions_total{from="assigned",to="accepted"} 1`,
		`hotline_ticket_transitions_total{from="accepted",to="resolved"} 1`,
		`hotline_ticket_transitions_total{from="resolved",to="closed"} 1`,
		`hotline_ticket_events_total{event="rated"} 1`,
		`hotline_classifier_confidence_bucket{classifier="embedded",le="0.8"} 0`,
		`hotline_classifier_confidence_bucket{classifier="embedded",le="0.9"} 1`,
		`hotline_classifier_confidence_count{classifier="outreach"} 1`,
		`hotline_sla_overdue_tickets{deadline="accept"} 1`,
		`hotline_sla_overdue_tickets{deadline="resolve"} 1`,
		`hotline_update_handling_seconds_bucket{le="0.05"} 1`,
		`hotline_update_handling_seconds_count 1`,
		`hotline_send_latency_seconds_bucket{lane="ticket",le="2"} 1`,
		`hotline_send_latency_seconds_count{lane="campaign"} 0`,
		`hotline_send_refused_total{lane="campaign",status="429"} 1`,
		`hotline_send_refused_total{lane="ticket",status="429"} 0`,
		`hotline_send_refused_total{lane="ticket",status="403"} 1`,
		`hotline_send_refused_total{lane="ticket",status="5xx"} 1`,
		`hotline_send_refused_total{lane="ticket",status="network"} 1`,
		`hotline_send_refused_total{lane="ticket",status="other_4xx"} 1`,
		`hotline_outbox_pending{lane="campaign"} 925`,
		`hotline_outbox_pending{lane="ticket"} 3`,
		`hotline_outbox_oldest_due_seconds{lane="campaign"} 38`,
		`hotline_outbox_ahead_of_tickets_seconds 1.5`,
		`hotline_write_transactions_total 3`,
		`hotline_write_transaction_updates_total 70`,
		"go_goroutines ",
		"process_resident_memory_bytes ",
	} {
		line := want + "\n" // a whole line: "} 1" must not match "} 10"
		if strings.HasSuffix(want, " ") {
			line = "\n" + want // a name whose value varies
		}
		if !strings.Contains(body, line) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `category="water"`) {
		t.Error("a rolled-back ticket was counted")
	}
	for _, line := range strings.Split(body, "\n") {
		name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(line, "# HELP "), "# TYPE "), " ")
		name, _, _ = strings.Cut(name, "{")
		if name != "" && !strings.HasPrefix(name, "hotline_") && !strings.HasPrefix(name, "go_") && !strings.HasPrefix(name, "process_") {
			t.Errorf("metric %q is not hotline_*", name)
		}
	}
}

type fakeShared struct{ transactions, requests int64 }

func (f fakeShared) SharedCommits() (int64, int64) { return f.transactions, f.requests }

type fakeBacklog struct {
	b     storage.Backlog
	err   error
	calls *int
}

func (f fakeBacklog) OutboxBacklog(context.Context, time.Time) (storage.Backlog, error) {
	if f.calls != nil {
		*f.calls++
	}
	return f.b, f.err
}

// Database gauges are read at most once per interval, and a failed read
// leaves them out without failing the scrape of the others.
func TestPolledGauges(t *testing.T) {
	clk := &clock{time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	calls := 0
	m := New()
	m.WatchSharedCommits(fakeShared{3, 70})
	m.WatchBacklog(fakeBacklog{b: storage.Backlog{Pending: map[storage.Lane]int{storage.LaneTicket: 7}}, calls: &calls}, clk.now)
	for range 3 {
		if body := scrape(t, m); !strings.Contains(body, `hotline_outbox_pending{lane="ticket"} 7`) {
			t.Fatalf("pending missing:\n%s", body)
		}
	}
	if calls != 1 {
		t.Errorf("%d reads within %v, want 1", calls, backlogMaxAge)
	}
	clk.t = clk.t.Add(backlogMaxAge)
	scrape(t, m)
	if calls != 2 {
		t.Errorf("%d reads after %v, want 2", calls, backlogMaxAge)
	}

	failing := New()
	failing.WatchBacklog(fakeBacklog{err: errors.New("database is locked")}, clk.now)
	failing.UpdateHandled(time.Millisecond)
	body := scrape(t, failing)
	if strings.Contains(body, "hotline_outbox_pending") || !strings.Contains(body, "hotline_update_handling_seconds_count 1") {
		t.Errorf("failed read: %s", body)
	}
}

func TestSource(t *testing.T) {
	for _, tc := range []struct {
		t    storage.Ticket
		want string
	}{
		{storage.Ticket{}, "telegram"},
		{storage.Ticket{Campaign: "heating_checkin"}, "checkin"},
	} {
		if got := Source(tc.t); got != tc.want {
			t.Errorf("Source(%+v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}
