package tickets

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

const neighbour = int64(900003)

// addNeighbour registers a second resident of 翟各庄村.
func (f *fixture) addNeighbour(t *testing.T, id int64) {
	t.Helper()
	err := f.db.Update(context.Background(), func(tx *storage.Tx) error {
		ctx := context.Background()
		if _, err := tx.EnsureResident(ctx, id, "李奶奶", f.now); err != nil {
			return err
		}
		if err := tx.MarkStarted(ctx, id, f.now); err != nil {
			return err
		}
		return tx.SetResidentVillage(ctx, id, "翟各庄村", f.now)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) report(t *testing.T, who int64, text string, cat taxonomy.Category, urg taxonomy.Urgency) storage.Ticket {
	t.Helper()
	tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Open(ctx, tx, f.a, OpenInput{ResidentID: who, Text: text,
			Intent: intents.Result{Category: cat, Urgency: urg, Village: "翟各庄村", Confidence: 0.9, Source: "embedded"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func (f *fixture) ticket(t *testing.T, id storage.TicketID) storage.Ticket {
	t.Helper()
	var tk storage.Ticket
	err := f.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		tk, err = tx.Ticket(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// Two residents report the same dark light: one ticket with a handler,
// one linked to it; one card that counts two requesters; two receipts with
// the same number; one resolution, two notices, two separate ratings.
func TestSameProblemLinked(t *testing.T) {
	f := newFixture(t, cadre)
	f.addNeighbour(t, neighbour)
	first := f.report(t, resident, "村口的路灯坏了，晚上黑乎乎的", taxonomy.Roads, taxonomy.Normal)
	f.now = f.now.Add(2 * time.Hour)
	second := f.report(t, neighbour, "村口那盏路灯不亮好几天了", taxonomy.Roads, taxonomy.Normal)
	if second.State != routing.Linked || second.LinkedTo != first.ID || second.HandlerID != first.HandlerID || second.CardOutbox != 0 {
		t.Fatalf("second = %s linked to %d handler %d", second.State, second.LinkedTo, second.HandlerID)
	}
	if cards := f.outbox(t, storage.OutboxFilter{Kind: notice.KindCard}); len(cards) != 1 {
		t.Errorf("%d cards, want 1", len(cards))
	}
	receipts := f.outbox(t, storage.OutboxFilter{Kind: notice.KindReceipt})
	if len(receipts) != 2 || !strings.Contains(receipts[0].Text, first.Number) || !strings.Contains(receipts[1].Text, first.Number) {
		t.Fatalf("receipts = %+v", receipts)
	}
	if want := "同村已有人反映了这个问题（编号 <b>" + first.Number + "</b>），我们合并跟进，办好后一起告诉您"; !strings.Contains(receipts[1].Text, want) {
		t.Errorf("merged receipt = %q", receipts[1].Text)
	}
	edits := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindCardEdit})
	if len(edits) != 1 || !strings.Contains(edits[0].Text, "反映人数：<b>2</b> 人") {
		t.Errorf("card edits = %+v", edits)
	}
	if got := f.ticket(t, first.ID); got.Requesters != 2 {
		t.Errorf("requesters = %d", got.Requesters)
	}

	f.resolveTogether(t, first, second)
}

// resolveTogether resolves first and checks that second, linked to it, is
// resolved with it, that both requesters are told and rate on their own.
func (f *fixture) resolveTogether(t *testing.T, first, second storage.Ticket) {
	t.Helper()
	resolved, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Resolve(ctx, tx, f.a, first.ID, cadre, "已更换灯泡", "")
	})
	if err != nil {
		t.Fatal(err)
	}
	notices := f.outbox(t, storage.OutboxFilter{Kind: notice.KindResolved})
	if len(notices) != 2 {
		t.Fatalf("%d resolution notices", len(notices))
	}
	for i, who := range []struct {
		chat int64
		id   storage.TicketID
	}{{resident, first.ID}, {neighbour, second.ID}} {
		n := notices[i]
		five := notice.Action{Verb: notice.VerbRate, ID: int64(who.id), Arg: "5"}.Data()
		if n.ChatID != who.chat || !strings.Contains(n.Text, first.Number) || !strings.Contains(n.Text, "已更换灯泡") ||
			n.Buttons[0][4].Data != five {
			t.Errorf("notice %d = %+v", i, n)
		}
	}
	if got := f.ticket(t, second.ID); got.State != routing.Resolved || got.ResolvedAt != resolved.ResolvedAt || got.ResultNote != "已更换灯泡" {
		t.Errorf("linked after resolution = %+v", got)
	}
	rate := func(id storage.TicketID, who int64, stars int) {
		if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Rate(ctx, tx, id, who, stars)
		}); err != nil {
			t.Fatal(err)
		}
	}
	rate(first.ID, resident, 5)
	rate(second.ID, neighbour, 3)
	rated := f.outbox(t, storage.OutboxFilter{ChatID: neighbour, Kind: notice.KindRated})
	if len(rated) != 1 || !strings.Contains(rated[0].Text, first.Number) {
		t.Errorf("the neighbour's thanks = %+v", rated)
	}
	if a, b := f.ticket(t, first.ID), f.ticket(t, second.ID); a.Rating != 5 || b.Rating != 3 || b.State != routing.Closed {
		t.Errorf("ratings %d and %d, linked state %s", a.Rating, b.Rating, b.State)
	}
}

// Reports that must not be linked: a different spot, the same resident
// again, past the window, a closed ticket, a category of one's own, a
// campaign's answer, a more urgent report.
func TestSameProblemNotLinked(t *testing.T) {
	tests := []struct {
		name       string
		who        int64
		text       string
		cat        taxonomy.Category
		urg        taxonomy.Urgency
		after      time.Duration
		resolveOld bool
	}{
		{"another spot", neighbour, "村西头路灯坏了", taxonomy.Roads, taxonomy.Normal, time.Hour, false},
		{"another thing", neighbour, "村口路面有个大坑", taxonomy.Roads, taxonomy.Normal, time.Hour, false},
		{"the same resident again", resident, "村口那盏路灯不亮好几天了", taxonomy.Roads, taxonomy.Normal, time.Hour, false},
		{"past the window", neighbour, "村口那盏路灯不亮好几天了", taxonomy.Roads, taxonomy.Normal, 11 * 24 * time.Hour, false},
		{"the first is resolved", neighbour, "村口那盏路灯不亮好几天了", taxonomy.Roads, taxonomy.Normal, time.Hour, true},
		{"more urgent", neighbour, "村口那盏路灯不亮，电线还在打火", taxonomy.Roads, taxonomy.Urgent, time.Hour, false},
		{"another category", neighbour, "村口那盏路灯不亮好几天了", taxonomy.Welfare, taxonomy.Normal, time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, cadre)
			f.addNeighbour(t, neighbour)
			first := f.report(t, resident, "村口的路灯坏了，晚上黑乎乎的", taxonomy.Roads, taxonomy.Normal)
			if tt.resolveOld {
				if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
					return f.svc.Resolve(ctx, tx, f.a, first.ID, cadre, "修好了", "")
				}); err != nil {
					t.Fatal(err)
				}
			}
			f.now = f.now.Add(tt.after)
			second := f.report(t, tt.who, tt.text, tt.cat, tt.urg)
			if second.LinkedTo != 0 || second.State == routing.Linked {
				t.Errorf("linked to %d", second.LinkedTo)
			}
		})
	}
	// Campaign answers and 12345 orders are never linked on intake.
	f := newFixture(t, cadre, center)
	first := f.report(t, resident, "村口的路灯坏了", taxonomy.Roads, taxonomy.Normal)
	for _, in := range []OpenInput{
		{ResidentID: neighbour, Source: taxonomy.Checkin, Campaign: "c"},
		{Source: taxonomy.Hotline, ExternalID: "BJ1"},
	} {
		f.addNeighbour(t, neighbour)
		in.Text, in.Intent = "村口那盏路灯不亮", roadsIn("翟各庄村")
		got, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) { return f.svc.Open(ctx, tx, f.a, in) })
		if err != nil || got.LinkedTo != 0 {
			t.Errorf("%s: linked to %d (first %d), %v", in.Source, got.LinkedTo, first.ID, err)
		}
	}
}

// A wrong match is unlinked: routed as new, its own card, its requester
// told their own number; by hand, two open tickets are linked.
func TestUnlinkAndLinkByHand(t *testing.T) {
	f := newFixture(t, cadre, otherCadre, center, leader)
	f.addNeighbour(t, neighbour)
	first := f.report(t, resident, "村口的路灯坏了，晚上黑乎乎的", taxonomy.Roads, taxonomy.Normal)
	second := f.report(t, neighbour, "村口那盏路灯不亮好几天了", taxonomy.Roads, taxonomy.Normal)
	unlink := func(actor roster.StaffID) (storage.Ticket, error) {
		return f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Unlink(ctx, tx, f.a, second.ID, actor)
		})
	}
	if _, err := unlink(otherCadre); !errors.Is(err, ErrForbidden) {
		t.Errorf("another village's cadre unlinking: %v", err)
	}
	got, err := unlink(cadre)
	if err != nil || got.State != routing.Assigned || got.LinkedTo != 0 || got.HandlerID != cadre || got.CardOutbox == 0 {
		t.Fatalf("unlinked = %+v %v", got, err)
	}
	if m := f.outbox(t, storage.OutboxFilter{ChatID: neighbour, Kind: notice.KindUnlinked}); len(m) != 1 || !strings.Contains(m[0].Text, second.Number) {
		t.Errorf("neighbour told %+v", m)
	}
	if p := f.ticket(t, first.ID); p.Requesters != 1 {
		t.Errorf("primary requesters = %d", p.Requesters)
	}
	var ill *routing.IllegalTransitionError
	if _, err := unlink(cadre); !errors.As(err, &ill) {
		t.Errorf("unlinking twice: %v", err)
	}
	if ev := f.events(t, second.ID); !equal(ev, []string{"created", "classified", "linked", "unlinked"}) {
		t.Errorf("events = %v", ev)
	}

	// Link by hand again: the second's card loses its buttons.
	link := func(id, to storage.TicketID, actor roster.StaffID) (storage.Ticket, error) {
		return f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Link(ctx, tx, f.a, id, to, actor)
		})
	}
	if _, err := link(second.ID, first.ID, otherCadre); !errors.Is(err, ErrForbidden) {
		t.Errorf("another cadre linking: %v", err)
	}
	if _, err := link(second.ID, second.ID, cadre); !errors.Is(err, ErrNotLinkable) {
		t.Errorf("linking to itself: %v", err)
	}
	got, err = link(second.ID, first.ID, leader)
	if err != nil || got.State != routing.Linked || got.LinkedTo != first.ID {
		t.Fatalf("linked by hand = %+v %v", got, err)
	}
	edits := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindCardEdit})
	var merged bool
	for _, e := range edits {
		merged = merged || (e.TicketID == second.ID && len(e.Buttons) == 0 && strings.Contains(e.Text, "已合并"))
	}
	if !merged {
		t.Errorf("the linked ticket's card was not withdrawn: %+v", edits)
	}
	if m := f.outbox(t, storage.OutboxFilter{ChatID: neighbour, Kind: notice.KindMerged}); len(m) != 1 {
		t.Errorf("neighbour told of the merge %d times", len(m))
	}
	if p := f.ticket(t, first.ID); p.Requesters != 2 {
		t.Errorf("primary requesters = %d", p.Requesters)
	}
	if _, err := link(first.ID, second.ID, center); !errors.Is(err, ErrNotLinkable) {
		t.Errorf("linking to a linked ticket: %v", err)
	}
}

// A linked requester who says 未解决 gets a ticket of their own, back
// with whoever handled the problem.
func TestLinkedUnresolvedReopensOwnTicket(t *testing.T) {
	f := newFixture(t, cadre)
	f.addNeighbour(t, neighbour)
	first := f.report(t, resident, "村口的路灯坏了", taxonomy.Roads, taxonomy.Normal)
	second := f.report(t, neighbour, "村口路灯不亮", taxonomy.Roads, taxonomy.Normal)
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Resolve(ctx, tx, f.a, first.ID, cadre, "已修", "")
	}); err != nil {
		t.Fatal(err)
	}
	got, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Unresolved(ctx, tx, f.a, second.ID, neighbour)
	})
	if err != nil || got.State != routing.Assigned || got.LinkedTo != 0 || got.HandlerID != cadre || got.Reopened != 1 {
		t.Fatalf("reopened = %+v %v", got, err)
	}
	if p := f.ticket(t, first.ID); p.State != routing.Resolved {
		t.Errorf("the primary moved to %s", p.State)
	}
}

// Only a report another could duplicate is indexed for the check: the
// flag follows the words and the category.
func TestMatchableFlag(t *testing.T) {
	f := newFixture(t, cadre, water)
	light := f.report(t, resident, "村口的路灯坏了", taxonomy.Roads, taxonomy.Normal)
	home := f.report(t, resident, "我家暖气片不热", taxonomy.Heating, taxonomy.Normal)
	pension := f.report(t, resident, "村口的路灯坏了，顺便问下养老金", taxonomy.Welfare, taxonomy.Normal)
	if !light.Matchable || home.Matchable || pension.Matchable {
		t.Errorf("matchable: light %v, home %v, pension %v", light.Matchable, home.Matchable, pension.Matchable)
	}
	got, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Recategorize(ctx, tx, f.a, light.ID, resident, taxonomy.Consultation)
	})
	if err != nil || got.Matchable || f.ticket(t, light.ID).Matchable {
		t.Errorf("after recategorising to consultation: %v, %v", got.Matchable, err)
	}
}

// Closing a primary closes the tickets linked to it, each requester told
// under the number they know; closing a linked ticket alone takes it out
// of the primary's count and tells its requester its own number.
func TestDismissLinked(t *testing.T) {
	const third = int64(900004)
	f := newFixture(t, cadre, center)
	f.addNeighbour(t, neighbour)
	f.addNeighbour(t, third)
	first := f.report(t, resident, "村口的路灯坏了，晚上黑乎乎的", taxonomy.Roads, taxonomy.Normal)
	second := f.report(t, neighbour, "村口那盏路灯不亮好几天了", taxonomy.Roads, taxonomy.Normal)
	last := f.report(t, third, "村口路灯坏了没人修", taxonomy.Roads, taxonomy.Normal)
	if second.LinkedTo != first.ID || last.LinkedTo != first.ID {
		t.Fatalf("not linked: %d %d", second.LinkedTo, last.LinkedTo)
	}
	dismiss := func(id storage.TicketID, note string) storage.Ticket {
		t.Helper()
		tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Dismiss(ctx, tx, f.a, id, center, note)
		})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	if got := dismiss(last.ID, "误报"); got.State != routing.Closed {
		t.Fatalf("linked ticket closed to %s", got.State)
	}
	if p := f.ticket(t, first.ID); p.Requesters != 2 || p.State != routing.Assigned {
		t.Errorf("primary after its follower closed: %s, %d requesters", p.State, p.Requesters)
	}
	if m := f.outbox(t, storage.OutboxFilter{ChatID: third, Kind: notice.KindDismissed}); len(m) != 1 || !strings.Contains(m[0].Text, last.Number) {
		t.Errorf("third requester told %+v", m)
	}
	if m := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindDismissedStaff}); len(m) != 0 {
		t.Errorf("the handler was told of a ticket they never had: %+v", m)
	}

	dismiss(first.ID, "已由市政统一维修")
	if s := f.ticket(t, second.ID); s.State != routing.Closed || s.ClosedAt.IsZero() {
		t.Errorf("the follower stayed %s", s.State)
	}
	if ev := f.events(t, second.ID); !equal(ev, []string{"created", "classified", "linked", "dismissed"}) {
		t.Errorf("follower events = %v", ev)
	}
	for _, who := range []int64{resident, neighbour} {
		m := f.outbox(t, storage.OutboxFilter{ChatID: who, Kind: notice.KindDismissed})
		if len(m) != 1 || !strings.Contains(m[0].Text, first.Number) || !strings.Contains(m[0].Text, "市政") {
			t.Errorf("%d told %+v", who, m)
		}
	}
}

// A linked ticket is resolved with the one it follows, not on its own.
func TestLinkedNotResolvedAlone(t *testing.T) {
	f := newFixture(t, cadre)
	f.addNeighbour(t, neighbour)
	f.report(t, resident, "村口的路灯坏了", taxonomy.Roads, taxonomy.Normal)
	second := f.report(t, neighbour, "村口路灯不亮", taxonomy.Roads, taxonomy.Normal)
	_, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Resolve(ctx, tx, f.a, second.ID, cadre, "已修", "")
	})
	var ill *routing.IllegalTransitionError
	if !errors.As(err, &ill) || f.ticket(t, second.ID).State != routing.Linked {
		t.Errorf("resolving a linked ticket alone: %v", err)
	}
}
