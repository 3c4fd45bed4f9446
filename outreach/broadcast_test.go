package outreach

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

func broadcastResidents() []resident {
	return []resident{
		{id: 1001, village: "翟各庄村", tags: []string{notice.TagAlone}},
		{id: 1002, village: "翟各庄村"},
		{id: 1101, village: "东寺庄村", tags: []string{notice.TagAlone}},
		{id: 1201, village: "梁家务村", tags: []string{notice.TagAlone}},
	}
}

func TestBroadcastAuthorisation(t *testing.T) {
	const resident1 = 1001
	cases := []struct {
		actor   roster.StaffID
		segment string
		want    []int64 // residents reached; nil with wantErr
		wantErr bool
	}{
		{center, "all", []int64{1001, 1002, 1101, 1201}, false},
		{center, "village:梁家务村", []int64{1201}, false},
		{admin, "area:西片区", []int64{1201}, false},
		{admin, "tag:alone", []int64{1001, 1101, 1201}, false},
		{0, "area:东片区,tag:alone", []int64{1001, 1101}, false}, // the command line
		{leader, "area:东片区", []int64{1001, 1002, 1101}, false},
		{leader, "area:东片区,tag:alone", []int64{1001, 1101}, false},
		{leader, "village:翟各庄村", []int64{1001, 1002}, false},
		{leader, "village:东寺庄村,tag:alone", []int64{1101}, false},
		{leader, "area:西片区", nil, true},
		{leader, "village:梁家务村", nil, true},
		{leader, "village:翟各庄村,village:梁家务村", nil, true},
		{leader, "all", nil, true},
		{leader, "tag:alone", nil, true},
		{cadre, "village:翟各庄村", nil, true},
		{cadre2, "all", nil, true},
		{resident1, "village:翟各庄村", nil, true},
		{9999, "all", nil, true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d %s", tc.actor, tc.segment), func(t *testing.T) {
			f := newFixture(t, broadcastResidents()...)
			ctx := context.Background()
			var err, countErr error
			var count int
			// Commit whatever the call did, so a refusal that wrote
			// anything would show. The desk's count before sending
			// follows the same rules and reaches the same residents.
			f.update(t, func(ctx context.Context, tx *storage.Tx) error {
				count, countErr = f.svc.BroadcastAudience(ctx, tx, f.a, tc.actor, tc.segment)
				_, err = f.svc.Broadcast(ctx, tx, f.a, tc.actor, tc.segment, "明天 9 点到 12 点停电检修。", "")
				return nil
			})
			if !errors.Is(countErr, ErrForbidden) != !errors.Is(err, ErrForbidden) || (err == nil && count != len(tc.want)) {
				t.Fatalf("audience %d, %v; broadcast %v, want %d", count, countErr, err, len(tc.want))
			}
			if tc.wantErr {
				if !errors.Is(err, ErrForbidden) {
					t.Fatalf("actor %d, %s: err %v, want ErrForbidden", tc.actor, tc.segment, err)
				}
				var runs []storage.Run
				f.update(t, func(ctx context.Context, tx *storage.Tx) error {
					runs, err = tx.Runs(ctx, storage.RunFilter{})
					return err
				})
				if n := len(f.outbox(t, storage.OutboxFilter{})); n != 0 || len(runs) != 0 {
					t.Fatalf("refused broadcast left %d outbox rows and %d runs", n, len(runs))
				}
				return
			}
			if err != nil {
				t.Fatalf("actor %d, %s: %v", tc.actor, tc.segment, err)
			}
			if _, err := f.svc.ResumeRuns(ctx); err != nil {
				t.Fatal(err)
			}
			msgs := f.outbox(t, storage.OutboxFilter{Kind: notice.KindCampaign})
			if got := chats(msgs); !slices.Equal(got, tc.want) {
				t.Errorf("reached %v, want %v", got, tc.want)
			}
			for _, m := range msgs {
				if len(m.Buttons) != 0 {
					t.Errorf("a plain notice has buttons: %+v", m.Buttons)
				}
			}
			done := f.outbox(t, storage.OutboxFilter{Kind: notice.KindBroadcastDone})
			if tc.actor == 0 && len(done) != 0 || tc.actor != 0 && (len(done) != 1 || done[0].ChatID != int64(tc.actor)) {
				t.Errorf("confirmations %+v", done)
			}
		})
	}
}

func TestBroadcastCheckin(t *testing.T) {
	f := newFixture(t, broadcastResidents()...)
	ctx := context.Background()
	var run, second storage.Run
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		if run, err = f.svc.Broadcast(ctx, tx, f.a, leader, "area:东片区", "今晚停电，来电后请确认家里用电正常。", string(taxonomy.Power)); err != nil {
			return err
		}
		// A second notice in the same instant is a run of its own.
		second, err = f.svc.Broadcast(ctx, tx, f.a, center, "village:梁家务村", "明天停水。", "")
		return err
	})
	if run.ID == second.ID || run.Kind != storage.CampaignCheckin || run.Category != taxonomy.Power {
		t.Fatalf("runs %+v and %+v", run, second)
	}
	if n, err := f.svc.ResumeRuns(ctx); err != nil || n != 4 {
		t.Fatalf("queued %d, %v; want 3 in 东片区 and 1 in 梁家务村", n, err)
	}
	for _, m := range f.outbox(t, storage.OutboxFilter{Kind: notice.KindCampaign}) {
		if m.ChatID == 1201 {
			continue
		}
		if len(m.Buttons) != 1 || len(m.Buttons[0]) != 2 || m.Buttons[0][0].Text != "正常" || m.Buttons[0][1].Text != "有问题" {
			t.Fatalf("check-in buttons %+v", m.Buttons)
		}
		a, err := notice.ParseAction(m.Buttons[0][1].Data)
		if err != nil || a.Verb != notice.VerbCheckin || a.ID != run.ID || a.Arg != "bad" {
			t.Fatalf("有问题 data %q: %+v %v", m.Buttons[0][1].Data, a, err)
		}
	}
	// 有问题 opens a power ticket linked to the broadcast.
	var tk storage.Ticket
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		tk, err = f.svc.AnswerCheckin(ctx, tx, f.a, run.ID, 1002, false)
		return err
	})
	if tk.Category != taxonomy.Power || tk.Campaign != BroadcastCampaign || tk.Village != "翟各庄村" {
		t.Errorf("ticket %+v", tk)
	}
	// ResumeRuns again (the follow-up job) sends nothing more.
	if n, err := f.svc.ResumeRuns(ctx); err != nil || n != 0 {
		t.Errorf("second resume queued %d, %v", n, err)
	}
}

func TestBroadcastBadInput(t *testing.T) {
	f := newFixture(t, broadcastResidents()...)
	cases := []struct{ name, segment, text, category string }{
		{"unknown segment term", "street:长安街", "停电", ""},
		{"empty segment", "", "停电", ""},
		{"unknown tag", "tag:vip", "停电", ""},
		{"village not in the roster", "village:火星村", "停电", ""},
		{"片区 not in the roster", "area:北片区", "停电", ""},
		{"missing text", "all", "  ", ""},
		{"unknown category", "all", "停电", "weather"},
	}
	for _, tc := range cases {
		var err error
		f.update(t, func(ctx context.Context, tx *storage.Tx) error {
			_, err = f.svc.Broadcast(ctx, tx, f.a, center, tc.segment, tc.text, tc.category)
			return nil
		})
		if !errors.Is(err, ErrBadNotice) || errors.Is(err, ErrForbidden) {
			t.Errorf("%s: err %v, want ErrBadNotice", tc.name, err)
		}
	}
	if n := len(f.outbox(t, storage.OutboxFilter{})); n != 0 {
		t.Errorf("bad broadcasts queued %d rows", n)
	}
}
