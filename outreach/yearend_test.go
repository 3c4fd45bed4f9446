package outreach

import (
	"context"
	"errors"
	"testing"
	"time"

	"hotline/notice"
	"hotline/reports"
	"hotline/storage"
)

func TestYearEndEvaluation(t *testing.T) {
	// Households in the test roster: 翟各庄村 6, 东寺庄村 4, 梁家务村 10.
	rs := []resident{
		{id: 1001, village: "翟各庄村"}, {id: 1002, village: "翟各庄村"}, {id: 1003, village: "翟各庄村"}, {id: 1004, village: "翟各庄村"},
		{id: 1101, village: "东寺庄村"}, {id: 1102, village: "东寺庄村"}, {id: 1103, village: "东寺庄村"}, {id: 1104, village: "东寺庄村"},
		{id: 1201, village: "梁家务村"}, {id: 1202, village: "梁家务村"},
		{id: 1203, village: "梁家务村", off: true}, // opted out: not asked
	}
	f := newFixture(t, rs...)
	ctx := context.Background()
	f.now = time.Date(2026, 12, 10, 10, 0, 0, 0, f.svc.cfg.Location())
	res, err := f.svc.RunNow(ctx, f.campaign(t, "year-end-evaluation"), f.now)
	if err != nil || res.Queued != 10 {
		t.Fatalf("run %+v %v", res, err)
	}
	run := res.Run
	msg := f.outbox(t, storage.OutboxFilter{ChatID: 1001, Kind: notice.KindCampaign})
	if len(msg) != 1 || len(msg[0].Buttons) != 1 || len(msg[0].Buttons[0]) != 5 || msg[0].Buttons[0][4].Text != "5" {
		t.Fatalf("rating message %+v", msg)
	}

	ratings := map[int64]int{1001: 5, 1002: 4, 1003: 3, 1101: 5, 1102: 5, 1103: 4, 1104: 4, 1201: 2}
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		for id, stars := range ratings {
			if err := f.svc.RateCadre(ctx, tx, run.ID, id, stars); err != nil {
				return err
			}
		}
		return nil
	})
	// Once per resident per run: a second rating is answered kindly and
	// not counted; bad input and residents not asked are refused.
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		if err := f.svc.RateCadre(ctx, tx, run.ID, 1001, 1); err != nil {
			t.Errorf("second rating: %v", err)
		}
		for _, tc := range []struct {
			name          string
			run, resident int64
			stars         int
			want          error
		}{
			{"zero stars", run.ID, 1004, 0, nil},
			{"six stars", run.ID, 1004, 6, nil},
			{"opted out, not asked", run.ID, 1203, 3, ErrNotAsked},
			{"not a resident", run.ID, 4242, 3, ErrNotAsked},
			{"unknown run", run.ID + 100, 1004, 3, ErrNotAsked},
		} {
			err := f.svc.RateCadre(ctx, tx, tc.run, tc.resident, tc.stars)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		// 正常 on a rating message must not use up the household's vote.
		if _, err := f.svc.AnswerCheckin(ctx, tx, f.a, run.ID, 1004, true); !errors.Is(err, ErrNotAsked) {
			t.Errorf("check-in answer to a year-end run: %v", err)
		}
		return nil
	})
	if n := len(f.outbox(t, storage.OutboxFilter{ChatID: 1001, Kind: notice.KindAnswered})); n != 1 {
		t.Errorf("second rating answered %d times", n)
	}
	if n := len(f.outbox(t, storage.OutboxFilter{Kind: notice.KindYearEndThanks})); n != len(ratings) {
		t.Errorf("%d thanks, want %d", n, len(ratings))
	}

	var y reports.YearEnd
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		y, err = reports.LatestYearEnd(ctx, tx, f.a.Roster, 0, f.svc.cfg.Location())
		return err
	})
	if y.Run.ID != run.ID || y.Answers != 8 || y.Households != 20 || reports.Pct(y.Participation()) != "40.0%" {
		t.Fatalf("totals: run %d answers %d households %d participation %s", y.Run.ID, y.Answers, y.Households, reports.Pct(y.Participation()))
	}
	checkTurnout(t, y)
}

// checkTurnout checks the evaluation of TestYearEndEvaluation by village
// and by cadre.
func checkTurnout(t *testing.T, y reports.YearEnd) {
	t.Helper()
	wantVillages := []struct {
		name    string
		answers int
		pct     string
		below   bool
	}{{"翟各庄村", 3, "50.0%", true}, {"东寺庄村", 4, "100.0%", false}, {"梁家务村", 1, "10.0%", true}}
	if len(y.Villages) != len(wantVillages) {
		t.Fatalf("villages %+v", y.Villages)
	}
	for i, w := range wantVillages {
		v := y.Villages[i]
		if v.Name != w.name || v.Answers != w.answers || reports.Pct(v.Participation()) != w.pct || v.BelowGoal() != w.below {
			t.Errorf("village %d: %+v %s, want %+v", i, v, reports.Pct(v.Participation()), w)
		}
	}
	// 曾令发 covers 翟各庄村 and 东寺庄村: (5+4+3+5+5+4+4)/7 = 30/7.
	wantCadres := []struct {
		name    string
		ratings int
		mean    string
	}{{"曾令发", 7, "4.29"}, {"王强", 1, "2.00"}}
	if len(y.Cadres) != len(wantCadres) {
		t.Fatalf("cadres %+v", y.Cadres)
	}
	for i, w := range wantCadres {
		c := y.Cadres[i]
		if c.Name != w.name || c.Ratings != w.ratings || reports.MeanText(c.Mean()) != w.mean {
			t.Errorf("cadre %d: %+v %s, want %+v", i, c, reports.MeanText(c.Mean()), w)
		}
	}
}

func TestLatestYearEnd(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"})
	ctx := context.Background()
	loc := f.svc.cfg.Location()
	latest := func(year int) (reports.YearEnd, error) {
		var y reports.YearEnd
		err := f.db.Update(ctx, func(tx *storage.Tx) error {
			var err error
			y, err = reports.LatestYearEnd(ctx, tx, f.a.Roster, year, loc)
			return err
		})
		return y, err
	}
	if _, err := latest(0); !errors.Is(err, reports.ErrNoYearEnd) {
		t.Fatalf("no run yet: %v", err)
	}
	c := f.campaign(t, "year-end-evaluation")
	var runs []storage.Run
	for _, year := range []int{2025, 2026} {
		res, err := f.svc.RunNow(ctx, c, time.Date(year, 12, 10, 10, 0, 0, 0, loc))
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, res.Run)
	}
	// A slot skipped while the service was down is not an evaluation.
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		_, _, err := tx.StartRun(ctx, storage.Run{Campaign: c.ID, Slot: time.Date(2027, 12, 10, 10, 0, 0, 0, loc),
			Kind: storage.CampaignYearEnd, Status: storage.RunSkipped}, f.now)
		return err
	})
	for _, tc := range []struct {
		year int
		want int64
		err  error
	}{{0, runs[1].ID, nil}, {2026, runs[1].ID, nil}, {2025, runs[0].ID, nil}, {2027, 0, reports.ErrNoYearEnd}, {2024, 0, reports.ErrNoYearEnd}} {
		y, err := latest(tc.year)
		if !errors.Is(err, tc.err) || y.Run.ID != tc.want {
			t.Errorf("year %d: run %d %v, want %d %v", tc.year, y.Run.ID, err, tc.want, tc.err)
		}
	}
}
