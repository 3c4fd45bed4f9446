package outreach

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/notice"
	"hotline/storage"
	"hotline/taxonomy"
)

func TestSignals(t *testing.T) {
	// Writers 1001–1004 and 1201–1203; 1005, 1006 are silent neighbours in
	// 翟各庄村, 1007 opted out there, 1008 lives in another village.
	residents := []resident{
		{id: 1001, village: "翟各庄村"}, {id: 1002, village: "翟各庄村"}, {id: 1003, village: "翟各庄村"},
		{id: 1004, village: "翟各庄村"}, {id: 1005, village: "翟各庄村"}, {id: 1006, village: "翟各庄村"},
		{id: 1007, village: "翟各庄村", off: true}, {id: 1008, village: "东寺庄村"},
		{id: 1201, village: "梁家务村"}, {id: 1202, village: "梁家务村"}, {id: 1203, village: "梁家务村"},
	}
	type report struct {
		at       time.Duration // after the fixture's start
		resident int64
		village  string
		category taxonomy.Category
	}
	power := func(at time.Duration, id int64) report { return report{at, id, "翟各庄村", taxonomy.Power} }
	cases := []struct {
		name    string
		reports []report
		checkAt time.Duration
		tell    bool
		alerts  []int64 // staff alerted, each once
		told    []int64 // residents told the problem is known
	}{
		{
			name:    "three power tickets in two hours",
			reports: []report{power(0, 1001), power(30*time.Minute, 1002), power(time.Hour, 1003)},
			checkAt: time.Hour, tell: true,
			alerts: []int64{cadre, leader}, told: []int64{1004, 1005, 1006},
		},
		{
			name:    "residents not told when not configured",
			reports: []report{power(0, 1001), power(30*time.Minute, 1002), power(time.Hour, 1003)},
			checkAt: time.Hour, tell: false,
			alerts: []int64{cadre, leader},
		},
		{
			name:    "two tickets are below the threshold",
			reports: []report{power(0, 1001), power(30*time.Minute, 1002)},
			checkAt: time.Hour, tell: true,
		},
		{
			name:    "three tickets spread beyond the window",
			reports: []report{power(0, 1001), power(90*time.Minute, 1002), power(150*time.Minute, 1003)},
			checkAt: 150 * time.Minute, tell: true,
		},
		{
			name: "three tickets of different categories or villages",
			reports: []report{power(0, 1001), power(10*time.Minute, 1002), {20 * time.Minute, 1003, "翟各庄村", taxonomy.Water},
				{30 * time.Minute, 1008, "东寺庄村", taxonomy.Power}},
			checkAt: time.Hour, tell: true,
		},
		{
			name: "a cluster in 西片区 alerts its cadre, no area leader there",
			reports: []report{{0, 1201, "梁家务村", taxonomy.Water}, {5 * time.Minute, 1202, "梁家务村", taxonomy.Water},
				{10 * time.Minute, 1203, "梁家务村", taxonomy.Water}},
			checkAt: 10 * time.Minute, tell: true,
			alerts: []int64{cadre2},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, residents...)
			f.svc.cfg.Signal.TellResidents = &tc.tell
			ctx := context.Background()
			start := f.now
			for _, r := range tc.reports {
				f.now = start.Add(r.at)
				f.openTicket(t, r.resident, r.village, r.category, taxonomy.Normal)
			}
			f.now = start.Add(tc.checkAt)
			wantSignals := 0
			if len(tc.alerts) > 0 {
				wantSignals = 1
			}
			// The job runs every few minutes: the cluster alerts once.
			for i := range 3 {
				n, err := f.svc.CheckSignals(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if want := wantSignals * max(1-i, 0); n != want {
					t.Fatalf("check %d raised %d signals, want %d", i+1, n, want)
				}
				f.now = f.now.Add(5 * time.Minute)
			}
			if got := chats(f.outbox(t, storage.OutboxFilter{Kind: notice.KindSignal})); !slices.Equal(got, tc.alerts) {
				t.Errorf("alerts to %v, want %v", got, tc.alerts)
			}
			if got := chats(f.outbox(t, storage.OutboxFilter{Kind: notice.KindSignalNotice})); !slices.Equal(got, tc.told) {
				t.Errorf("residents told %v, want %v", got, tc.told)
			}
		})
	}
}

func TestSignalAlertText(t *testing.T) {
	f := newFixture(t, resident{id: 1001, village: "翟各庄村"}, resident{id: 1002, village: "翟各庄村"})
	var numbers []string
	for range 3 {
		numbers = append(numbers, f.openTicket(t, 1001, "翟各庄村", taxonomy.Power, taxonomy.Normal).Number)
	}
	// A fourth ticket within the window after the alert raises no second one.
	if n, err := f.svc.CheckSignals(context.Background()); err != nil || n != 1 {
		t.Fatalf("signals %d, %v", n, err)
	}
	f.now = f.now.Add(time.Minute)
	f.openTicket(t, 1002, "翟各庄村", taxonomy.Power, taxonomy.Normal)
	if n, err := f.svc.CheckSignals(context.Background()); err != nil || n != 0 {
		t.Fatalf("second cluster in the window: %d, %v", n, err)
	}
	alert := f.outbox(t, storage.OutboxFilter{ChatID: cadre, Kind: notice.KindSignal})
	if len(alert) != 1 {
		t.Fatalf("cadre alerts %d", len(alert))
	}
	for _, want := range append(numbers, "翟各庄村", "3 件", "2 小时", taxonomy.Power.Chinese()) {
		if !strings.Contains(alert[0].Text, want) {
			t.Errorf("alert lacks %q:\n%s", want, alert[0].Text)
		}
	}
	told := f.outbox(t, storage.OutboxFilter{Kind: notice.KindSignalNotice})
	if len(told) != 1 || told[0].ChatID != 1002 || !strings.Contains(told[0].Text, "正在处理") {
		t.Errorf("residents told %+v", told)
	}
}

// chats lists the recipients of msgs in ascending order.
func chats(msgs []storage.OutboxMessage) []int64 {
	var out []int64
	for _, m := range msgs {
		out = append(out, m.ChatID)
	}
	slices.Sort(out)
	return out
}

// cityHour opens 0.5 reports a second for an hour in 翟各庄村 (three
// categories in turn, from 50 residents), running the signal job every
// minute as the service does, and returns the signals raised and the
// notices they queued.
func cityHour(t *testing.T, f *fixture) (signals, notices int) {
	t.Helper()
	ctx := context.Background()
	cats := []taxonomy.Category{taxonomy.Roads, taxonomy.Water, taxonomy.Power}
	start := f.now
	for m := range 60 {
		for i := range 30 {
			f.now = start.Add(time.Duration(m)*time.Minute + time.Duration(i)*2*time.Second)
			f.openTicket(t, int64(3000+(m*30+i)%50), "翟各庄村", cats[i%3], taxonomy.Normal)
		}
		f.now = start.Add(time.Duration(m+1) * time.Minute)
		n, err := f.svc.CheckSignals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		signals += n
	}
	notices = len(f.outbox(t, storage.OutboxFilter{Kind: notice.KindSignal})) + len(f.outbox(t, storage.OutboxFilter{Kind: notice.KindSignalNotice}))
	return signals, notices
}

func busyVillage(t *testing.T) *fixture {
	var rs []resident
	for i := range 50 {
		rs = append(rs, resident{id: int64(3000 + i), village: "翟各庄村"})
	}
	f := newFixture(t, append(rs, resident{id: 1201, village: "梁家务村"}, resident{id: 1202, village: "梁家务村"},
		resident{id: 1203, village: "梁家务村"}, resident{id: 1204, village: "梁家务村"})...)
	tell := true
	f.svc.cfg.Signal.TellResidents = &tell
	return f
}

// At a city's pace a village that always writes this much raises nothing:
// its own baseline says it is usual. A quiet village's three tickets in
// two hours still alert, once.
func TestSignalsAgainstTheVillagesOwnPace(t *testing.T) {
	f := busyVillage(t)
	// Four weeks at the same pace, a town centre that writes 0.5/s all
	// day: 43,200 a day, a third in each category.
	var past []storage.DayCount
	for d := 1; d <= 28; d++ {
		day := f.now.UTC().AddDate(0, 0, -d).Format(time.DateOnly)
		for _, c := range []taxonomy.Category{taxonomy.Roads, taxonomy.Water, taxonomy.Power} {
			past = append(past, storage.DayCount{Village: "翟各庄村", Category: c, Day: day, N: 14400})
		}
	}
	f.update(t, func(ctx context.Context, tx *storage.Tx) error {
		if _, err := f.svc.CheckSignals(ctx); err != nil { // the first pass starts the count
			return err
		}
		return tx.AddDayCounts(ctx, past)
	})
	start := f.now
	signals, notices := cityHour(t, f)
	if signals != 0 || notices != 0 {
		t.Errorf("busy village at its usual pace: %d signals, %d notices", signals, notices)
	}
	// Meanwhile 梁家务村, which never writes, has three water tickets.
	for i, id := range []int64{1201, 1202, 1203} {
		f.now = start.Add(time.Duration(i) * 10 * time.Minute)
		f.openTicket(t, id, "梁家务村", taxonomy.Water, taxonomy.Normal)
	}
	f.now = start.Add(61 * time.Minute)
	for range 3 {
		if _, err := f.svc.CheckSignals(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(time.Minute)
	}
	alerts := f.outbox(t, storage.OutboxFilter{Kind: notice.KindSignal})
	if len(alerts) != 1 || alerts[0].ChatID != cadre2 || !strings.Contains(alerts[0].Text, "梁家务村") {
		t.Errorf("quiet village alerts %+v", alerts)
	}
	if told := chats(f.outbox(t, storage.OutboxFilter{Kind: notice.KindSignalNotice})); !slices.Equal(told, []int64{1204}) {
		t.Errorf("residents told %v", told)
	}
}

// With no history at all (the first hour after installing), or a village
// that writes this much only now, the storm is unusual: each cluster
// alerts once and then cools down, so a few notices, not one per ticket
// or per minute (thousands before).
func TestSignalsCoolDownInAStorm(t *testing.T) {
	f := busyVillage(t)
	signals, notices := cityHour(t, f)
	// One per category, each to the cadre and the area leader and to the
	// village's residents who had not written about it yet: at most
	// 3 × (2 + 50).
	if signals != 3 || notices > 3*(2+50) {
		t.Errorf("storm: %d signals, %d notices; want 3 and at most 156", signals, notices)
	}
}
