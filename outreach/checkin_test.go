package outreach

import (
	"context"
	"errors"
	"testing"
	"time"

	"hotline/notice"
	"hotline/storage"
	"hotline/taxonomy"
)

func TestCheckinRefusals(t *testing.T) {
	heat, alone := []string{notice.TagElectricHeating}, []string{notice.TagAlone}
	f := newFixture(t,
		resident{id: 1001, village: "翟各庄村", tags: heat},  // asked about heating, answers nothing yet
		resident{id: 1002, village: "翟各庄村"},              // asked only in notices and the year-end rating
		resident{id: 1003, village: "翟各庄村", tags: heat},  // answered 正常
		resident{id: 1004, village: "翟各庄村", tags: alone}, // asked three days ago
		resident{id: 1005, village: "翟各庄村", unstart: true},
	)
	ctx := context.Background()
	start := f.now
	run := func(id string, at time.Time) storage.Run {
		t.Helper()
		f.now = at
		res, err := f.svc.RunNow(ctx, f.campaign(t, id), at)
		if err != nil {
			t.Fatal(err)
		}
		return res.Run
	}
	alone3d := run("alone-check", start.Add(-72*time.Hour))
	notice1 := run("fire-prevention", start.Add(-time.Hour))
	yearEnd := run("year-end-evaluation", start.Add(-30*time.Minute))
	heating := run("heating-check", start)
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		_, err := f.svc.AnswerCheckin(ctx, tx, f.a, heating.ID, 1003, true)
		return err
	})
	f.now = start.Add(time.Hour)

	t.Run("CheckinReply", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			resident int64
			handled  bool
		}{
			{"no check-in ever", 1005, false},
			{"only a notice and a rating awaiting", 1002, false},
			{"answered already", 1003, false},
			{"asked longer ago than answer_within", 1004, false},
			{"unknown chat", 4242, false},
			{"awaiting a check-in", 1001, true},
		} {
			var handled bool
			var tk storage.Ticket
			var err error
			f.update(t, func(ctx context.Context, tx *storage.Tx) error {
				handled, tk, err = f.svc.CheckinReply(ctx, tx, f.a, tc.resident, "家里暖气不热", intentFor(taxonomy.Heating, taxonomy.Normal, ""))
				return nil
			})
			if err != nil || handled != tc.handled || (handled != (tk.ID != 0)) {
				t.Errorf("%s: handled %v ticket %d err %v, want handled %v", tc.name, handled, tk.ID, err, tc.handled)
			}
		}
	})

	t.Run("AnswerCheckin", func(t *testing.T) {
		for _, tc := range []struct {
			name          string
			run, resident int64
		}{
			{"unknown run", heating.ID + 100, 1001},
			{"not in the check-in's segment", heating.ID, 1002},
			{"a notice has nothing to answer", notice1.ID, 1002},
			{"a rating is not a check-in", yearEnd.ID, 1002},
			{"never started the bot", heating.ID, 1005},
			{"unknown chat", alone3d.ID, 4242},
		} {
			for _, ok := range []bool{true, false} {
				var err error
				f.update(t, func(ctx context.Context, tx *storage.Tx) error {
					_, err = f.svc.AnswerCheckin(ctx, tx, f.a, tc.run, tc.resident, ok)
					return nil
				})
				if !errors.Is(err, ErrNotAsked) {
					t.Errorf("%s (ok=%v): %v, want ErrNotAsked", tc.name, ok, err)
				}
			}
		}
		// Nothing was recorded by the refusals: 1002 can still rate.
		f.update(t, func(ctx context.Context, tx *storage.Tx) error {
			return f.svc.RateCadre(ctx, tx, yearEnd.ID, 1002, 4)
		})
		if n := len(f.outbox(t, storage.OutboxFilter{ChatID: 1002, Kind: notice.KindYearEndThanks})); n != 1 {
			t.Errorf("rating after refusals thanked %d times", n)
		}
	})

	// A late 有问题 to an old check-in still opens a ticket: it is work.
	var late storage.Ticket
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		late, err = f.svc.AnswerCheckin(ctx, tx, f.a, alone3d.ID, 1004, false)
		return err
	})
	if late.Category != taxonomy.Welfare || late.Campaign != "alone-check" {
		t.Errorf("late answer %+v", late)
	}
}
