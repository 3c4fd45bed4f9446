package outreach

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hotline/intents"
	"hotline/notice"
	"hotline/reports"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

func TestCheckinAnswersBecomeTickets(t *testing.T) {
	f := newFixture(t,
		resident{id: 1001, village: "翟各庄村", tags: []string{notice.TagElectricHeating}},
		resident{id: 1002, village: "翟各庄村", tags: []string{notice.TagElectricHeating}},
		resident{id: 1003, village: "翟各庄村", tags: []string{notice.TagElectricHeating}},
		resident{id: 1004, village: "翟各庄村", tags: []string{notice.TagElectricHeating}},
		resident{id: 1009, village: "翟各庄村"})
	ctx := context.Background()
	res, err := f.svc.RunNow(ctx, f.campaign(t, "heating-check"), f.now)
	if err != nil || res.Queued != 4 {
		t.Fatalf("run: %+v %v", res, err)
	}
	runID := res.Run.ID
	var bad storage.Ticket
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		if _, err := f.svc.AnswerCheckin(ctx, tx, f.a, runID, 1001, true); err != nil {
			return err
		}
		var err error
		bad, err = f.svc.AnswerCheckin(ctx, tx, f.a, runID, 1002, false)
		return err
	})
	if bad.Category != taxonomy.Heating || bad.Campaign != "heating-check" || bad.HandlerID != cadre || bad.Village != "翟各庄村" {
		t.Fatalf("有问题 ticket %+v", bad)
	}
	var handled bool
	var reply storage.Ticket
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		// The text classifies as power, but the check-in's category wins.
		handled, reply, err = f.svc.CheckinReply(ctx, tx, f.a, 1003, "暖气片不热", intentFor(taxonomy.Power, taxonomy.Normal, ""))
		return err
	})
	if !handled || reply.Category != taxonomy.Heating || reply.Text != "暖气片不热" {
		t.Fatalf("reply: %v %+v", handled, reply)
	}
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		// Not asked, already answered, and a second press.
		if h, _, err := f.svc.CheckinReply(ctx, tx, f.a, 1009, "路灯坏了", intentFor(taxonomy.Roads, taxonomy.Normal, "")); h || err != nil {
			t.Errorf("resident without a check-in handled=%v err=%v", h, err)
		}
		if h, _, _ := f.svc.CheckinReply(ctx, tx, f.a, 1002, "还是不热", intentFor(taxonomy.Heating, taxonomy.Normal, "")); h {
			t.Error("an answered check-in took a second text")
		}
		if _, err := f.svc.AnswerCheckin(ctx, tx, f.a, runID, 1009, false); !errors.Is(err, ErrNotAsked) {
			t.Errorf("answer from someone not asked: %v", err)
		}
		_, err := f.svc.AnswerCheckin(ctx, tx, f.a, runID, 1002, false)
		return err
	})
	if n := len(f.outbox(t, storage.OutboxFilter{ChatID: 1002, Kind: notice.KindAnswered})); n != 1 {
		t.Errorf("second press answered %d times", n)
	}
	// 1004 never answers: after answer_within it goes on the cadre's list, once.
	f.now = f.now.Add(49 * time.Hour)
	for range 2 {
		if _, err := f.svc.CheckUnanswered(ctx); err != nil {
			t.Fatal(err)
		}
	}
	lists := f.outbox(t, storage.OutboxFilter{ChatID: cadre, Kind: notice.KindNoAnswer})
	if len(lists) != 1 || strings.Count(lists[0].Text, "· ") != 1 {
		t.Fatalf("no-answer lists %+v", lists)
	}
}

func TestDeadlineRemindersAndEscalation(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"})
	ctx := context.Background()
	start := f.now
	tk := f.openTicket(t, 1001, "翟各庄村", taxonomy.Power, taxonomy.Normal) // accept 4h, resolve 7d
	steps := []struct {
		after      time.Duration
		wantLevel  int
		wantRemind int
		wantHolder roster.StaffID
	}{
		{2*time.Hour + 59*time.Minute, 0, 0, cadre}, // lead is min(1h, 4h/2): not yet
		{3 * time.Hour, 0, 1, cadre},                // one hour before: reminded
		{3*time.Hour + 30*time.Minute, 0, 1, cadre}, // not reminded twice
		{4 * time.Hour, 1, 1, leader},               // deadline: escalated to the area leader
		{4*time.Hour + 1*time.Minute, 1, 1, leader}, // and not again
		{8 * time.Hour, 2, 1, center},               // the leader's fresh 4h passed: the centre
		{12 * time.Hour, 2, 1, center},              // at the top: the centre is told once
		{13 * time.Hour, 2, 1, center},
	}
	for _, st := range steps {
		f.now = start.Add(st.after)
		if _, err := f.svc.CheckDeadlines(ctx); err != nil {
			t.Fatal(err)
		}
		var got storage.Ticket
		f.update(t, func(ctx context.Context, tx *storage.Tx) error {
			var err error
			got, err = tx.Ticket(ctx, tk.ID)
			return err
		})
		reminders := len(f.outbox(t, storage.OutboxFilter{TicketID: tk.ID, Kind: notice.KindReminder, ChatID: cadre}))
		if got.Level != st.wantLevel || got.HandlerID != st.wantHolder || reminders != st.wantRemind {
			t.Fatalf("after %v: level %d handler %d reminders %d; want %d %d %d", st.after, got.Level, got.HandlerID,
				reminders, st.wantLevel, st.wantHolder, st.wantRemind)
		}
	}
	if n := len(f.outbox(t, storage.OutboxFilter{TicketID: tk.ID, Kind: notice.KindOverdueTop})); n != 1 {
		t.Errorf("centre told %d times about the overdue ticket at the top, want 1", n)
	}
	if n := len(f.outbox(t, storage.OutboxFilter{TicketID: tk.ID, Kind: notice.KindEscalated})); n != 2 {
		t.Errorf("resident told of %d escalations, want 2", n)
	}
}

func TestWednesdayList(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"}, resident{id: 1002, village: "东寺庄村"}, resident{id: 1003, village: "梁家务村"})
	a := f.openTicket(t, 1001, "翟各庄村", taxonomy.Roads, taxonomy.Normal)
	f.now = f.now.Add(3 * time.Hour)
	b := f.openTicket(t, 1002, "东寺庄村", taxonomy.Water, taxonomy.Urgent) // overdue after 30m
	c := f.openTicket(t, 1002, "东寺庄村", taxonomy.Roads, taxonomy.Normal)
	f.openTicket(t, 1003, "梁家务村", taxonomy.Roads, taxonomy.Normal) // another 片区
	f.now = f.now.Add(time.Hour + time.Minute)                     // a is past its 4h: overdue too; c is not
	res, err := f.svc.RunNow(context.Background(), f.campaign(t, "wednesday-visit"), f.now)
	if err != nil || res.Run.Status != storage.RunDone {
		t.Fatalf("%+v %v", res, err)
	}
	lists := f.outbox(t, storage.OutboxFilter{Kind: notice.KindWednesday})
	if len(lists) != 1 || lists[0].ChatID != leader {
		t.Fatalf("lists %+v", lists)
	}
	text := lists[0].Text
	// Both villages have one overdue ticket; 东寺庄村 has more tickets, so it
	// comes first, its overdue ticket b before c; 梁家务村 is not in 东片区.
	order := []string{"东寺庄村", "⏰ <b>" + b.Number, "· <b>" + c.Number, "翟各庄村", "⏰ <b>" + a.Number}
	pos := -1
	for _, s := range order {
		i := strings.Index(text, s)
		if i <= pos {
			t.Fatalf("%q out of order in:\n%s", s, text)
		}
		pos = i
	}
	if strings.Contains(text, "梁家务村") {
		t.Fatalf("another 片区 listed:\n%s", text)
	}
}

// A text during a check-in's answer window takes the campaign's category,
// unless the classifier finds an emergency of another kind: a gas smell
// written in the two days after the township-wide flood check goes to
// whoever handles gas, not to the drains.
func TestCheckinReplyKeepsAnEmergencyElsewhere(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"}, resident{id: 1002, village: "翟各庄村"},
		resident{id: 1003, village: "翟各庄村"})
	ctx := context.Background()
	if _, err := f.svc.RunNow(ctx, f.campaign(t, "flood-check"), f.now); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		resident int64
		text     string
		intent   intents.Result
		want     taxonomy.Category
	}{
		{1001, "闻到一股煤气味", intentFor(taxonomy.Safety, taxonomy.Urgent, ""), taxonomy.Safety},
		{1002, "路灯不亮", intentFor(taxonomy.Roads, taxonomy.Normal, ""), taxonomy.Water},
		{1003, "雨水口堵了，院里进水了", intentFor(taxonomy.Water, taxonomy.Urgent, ""), taxonomy.Water},
	} {
		var got storage.Ticket
		var handled bool
		f.update(t, func(ctx context.Context, tx *storage.Tx) error {
			var err error
			handled, got, err = f.svc.CheckinReply(ctx, tx, f.a, tc.resident, tc.text, tc.intent)
			return err
		})
		if !handled || got.Category != tc.want || got.Campaign != "flood-check" {
			t.Errorf("%q: handled %v, category %s campaign %q; want %s, flood-check", tc.text, handled, got.Category, got.Campaign, tc.want)
		}
	}
}

// A deadline missed and escalated counts against the rates even when the
// next handler, with fresh deadlines, is quick: in total, for the village
// and for the handler who missed it; the area leader who then accepted in
// time is judged on their own deadline.
func TestRatesCountMissedDeadlines(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"})
	ctx := context.Background()
	start := f.now
	tk := f.openTicket(t, 1001, "翟各庄村", taxonomy.Power, taxonomy.Normal) // accept within 4h
	f.now = start.Add(4 * time.Hour)
	if _, err := f.svc.CheckDeadlines(ctx); err != nil {
		t.Fatal(err)
	}
	f.now = start.Add(4*time.Hour + 10*time.Minute)
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		_, err := f.tk.Accept(ctx, tx, f.a, tk.ID, leader)
		return err
	})
	// A second check repeats nothing: one miss recorded.
	if _, err := f.svc.CheckDeadlines(ctx); err != nil {
		t.Fatal(err)
	}
	var d reports.Digest
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		misses, err := tx.SLAMisses(ctx, start.Add(-time.Hour), f.now, f.now)
		if err != nil {
			return err
		}
		if len(misses) != 1 || misses[0].Deadline != "accept" || misses[0].HandlerID != cadre || misses[0].Handler != "曾令发" {
			t.Errorf("misses %+v", misses)
		}
		d, err = reports.LoadDigest(ctx, tx, reports.Daily, start.Add(5*time.Hour), time.UTC)
		return err
	})
	if r := d.Total; r.AcceptDue != 1 || r.AcceptedOnTime != 0 || reports.Pct(r.Response()) != "0.0%" {
		t.Errorf("total %+v", r)
	}
	if len(d.Villages) != 1 || reports.Pct(d.Villages[0].Response()) != "0.0%" {
		t.Errorf("villages %+v", d.Villages)
	}
	byName := map[string]reports.Rates{}
	for _, h := range d.Handlers {
		byName[h.Name] = h
	}
	if h := byName["曾令发"]; h.Tickets != 1 || h.AcceptDue != 1 || h.AcceptedOnTime != 0 || reports.Pct(h.Resolution()) != "—" {
		t.Errorf("cadre who missed: %+v", h)
	}
	if h := byName["李东"]; h.AcceptDue != 1 || h.AcceptedOnTime != 1 {
		t.Errorf("leader who accepted in time: %+v", h)
	}
}
