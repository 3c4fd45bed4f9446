package outreach

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline/notice"
	"hotline/reports"
	"hotline/storage"
)

// Every kind storage knows is registered, once, and a run of any kind can
// be carried out.
func TestEveryKindRegistered(t *testing.T) {
	for _, id := range storage.CampaignKinds {
		k := kinds[id]
		if k == nil {
			t.Errorf("kind %s has no file", id)
			continue
		}
		if k.about == "" || (k.residents && k.message == nil) || (!k.residents && k.staff == nil) {
			t.Errorf("kind %s: incomplete %+v", id, k)
		}
	}
	if len(kinds) != len(storage.CampaignKinds) {
		t.Errorf("%d kinds registered, storage knows %d", len(kinds), len(storage.CampaignKinds))
	}
	if got := answering(answerCheckin); len(got) != 2 || got[0] != storage.CampaignCheckin || got[1] != storage.CampaignVisit {
		t.Errorf("check-in kinds %v", got)
	}
}

// A bad campaign is refused with the file, the line it starts on and the
// campaign named.
func TestLoadConfigNamesFileLineAndCampaign(t *testing.T) {
	for _, tc := range []struct{ name, campaign, want string }{
		{"unknown kind", "    kind: sms\n    segment: all\n    text: hi\n", "unknown kind \"sms\""},
		{"bad schedule", "    kind: notice\n    segment: all\n    text: hi\n    schedule: ['0 25 * * *']\n", "schedule"},
		{"impossible date", "    kind: notice\n    segment: all\n    text: hi\n    schedule: ['0 9 30 2 *']\n", "never fires"},
		{"digest period", "    kind: digest\n    digest: hourly\n", "daily, weekly or monthly"},
		{"check-in without category", "    kind: checkin\n    segment: all\n    text: hi\n", "needs a category"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "town.yaml")
			body := "grace: 1h\ncampaigns:\n  - id: fine\n    kind: notice\n    segment: all\n    text: ok\n  - id: broken\n" + tc.campaign
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			if err == nil || !strings.Contains(err.Error(), path+":7: campaign broken: ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %s:7: campaign broken: …%s", err, path, tc.want)
			}
		})
	}
	path := filepath.Join(t.TempDir(), "town.yaml")
	if err := os.WriteFile(path, []byte("signal:\n  cooldown: 1h\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(path); err == nil || !strings.HasPrefix(err.Error(), path+": signal.cooldown") {
		t.Errorf("cooldown shorter than the window: %v", err)
	}
}

// The periodic jobs are listed in one place; one added there runs with them.
func TestJobs(t *testing.T) {
	f := newFixture(t)
	var names []string
	for _, j := range f.svc.Jobs() {
		if j.Every <= 0 || j.Run == nil {
			t.Errorf("job %s: every %v", j.Name, j.Every)
		}
		names = append(names, j.Name)
	}
	if got := strings.Join(names, " "); got != "deadlines signals resume unanswered fixed" {
		t.Errorf("jobs %s", got)
	}
	ran := 0
	boom := errors.New("boom")
	f.svc.AddJob(Job{Name: "prune", Every: 60 * 60 * 1e9, Run: func(context.Context) (int, error) { ran++; return 1, boom }})
	if err := f.svc.RunJobs(context.Background()); ran != 1 || !errors.Is(err, boom) || !strings.Contains(err.Error(), "prune: boom") {
		t.Errorf("added job ran %d times, err %v", ran, err)
	}
}

// The centre's daily digest says how much waits to be sent, and warns
// when ticket messages are held up; the weekly one does not.
func TestDailyDigestShowsTheBacklog(t *testing.T) {
	f := newFixture(t)
	f.svc.SetBacklog(func(context.Context, time.Time) (reports.Backlog, error) {
		return reports.Backlog{Pending: map[storage.Lane]int{storage.LaneTicket: 400, storage.LaneCampaign: 50000},
			AheadOfTickets: 16 * time.Second}, nil
	})
	for _, id := range []string{"daily-digest", "weekly-topic"} {
		if _, err := f.svc.RunNow(context.Background(), f.campaign(t, id), f.now); err != nil {
			t.Fatal(err)
		}
	}
	msgs := f.outbox(t, storage.OutboxFilter{ChatID: center, Kind: notice.KindDigest})
	if len(msgs) != 2 {
		t.Fatalf("%d digests", len(msgs))
	}
	for _, m := range msgs {
		daily := strings.Contains(m.Text, "日调度")
		if has := strings.Contains(m.Text, "工单 400 条 · 活动 50000 条") && strings.Contains(m.Text, "约 16 秒"); has != daily {
			t.Errorf("backlog in %s digest: %v\n%s", map[bool]string{true: "daily", false: "weekly"}[daily], has, m.Text)
		}
	}
}
