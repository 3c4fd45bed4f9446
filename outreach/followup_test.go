package outreach

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hotline/notice"
	"hotline/storage"
	"hotline/taxonomy"
)

// resolve has the cadre resolve a ticket at the fixture's time.
func (f *fixture) resolve(t *testing.T, id storage.TicketID) {
	t.Helper()
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		_, err := f.tk.Resolve(ctx, tx, f.a, id, cadre, "已处理", "")
		return err
	})
}

func (f *fixture) ticket(t *testing.T, id storage.TicketID) storage.Ticket {
	t.Helper()
	var tk storage.Ticket
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		tk, err = tx.Ticket(ctx, id)
		return err
	})
	return tk
}

func (f *fixture) askFixed(t *testing.T) int {
	t.Helper()
	n, err := f.svc.AskFixed(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) fixedAnswer(t *testing.T, ticketID storage.TicketID, residentID int64, yes bool) (storage.Ticket, error) {
	t.Helper()
	var got storage.Ticket
	err := f.db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		got, _, err = f.tk.FixedAnswer(context.Background(), tx, f.a, ticketID, residentID, yes)
		return err
	})
	return got, err
}

func TestAskFixedOncePerResolution(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"}, resident{id: 1002, village: "翟各庄村", off: true})
	a := f.openTicket(t, 1001, "翟各庄村", taxonomy.Roads, taxonomy.Normal)
	b := f.openTicket(t, 1001, "翟各庄村", taxonomy.Power, taxonomy.Normal) // the resident says 未解决
	c := f.openTicket(t, 1002, "翟各庄村", taxonomy.Water, taxonomy.Normal) // opted out of campaigns: still asked
	open := f.openTicket(t, 1001, "翟各庄村", taxonomy.Water, taxonomy.Normal)
	for _, tk := range []storage.Ticket{a, b, c} {
		f.resolve(t, tk.ID)
	}
	resolvedAt := f.now
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		_, err := f.tk.Unresolved(ctx, tx, f.a, b.ID, 1001)
		return err
	})

	f.now = resolvedAt.Add(71 * time.Hour)
	if n := f.askFixed(t); n != 0 {
		t.Fatalf("asked %d before fixed_after", n)
	}
	f.now = resolvedAt.Add(73 * time.Hour)
	if n := f.askFixed(t); n != 2 {
		t.Fatalf("asked %d, want a and c", n)
	}
	f.now = f.now.Add(time.Hour)
	if n := f.askFixed(t); n != 0 {
		t.Fatalf("asked again: %d", n)
	}
	asks := f.outbox(t, storage.OutboxFilter{Kind: notice.KindFixedAsk})
	got := map[storage.TicketID]int64{}
	for _, m := range asks {
		got[m.TicketID] = m.ChatID
		if len(m.Buttons) != 1 || len(m.Buttons[0]) != 2 || m.Buttons[0][0].Text != "已经好了" || m.Buttons[0][1].Text != "还没好" {
			t.Errorf("buttons %+v", m.Buttons)
		}
	}
	if len(asks) != 2 || got[a.ID] != 1001 || got[c.ID] != 1002 {
		t.Fatalf("asked %+v; want a to 1001 and c to 1002, not the reopened b nor the open ticket %d", got, open.ID)
	}

	// b is resolved again: its new resolution is asked about in turn.
	f.resolve(t, b.ID)
	f.now = f.now.Add(73 * time.Hour)
	if n := f.askFixed(t); n != 1 {
		t.Fatalf("second resolution of b: asked %d", n)
	}
	if n := len(f.outbox(t, storage.OutboxFilter{Kind: notice.KindFixedAsk, TicketID: b.ID})); n != 1 {
		t.Fatalf("b asked %d times", n)
	}
}

func TestFixedAnswer(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"}, resident{id: 1002, village: "翟各庄村"})
	yes := f.openTicket(t, 1001, "翟各庄村", taxonomy.Roads, taxonomy.Normal)
	no := f.openTicket(t, 1001, "翟各庄村", taxonomy.Power, taxonomy.Normal)
	rated := f.openTicket(t, 1001, "翟各庄村", taxonomy.Water, taxonomy.Normal)
	open := f.openTicket(t, 1001, "翟各庄村", taxonomy.Heating, taxonomy.Normal)
	for _, tk := range []storage.Ticket{yes, no, rated} {
		f.resolve(t, tk.ID)
	}
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		_, err := f.tk.Rate(ctx, tx, rated.ID, 1001, 5)
		return err
	})
	f.now = f.now.Add(73 * time.Hour)
	if n := f.askFixed(t); n != 3 {
		t.Fatalf("asked %d, want 3 (a rating does not stop the question)", n)
	}

	// 已经好了: thanks, and the ticket is left as it was.
	if _, err := f.fixedAnswer(t, yes.ID, 1001, true); err != nil {
		t.Fatal(err)
	}
	if got := f.ticket(t, yes.ID); got.State != "resolved" {
		t.Errorf("yes: state %s", got.State)
	}
	if n := len(f.outbox(t, storage.OutboxFilter{TicketID: yes.ID, Kind: notice.KindFixedThanks})); n != 1 {
		t.Errorf("yes: %d thanks", n)
	}

	// 还没好 on an unrated ticket: back to its handler, urgency raised.
	got, err := f.fixedAnswer(t, no.ID, 1001, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != no.ID || got.State != "assigned" || got.HandlerID != cadre || got.Reopened != 1 || got.Urgency != taxonomy.Urgent {
		t.Errorf("no: %+v", got)
	}

	// 还没好 on a rated ticket: the rating stands; a new linked ticket opens.
	got, err = f.fixedAnswer(t, rated.ID, 1001, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == rated.ID || got.Campaign != "fixed-followup" || got.Category != taxonomy.Water ||
		got.Village != "翟各庄村" || got.ResidentID != 1001 || !strings.Contains(got.Text, rated.Number) {
		t.Errorf("follow-up ticket %+v", got)
	}
	if r := f.ticket(t, rated.ID); r.State != "closed" || r.Rating != 5 {
		t.Errorf("rated ticket changed: %+v", r)
	}

	f.secondAnswersChangeNothing(t, yes, no, rated)
	f.fixedRefusals(t, yes, open)

	// The reopened ticket is resolved again and asked again: this answer counts.
	f.now = f.now.Add(time.Hour)
	f.resolve(t, no.ID)
	f.now = f.now.Add(73 * time.Hour)
	if n := f.askFixed(t); n != 1 {
		t.Fatalf("second resolution asked %d", n)
	}
	if _, err := f.fixedAnswer(t, no.ID, 1001, true); err != nil {
		t.Fatal(err)
	}
	if n := len(f.outbox(t, storage.OutboxFilter{TicketID: no.ID, Kind: notice.KindFixedThanks})); n != 1 {
		t.Errorf("answer after the second resolution: %d thanks", n)
	}
}

// secondAnswersChangeNothing: second answers are refused with a kind word
// and change nothing.
func (f *fixture) secondAnswersChangeNothing(t *testing.T, yes, no, rated storage.Ticket) {
	t.Helper()
	var before int
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		all, err := tx.Tickets(ctx, storage.TicketFilter{})
		before = len(all)
		return err
	})
	for _, tc := range []struct {
		id  storage.TicketID
		yes bool
	}{{yes.ID, false}, {no.ID, false}, {no.ID, true}, {rated.ID, false}} {
		if _, err := f.fixedAnswer(t, tc.id, 1001, tc.yes); err != nil {
			t.Errorf("second answer to %d: %v", tc.id, err)
		}
	}
	if n := len(f.outbox(t, storage.OutboxFilter{ChatID: 1001, Kind: notice.KindAnswered})); n != 4 {
		t.Errorf("%d 'already answered' replies, want 4", n)
	}
	if got := f.ticket(t, yes.ID); got.State != "resolved" {
		t.Errorf("a late 还没好 reopened an answered ticket: %s", got.State)
	}
	if got := f.ticket(t, no.ID); got.Reopened != 1 {
		t.Errorf("reopened %d times", got.Reopened)
	}
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		all, err := tx.Tickets(ctx, storage.TicketFilter{})
		if len(all) != before {
			t.Errorf("a second answer opened a ticket: %d → %d", before, len(all))
		}
		return err
	})

}

// fixedRefusals: someone else's ticket, an unknown one, one never resolved.
func (f *fixture) fixedRefusals(t *testing.T, yes, open storage.Ticket) {
	t.Helper()
	for _, tc := range []struct {
		name string
		id   storage.TicketID
		from int64
		want error
	}{
		{"another resident", yes.ID, 1002, storage.ErrNotFound},
		{"no resident", yes.ID, 0, storage.ErrNotFound},
		{"unknown ticket", 9999, 1001, storage.ErrNotFound},
		{"never resolved", open.ID, 1001, ErrNotAsked},
	} {
		if _, err := f.fixedAnswer(t, tc.id, tc.from, false); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}

}

func TestNoAnswerListGoesToTheVillageCadre(t *testing.T) {
	heat := []string{notice.TagElectricHeating}
	f := newFixture(t,
		resident{id: 1001, village: "翟各庄村", tags: heat}, // answers
		resident{id: 1002, village: "翟各庄村", tags: heat}, // silent
		resident{id: 1003, village: "东寺庄村", tags: heat}, // silent, same cadre
		resident{id: 1201, village: "梁家务村", tags: heat}, // silent, another cadre
		resident{id: 1202, village: "梁家务村", tags: heat}, // answers by text
	)
	ctx := context.Background()
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		for id, name := range map[int64]string{1002: "张大爷", 1201: "李奶奶"} {
			if _, err := tx.EnsureResident(ctx, id, name, f.now); err != nil {
				return err
			}
			if err := tx.SetResidentPhone(ctx, id, "13812345678"); err != nil {
				return err
			}
		}
		return nil
	})
	res, err := f.svc.RunNow(ctx, f.campaign(t, "heating-check"), f.now)
	if err != nil || res.Queued != 5 {
		t.Fatalf("run %+v %v", res, err)
	}
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		if _, err := f.svc.AnswerCheckin(ctx, tx, f.a, res.Run.ID, 1001, true); err != nil {
			return err
		}
		_, _, err := f.svc.CheckinReply(ctx, tx, f.a, 1202, "暖气不热", intentFor(taxonomy.Heating, taxonomy.Normal, ""))
		return err
	})
	f.now = f.now.Add(47 * time.Hour)
	if n, err := f.svc.CheckUnanswered(ctx); err != nil || n != 0 {
		t.Fatalf("before answer_within: %d %v", n, err)
	}
	f.now = f.now.Add(2 * time.Hour)
	for i, want := range []int{3, 0} {
		if n, err := f.svc.CheckUnanswered(ctx); err != nil || n != want {
			t.Fatalf("check %d: %d %v, want %d", i+1, n, err, want)
		}
	}
	lists := f.outbox(t, storage.OutboxFilter{Kind: notice.KindNoAnswer})
	byChat := map[int64][]string{}
	for _, m := range lists {
		byChat[m.ChatID] = append(byChat[m.ChatID], m.Text)
	}
	// 曾令发 covers 翟各庄村 and 东寺庄村: one list per village; 王强 gets
	// 梁家务村's; the area leader and the centre get none.
	if len(lists) != 3 || len(byChat[cadre]) != 2 || len(byChat[cadre2]) != 1 {
		t.Fatalf("lists %v", byChat)
	}
	mine := strings.Join(byChat[cadre], "\n")
	if !strings.Contains(mine, "张大爷") || !strings.Contains(mine, "东寺庄村") || strings.Contains(mine, "李奶奶") ||
		!strings.Contains(mine, "138****5678") || strings.Contains(mine, "13812345678") {
		t.Errorf("cadre's lists:\n%s", mine)
	}
	if other := byChat[cadre2][0]; !strings.Contains(other, "李奶奶") || strings.Contains(other, "张大爷") {
		t.Errorf("cadre2's list:\n%s", other)
	}
	// The next visit list of 翟各庄村 names the silent resident.
	var visits []storage.Visit
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		visits, err = tx.Visits(ctx, "翟各庄村", time.Time{})
		return err
	})
	if len(visits) != 1 || visits[0].ResidentID != 1002 {
		t.Errorf("visits %+v", visits)
	}
}
