package outreach

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"hotline/notice"
	"hotline/storage"
)

func TestCatchUpAfterDowntime(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"})
	c := f.campaign(t, "daily-digest") // 17:30 Shanghai = 09:30 UTC
	loc := f.svc.cfg.Location()
	ctx := context.Background()

	f.now = time.Date(2026, 11, 20, 18, 0, 0, 0, loc)
	if res, err := f.svc.Tick(ctx, c); err != nil || !res.Slot.IsZero() {
		t.Fatalf("first sighting ran %v, %v: nothing is owed before it", res, err)
	}
	// Down for five days; back at 18:00 on the 25th: five slots missed,
	// the latest (17:30 today) is within the 6h grace.
	f.now = time.Date(2026, 11, 25, 18, 0, 0, 0, loc)
	res, err := f.svc.Tick(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 25, 17, 30, 0, 0, loc); !res.Slot.Equal(want) || res.Skipped != 4 {
		t.Fatalf("caught up slot %v skipped %d, want %v and 4", res.Slot, res.Skipped, want)
	}
	if n := len(f.outbox(t, storage.OutboxFilter{Kind: notice.KindDigest})); n != 1 {
		t.Fatalf("%d digests, want exactly one", n)
	}
	// A second tick (or a restart) at the same time owes nothing.
	if res, _ := f.svc.Tick(ctx, c); !res.Slot.IsZero() || res.Skipped != 0 {
		t.Fatalf("second tick did %+v", res)
	}
	var runs []storage.Run
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		runs, err = tx.Runs(ctx, c.ID, "", 0)
		return err
	})
	skipped := 0
	for _, r := range runs {
		if r.Status == storage.RunSkipped {
			skipped++
		}
	}
	if len(runs) != 5 || skipped != 4 {
		t.Fatalf("%d runs, %d skipped; want 5 and 4", len(runs), skipped)
	}
	// Down past the grace window: the missed slot is skipped, not run.
	f.now = time.Date(2026, 11, 27, 9, 0, 0, 0, loc)
	res, err = f.svc.Tick(ctx, c)
	if err != nil || !res.Slot.IsZero() || res.Skipped != 1 {
		t.Fatalf("stale slot: %+v %v", res, err)
	}
}

func TestInterruptedRunNoDoubleSend(t *testing.T) {
	var rs []resident
	for i := range 25 {
		rs = append(rs, resident{id: int64(2000 + i), village: "翟各庄村", tags: []string{notice.TagElectricHeating}})
	}
	f := newFixture(t, rs...)
	f.svc.batch = 10
	ctx := context.Background()
	c := f.campaign(t, "heating-check")
	slot := time.Date(2026, 11, 1, 10, 0, 0, 0, f.svc.cfg.Location())

	// The run is recorded and one batch queued, then the process "dies".
	var run storage.Run
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		run, _, err = f.svc.begin(ctx, tx, c, slot)
		return err
	})
	if done, n, err := f.svc.fanOutBatch(ctx, run.ID); err != nil || done || n != 10 {
		t.Fatalf("first batch: done %v n %d err %v", done, n, err)
	}
	// Restart: a new service over the same database resumes the run.
	restarted := New(f.db, f.tk, f.svc.policy, f.svc.cfg, f.svc.now, f.svc.log)
	restarted.batch = 10
	if n, err := restarted.ResumeRuns(ctx); err != nil || n != 15 {
		t.Fatalf("resume queued %d (%v), want 15", n, err)
	}
	// Running the same slot again by hand sends nothing.
	if res, err := restarted.RunNow(ctx, c, slot); err != nil || res.Queued != 0 || res.Created {
		t.Fatalf("rerun: %+v %v", res, err)
	}
	msgs := f.outbox(t, storage.OutboxFilter{Kind: notice.KindCampaign})
	per := map[int64]int{}
	for _, m := range msgs {
		per[m.ChatID]++
	}
	if len(msgs) != 25 || len(per) != 25 {
		t.Fatalf("%d messages to %d residents, want 25 each once", len(msgs), len(per))
	}
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		got, err := tx.Run(ctx, run.ID)
		if err == nil && (got.Status != storage.RunDone || got.Recipients != 25) {
			t.Errorf("run %+v, want done with 25 recipients", got)
		}
		return err
	})
}

func TestRecoverKeepsServiceAlive(t *testing.T) {
	var buf bytes.Buffer
	f := newFixture(t)
	f.svc.log = slog.New(slog.NewTextHandler(&buf, nil))
	c := f.svc.Cron()
	id := c.Schedule(cron.Every(time.Hour), cron.FuncJob(func() { panic("boom") }))
	job := c.Entry(id).WrappedJob
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic escaped the chain: %v", r)
			}
		}()
		job.Run()
	}()
	if !bytes.Contains(buf.Bytes(), []byte("boom")) {
		t.Fatalf("panic not logged: %s", buf.String())
	}
}

func TestVisitCadence(t *testing.T) {
	f := newFixture(t)
	loc := f.svc.cfg.Location()
	for _, tc := range []struct {
		month time.Month
		want  string
	}{{time.January, "[翟各庄村 东寺庄村 梁家务村]"}, {time.February, "[东寺庄村 梁家务村]"}, {time.April, "[翟各庄村 东寺庄村 梁家务村]"}} {
		if got := fmt.Sprint(f.svc.dueVillages(time.Date(2026, tc.month, 1, 9, 0, 0, 0, loc))); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.month, got, tc.want)
		}
	}
}

// Start finishes what was left running before it, tells the sender, and
// returns once its context ends.
func TestStartCatchesUpAndTellsTheSender(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"}, resident{id: 1201, village: "梁家务村"})
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		_, err := f.svc.Broadcast(ctx, tx, 0, "village:翟各庄村", "明天停水。", "")
		return err
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	told := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		done <- f.svc.Start(ctx, time.Hour, func() {
			select {
			case told <- struct{}{}:
			default:
			}
		})
	}()
	<-told // after the catch-up: what it queued is committed
	if ms := f.outbox(t, storage.OutboxFilter{Kind: notice.KindCampaign}); len(ms) != 1 || ms[0].ChatID != 1001 {
		t.Errorf("the sender was told with %+v queued, want the notice to 1001", ms)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
