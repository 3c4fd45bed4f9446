package outreach

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
		runs, err = tx.Runs(ctx, storage.RunFilter{Campaign: c.ID})
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
		run, _, err = tx.StartRun(ctx, runOf(c, slot), f.now)
		return err
	})
	if done, n, err := f.svc.fanOutBatch(ctx, f.a, kindOf(run.Kind), run.ID); err != nil || done || n != 10 {
		t.Fatalf("first batch: done %v n %d err %v", done, n, err)
	}
	// Restart: a new service over the same database resumes the run.
	restarted := New(f.db, f.svc.assets, f.tk, f.svc.cfg, f.svc.now, f.svc.log)
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
		if got := fmt.Sprint(f.svc.dueVillages(f.a, time.Date(2026, tc.month, 1, 9, 0, 0, 0, loc))); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.month, got, tc.want)
		}
	}
}

// Start finishes what was left running before it, tells the sender, and
// returns once its context ends.
func TestStartCatchesUpAndTellsTheSender(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"}, resident{id: 1201, village: "梁家务村"})
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		_, err := f.svc.Broadcast(ctx, tx, f.a, 0, "village:翟各庄村", "明天停水。", "")
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

// The catch-up at start and a cron firing can see the same slot due at
// once (Start begins the runner first so that no slot falls between the
// two): the slot runs once and each resident gets one message.
func TestCatchUpAndCronTickRunASlotOnce(t *testing.T) {
	var rs []resident
	for i := range 12 {
		rs = append(rs, resident{id: int64(3000 + i), village: "翟各庄村", tags: []string{notice.TagElectricHeating}})
	}
	f := newFixture(t, rs...)
	f.svc.batch = 5 // several transactions per fan-out, so the callers interleave
	ctx := context.Background()
	c := f.campaign(t, "heating-check")
	loc := f.svc.cfg.Location()
	f.now = time.Date(2026, 10, 31, 12, 0, 0, 0, loc)
	if _, err := f.svc.Tick(ctx, c); err != nil {
		t.Fatal(err)
	}
	f.now = time.Date(2026, 11, 1, 10, 0, 1, 0, loc)

	errs := make(chan error, 4)
	slots := make(chan time.Time, 3)
	go func() { errs <- f.svc.CatchUp(ctx) }()
	for range 3 {
		go func() {
			res, err := f.svc.Tick(ctx, c)
			slots <- res.Slot
			errs <- err
		}()
	}
	ran := 0
	for range 3 {
		if !(<-slots).IsZero() {
			ran++
		}
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var runs []storage.Run
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		var err error
		runs, err = tx.Runs(ctx, storage.RunFilter{Campaign: c.ID})
		return err
	})
	if len(runs) != 1 || runs[0].Status != storage.RunDone || runs[0].Recipients != 12 {
		t.Fatalf("runs %+v, want one done run with 12 recipients", runs)
	}
	if ran > 1 {
		t.Errorf("%d cron ticks ran the slot", ran)
	}
	per := map[int64]int{}
	for _, m := range f.outbox(t, storage.OutboxFilter{Kind: notice.KindCampaign}) {
		per[m.ChatID]++
		if per[m.ChatID] > 1 {
			t.Errorf("resident %d got the campaign twice", m.ChatID)
		}
	}
	if len(per) != 12 {
		t.Errorf("%d residents reached, want 12", len(per))
	}
}

// A slot skipped while the service was down can be run by hand later, and
// goes out with the campaign's text and segment: the skipped record holds
// neither.
func TestRunSkippedSlotByHand(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村", tags: []string{notice.TagElectricHeating}},
		resident{id: 1002, village: "东寺庄村"})
	ctx := context.Background()
	loc := f.svc.cfg.Location()
	for _, tc := range []struct {
		id   string
		slot time.Time
		kind string
		to   int64
	}{
		{"heating-check", time.Date(2026, 11, 10, 10, 0, 0, 0, loc), notice.KindCampaign, 1001},
		{"daily-digest", time.Date(2026, 11, 20, 17, 30, 0, 0, loc), notice.KindDigest, center},
	} {
		t.Run(tc.id, func(t *testing.T) {
			c := f.campaign(t, tc.id)
			f.now = time.Date(2026, 10, 20, 18, 0, 0, 0, loc)
			if _, err := f.svc.Tick(ctx, c); err != nil {
				t.Fatal(err)
			}
			f.now = time.Date(2026, 11, 25, 18, 0, 0, 0, loc)
			if res, err := f.svc.Tick(ctx, c); err != nil || res.Skipped == 0 {
				t.Fatalf("downtime: %+v %v", res, err)
			}
			res, err := f.svc.RunNow(ctx, c, tc.slot)
			if err != nil {
				t.Fatalf("run the skipped slot: %v", err)
			}
			if res.Created || res.Run.Status != storage.RunDone || res.Run.Segment != c.Segment || res.Run.Text != c.Text {
				t.Fatalf("revived run %+v", res.Run)
			}
			// The catch-up may have run a later slot; look at this one's.
			var msgs []storage.OutboxMessage
			for _, m := range f.outbox(t, storage.OutboxFilter{Kind: tc.kind}) {
				if strings.Contains(m.DedupeKey, tc.slot.UTC().Format(time.RFC3339)) {
					msgs = append(msgs, m)
				}
			}
			if len(msgs) != 1 || msgs[0].ChatID != tc.to {
				t.Fatalf("queued %+v, want one %s to %d", msgs, tc.kind, tc.to)
			}
			if tc.kind == notice.KindCampaign && !strings.Contains(msgs[0].Text, "煤改电") {
				t.Errorf("campaign text %q", msgs[0].Text)
			}
			if n, err := f.svc.ResumeRuns(ctx); err != nil || n != 0 {
				t.Errorf("left something running: %d %v", n, err)
			}
		})
	}
}

// The time zone is configurable; in a zone with daylight saving a daily
// campaign in the repeated hour runs once when clocks go back.
func TestTickInAZoneWithDaylightSaving(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	body := "timezone: America/New_York\ncampaigns:\n  - id: night-check\n    kind: notice\n    schedule: ['30 1 * * *']\n" +
		"    segment: all\n    text: 夜间提醒\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"})
	f.svc.cfg = cfg
	c := f.campaign(t, "night-check")
	ny := cfg.Location()
	ctx := context.Background()
	edt := time.Date(2026, 11, 1, 5, 35, 0, 0, time.UTC) // 01:35 EDT
	for i, at := range []time.Time{
		time.Date(2026, 10, 31, 12, 0, 0, 0, ny), // first sighting
		edt,                                      // 01:30 EDT is due
		edt.Add(time.Hour),                       // 01:35 EST: 01:30 again on the wall clock
		time.Date(2026, 11, 2, 1, 35, 0, 0, ny),  // the next day
	} {
		f.now = at
		if _, err := f.svc.Tick(ctx, c); err != nil {
			t.Fatalf("tick %d: %v", i, err)
		}
	}
	var slots []string
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		runs, err := tx.Runs(ctx, storage.RunFilter{Campaign: c.ID})
		for _, r := range runs {
			slots = append(slots, r.Slot.In(ny).Format("01-02 15:04 MST")+" "+r.Status)
		}
		return err
	})
	if want := []string{"11-02 01:30 EST done", "11-01 01:30 EDT done"}; !slices.Equal(slots, want) {
		t.Fatalf("runs %v, want %v", slots, want)
	}
}

func TestScheduleEdges(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		spec     string
		festival []int
		loc      *time.Location
		from     time.Time
		want     []string
	}{
		{"clocks go back: 01:30 once", "30 1 * * *", nil, ny, time.Date(2026, 10, 31, 12, 0, 0, 0, ny),
			[]string{"2026-11-01 01:30 EDT", "2026-11-02 01:30 EST"}},
		{"clocks go back: hourly skips the repeated hour", "0 * * * *", nil, ny, time.Date(2026, 11, 1, 0, 30, 0, 0, ny),
			[]string{"2026-11-01 01:00 EDT", "2026-11-01 02:00 EST", "2026-11-01 03:00 EST"}},
		{"clocks go forward: 02:30 does not exist that day", "30 2 * * *", nil, ny, time.Date(2026, 3, 7, 12, 0, 0, 0, ny),
			[]string{"2026-03-09 02:30 EDT", "2026-03-10 02:30 EDT"}},
		{"hourly before the festival is found a year ahead", "0 * * * *", []int{1}, sh, time.Date(2026, 2, 17, 0, 0, 0, 0, sh),
			[]string{"2027-02-05 00:00 CST", "2027-02-05 01:00 CST"}},
		{"no DST in Shanghai", "30 1 * * *", nil, sh, time.Date(2026, 11, 1, 0, 0, 0, 0, sh),
			[]string{"2026-11-01 01:30 CST", "2026-11-02 01:30 CST"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSchedule([]string{tc.spec}, tc.festival, tc.loc)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range s.NextN(tc.from, len(tc.want)) {
				got = append(got, x.Format("2006-01-02 15:04 MST"))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("fire times %v, want %v", got, tc.want)
			}
		})
	}
}

// `hotline outreach run` is another process with its own connections to
// the file; run at the same slot as the service's tick, nobody gets the
// campaign twice.
func TestTwoProcessesOneSlot(t *testing.T) {
	var rs []resident
	for i := range 30 {
		rs = append(rs, resident{id: int64(4000 + i), village: "东寺庄村", tags: []string{notice.TagElectricHeating}})
	}
	f := newFixture(t, rs...)
	f.svc.batch = 4
	ctx := context.Background()
	c := f.campaign(t, "heating-check")
	loc := f.svc.cfg.Location()
	slot := time.Date(2026, 11, 1, 10, 0, 0, 0, loc)
	f.now = slot.Add(-time.Hour)
	if _, err := f.svc.Tick(ctx, c); err != nil {
		t.Fatal(err)
	}
	f.now = slot.Add(time.Second)

	other, err := storage.Open(ctx, f.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	cli := New(other, f.svc.assets, f.tk, f.svc.cfg, f.svc.now, f.svc.log)
	cli.batch = 3
	errs := make(chan error, 2)
	go func() { _, err := f.svc.Tick(ctx, c); errs <- err }()
	go func() { _, err := cli.RunNow(ctx, c, slot); errs <- err }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	per := map[int64]int{}
	for _, m := range f.outbox(t, storage.OutboxFilter{Kind: notice.KindCampaign}) {
		per[m.ChatID]++
	}
	for id, n := range per {
		if n != 1 {
			t.Errorf("resident %d got %d messages", id, n)
		}
	}
	if len(per) != 30 {
		t.Errorf("%d residents reached, want 30", len(per))
	}
}
