package storage

import (
	"context"
	"testing"
	"time"

	"hotline/routing"
	"hotline/taxonomy"
)

// Every kind of ticket once, and the scorecard's counts each lands in.
func TestTicketGroupsScore(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	at := t0.Add(10 * 24 * time.Hour)
	h := t0.Add(time.Hour)
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.EnsureResident(ctx, 5, "", t0); err != nil {
			return err
		}
		add := func(tk Ticket) Ticket {
			tk.Text, tk.Category, tk.Urgency, tk.Village, tk.Area = "x", "roads", "normal", "翟各庄村", "东片区"
			tk.HandlerID, tk.HandlerName, tk.CreatedAt = 11, "曾令发", t0
			if tk.Source == "" {
				tk.Source = taxonomy.Telegram
			}
			if tk.AcceptBy.IsZero() {
				tk.AcceptBy, tk.ResolveBy = t0.Add(4*time.Hour), t0.Add(7*24*time.Hour)
			}
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				t.Fatal(err)
			}
			if err := tx.SaveTicket(ctx, tk); err != nil {
				t.Fatal(err)
			}
			return tk
		}
		solved := add(Ticket{State: routing.Closed, AcceptedAt: h, ResolvedAt: h, ContactedAt: h, Outcome: routing.Solved, Rating: 5,
			ResidentID: 5, ReplyBy: t0.Add(48 * time.Hour)})
		add(Ticket{State: routing.Linked, LinkedTo: solved.ID, Rating: 3, ResidentID: 5})
		add(Ticket{State: routing.Resolved, AcceptedAt: h, ResolvedAt: h.Add(time.Hour), ContactedAt: h.Add(2 * time.Hour), Outcome: routing.Partly, Source: taxonomy.Hotline, ExternalID: "GD1"})
		add(Ticket{State: routing.Resolved, AcceptedAt: h, ResolvedAt: h, Outcome: routing.Unsolved, Rating: 1, ResidentID: 5})
		add(Ticket{State: routing.Resolved, AcceptedAt: h, ResolvedAt: h, Outcome: routing.Solved, Reopened: 1})
		add(Ticket{State: routing.Accepted, AcceptedAt: h, ContactedAt: h})                                  // overdue at `at`
		add(Ticket{State: routing.Assigned, AcceptBy: at.Add(time.Hour), ResolveBy: at.Add(48 * time.Hour)}) // not due yet
		return tx.AddEvents(ctx,
			Event{TicketID: solved.ID, At: h, Kind: "extension_requested"}, Event{TicketID: solved.ID, At: h, Kind: "extension_approved"},
			Event{TicketID: solved.ID, At: h, Kind: "supervised"}, Event{TicketID: solved.ID, At: h, Kind: "created"})
	})
	if err != nil {
		t.Fatal(err)
	}
	var gs []TicketGroup
	err = db.View(ctx, func(tx *Tx) error {
		var err error
		if gs, _, err = tx.TicketGroups(ctx, Scope{All: true}, t0, t0.Add(time.Minute), at); err != nil {
			return err
		}
		return tx.AddScores(ctx, Scope{All: true}, t0, t0.Add(time.Minute), at, gs)
	})
	if err != nil {
		t.Fatal(err)
	}
	var total ScoreCounts
	for _, g := range gs {
		total.Add(g.Score)
		if g.Handler != "曾令发" {
			t.Errorf("group handler %q: a linked report's rating belongs to its primary's handler", g.Handler)
		}
	}
	want := ScoreCounts{Problems: 6, ContactDue: 5, ContactedFirst: 2, ResolveDue: 5, Solved: 1, Partly: 0, Unsolved: 1,
		Reopened: 1, Overdue: 1, Ratings: 3, Satisfied: 1, Basic: 1, Dissatisfied: 1, Promised: 1, PromiseKept: 1,
		ExtensionsAsked: 1, ExtensionsApproved: 1, Supervised: 1}
	// The 部分解决 ticket was contacted only after it was resolved: not first.
	want.Partly = 1
	if total != want {
		t.Errorf("counts\n got %+v\nwant %+v", total, want)
	}
	if len(gs) != 2 || gs[0].Source == gs[1].Source {
		t.Errorf("%d groups, want 2 (telegram and 12345)", len(gs))
	}
	var rates RateCounts
	for _, g := range gs {
		rates.Add(g.RateCounts)
	}
	// The linked report counts once, by its rating: six problems, three ratings.
	if rates.Tickets != 6 || rates.Ratings != 3 || rates.Satisfied != 1 {
		t.Errorf("rates = %+v", rates)
	}
}
