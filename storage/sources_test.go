package storage

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline/taxonomy"
)

// TestSourceMigration: tickets from before sources were recorded become
// telegram (a resident's message, and the "not fixed" follow-up of one)
// or checkin (a campaign's answer).
func TestSourceMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := open(ctx, path, 6)
	if err != nil {
		t.Fatal(err)
	}
	for i, campaign := range []string{"", "heating-check", "fixed-followup", "broadcast"} {
		_, err := old.write.ExecContext(ctx, `INSERT INTO tickets (number, text, category, urgency, state, accept_by,
			resolve_by, created_at, campaign) VALUES (?, 'x', 'roads', 'normal', 'assigned', ?, ?, ?, ?)`,
			"2026-00000"+string(rune('1'+i)), fmtTime(t0), fmtTime(t0), fmtTime(t0), campaign)
		if err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []taxonomy.Source
	err = db.View(ctx, func(tx *Tx) error {
		ts, err := tx.Tickets(ctx, TicketFilter{})
		for _, tk := range ts {
			got = append(got, tk.Source)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []taxonomy.Source{taxonomy.Telegram, taxonomy.Checkin, taxonomy.Telegram, taxonomy.Checkin}
	if len(got) != len(want) {
		t.Fatalf("sources = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ticket %d: source %q, want %q", i+1, got[i], want[i])
		}
	}
}

// TestSourceStoredAndChecked: a ticket keeps its source and requester; an
// unknown source is refused when written and when read.
func TestSourceStoredAndChecked(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var id TicketID
	err := db.Update(ctx, func(tx *Tx) error {
		tk := Ticket{Text: "村口路灯坏了", Category: "roads", Urgency: "normal", State: "assigned", Source: taxonomy.Phone,
			RequesterName: "张大爷", RequesterPhone: "13800001111", OpenedBy: 100000001, CreatedAt: t0, AcceptBy: t0,
			ResolveBy: t0, ReplyBy: t0.AddDate(0, 0, 3)}
		if err := tx.InsertTicket(ctx, &tk); err != nil {
			return err
		}
		id = tk.ID
		again := tk
		again.ExternalID, again.Source = "BJ1", taxonomy.Hotline
		if err := tx.InsertTicket(ctx, &again); err != nil {
			return err
		}
		if err := tx.InsertTicket(ctx, &again); !errors.Is(err, ErrDuplicate) {
			t.Errorf("a second ticket with 12345 number BJ1: %v", err)
		}
		bad := tk
		bad.Source = "wechat"
		if err := tx.InsertTicket(ctx, &bad); err == nil || !strings.Contains(err.Error(), "unknown source") {
			t.Errorf("insert with source wechat: %v", err)
		}
		got, err := tx.Ticket(ctx, id)
		if err != nil {
			return err
		}
		if got.Source != taxonomy.Phone || got.RequesterName != "张大爷" || got.RequesterPhone != "13800001111" ||
			got.OpenedBy != 100000001 || !got.ReplyBy.Equal(t0.AddDate(0, 0, 3)) || got.HasChat() {
			t.Errorf("read back %+v", got)
		}
		list, err := tx.Tickets(ctx, TicketFilter{Source: taxonomy.Phone})
		if err != nil || len(list) != 1 {
			t.Errorf("filter by source: %d tickets, %v", len(list), err)
		}
		_, err = tx.exec(ctx, `UPDATE tickets SET source = 'wechat' WHERE id = ?`, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx *Tx) error {
		_, err := tx.Ticket(ctx, id)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `unknown source "wechat"`) || errors.Is(err, ErrNotFound) {
		t.Errorf("reading a ticket with an unknown source: %v", err)
	}
}

// Requests: one pending per ticket at most is the lifecycle's rule; here,
// a decision is taken once, and the pending list drops a request whose
// ticket is no longer open.
func TestRequests(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		open := Ticket{Text: "a", Category: "roads", Urgency: "normal", State: "assigned", Source: taxonomy.Telegram, CreatedAt: t0, AcceptBy: t0, ResolveBy: t0}
		done := open
		done.State = "resolved"
		for _, tk := range []*Ticket{&open, &done} {
			if err := tx.InsertTicket(ctx, tk); err != nil {
				return err
			}
		}
		r := Request{TicketID: open.ID, Kind: Extend, Reason: "等配件", Deadline: t0.Add(72 * time.Hour), RequestedBy: 11, RequestedAt: t0}
		if err := tx.AddRequest(ctx, &r); err != nil {
			return err
		}
		lapsed := Request{TicketID: done.ID, Kind: Return, Reason: "不归我们", RequestedBy: 11, RequestedAt: t0}
		if err := tx.AddRequest(ctx, &lapsed); err != nil {
			return err
		}
		pending, err := tx.Requests(ctx, 0)
		if err != nil || len(pending) != 1 || pending[0].ID != r.ID || !pending[0].Deadline.Equal(r.Deadline) {
			t.Errorf("pending = %+v, %v", pending, err)
		}
		if got, ok, err := tx.PendingRequest(ctx, open.ID); err != nil || !ok || got.ID != r.ID {
			t.Errorf("PendingRequest = %+v %v %v", got, ok, err)
		}
		r.Decision, r.DecidedBy, r.DecidedAt = Approved, 41, t0.Add(time.Hour)
		if ok, err := tx.DecideRequest(ctx, r); err != nil || !ok {
			t.Errorf("decide: %v %v", ok, err)
		}
		r.Decision = Refused
		if ok, err := tx.DecideRequest(ctx, r); err != nil || ok {
			t.Errorf("decide twice: %v %v", ok, err)
		}
		got, err := tx.Request(ctx, r.ID)
		if err != nil || got.Decision != Approved || got.DecidedBy != 41 {
			t.Errorf("request = %+v %v", got, err)
		}
		if _, err := tx.Request(ctx, 999); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing request: %v", err)
		}
		all, err := tx.Requests(ctx, open.ID)
		if err != nil || len(all) != 1 {
			t.Errorf("requests of the ticket = %d %v", len(all), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRequestUnknownKindRefused(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		tk := Ticket{Text: "a", Category: "roads", Urgency: "normal", State: "assigned", Source: taxonomy.Telegram, CreatedAt: t0, AcceptBy: t0, ResolveBy: t0}
		if err := tx.InsertTicket(ctx, &tk); err != nil {
			return err
		}
		r := Request{TicketID: tk.ID, Kind: Return, Reason: "x", RequestedBy: 11, RequestedAt: t0}
		if err := tx.AddRequest(ctx, &r); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE ticket_requests SET kind = 'beg' WHERE id = ?`, r.ID); err != nil {
			return err
		}
		if _, err := tx.Request(ctx, r.ID); err == nil || !strings.Contains(err.Error(), "unknown kind") {
			t.Errorf("unknown kind: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
