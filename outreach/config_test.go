package outreach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfig(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"heating-check", "flood-check", "fire-prevention", "spring-festival", "alone-check",
		"village-visit", "wednesday-visit", "daily-digest", "weekly-topic", "monthly-report", "year-end-evaluation"} {
		if _, ok := cfg.Campaign(id); !ok {
			t.Errorf("built-in campaign %s missing", id)
		}
	}
	if cfg.Location().String() != "Asia/Shanghai" {
		t.Errorf("zone %s", cfg.Location())
	}
}

func TestLoadConfigOverrides(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	body := "grace: 1h\ncampaigns:\n  - id: flood-check\n    disabled: true\n    kind: notice\n    segment: all\n    text: x\n" +
		"  - id: power-cut\n    kind: checkin\n    schedule: ['0 8 * * *']\n    segment: area:东片区,tag:alone\n    category: power\n    text: 停电问候\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(cfg.Grace) != time.Hour {
		t.Errorf("grace %v", time.Duration(cfg.Grace))
	}
	if _, ok := cfg.Campaign("flood-check"); ok {
		t.Error("disabled campaign still enabled")
	}
	if c, ok := cfg.Campaign("power-cut"); !ok || c.Seg().Area() != "东片区" {
		t.Errorf("added campaign: %+v %v", c, ok)
	}
	if _, ok := cfg.Campaign("heating-check"); !ok {
		t.Error("untouched built-in campaign lost")
	}
}

func TestLoadConfigRejects(t *testing.T) {
	base := "  - id: x\n    kind: checkin\n    category: power\n    text: hi\n    segment: all\n    schedule: ['0 8 * * *']\n"
	cases := []struct{ name, body, want string }{
		{"bad spec", strings.Replace(base, "0 8 * * *", "61 8 * * *", 1), "schedule"},
		{"impossible spec", strings.Replace(base, "0 8 * * *", "0 9 31 2 *", 1), "never fires"},
		{"unknown segment term", strings.Replace(base, "segment: all", "segment: street:东", 1), "unknown term"},
		{"unknown tag", strings.Replace(base, "segment: all", "segment: tag:rich", 1), "unknown tag"},
		{"unknown category", strings.Replace(base, "category: power", "category: cats", 1), "unknown category"},
		{"missing text", strings.Replace(base, "text: hi", "text: ''", 1), "missing text"},
		{"unknown kind", strings.Replace(base, "kind: checkin", "kind: sms", 1), "unknown kind"},
		{"misspelt key", strings.Replace(base, "segment:", "segmnt:", 1), "segmnt"},
		{"bad zone", "timezone: Mars/Base\n", "time zone"},
		{"bad duration", "grace: soon\n", "soon"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if strings.HasPrefix(body, "  -") {
				body = "campaigns:\n" + body
			}
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestScheduleSpringFestival(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	s, err := NewSchedule([]string{"0 10 * * *"}, []int{7, 1}, loc)
	if err != nil {
		t.Fatal(err)
	}
	got := s.NextN(time.Date(2026, 1, 1, 0, 0, 0, 0, loc), 3)
	want := []string{"2026-02-10 10:00", "2026-02-16 10:00", "2027-01-30 10:00"}
	for i, w := range want {
		if i >= len(got) || got[i].Format("2006-01-02 15:04") != w {
			t.Fatalf("fire times %v, want %v", got, want)
		}
	}
}

// The Spring Festival comes from the lunar calendar, not a table: known
// dates before, inside and well after the years a hand-kept table had.
func TestSpringFestival(t *testing.T) {
	for _, tc := range []struct {
		year int
		want string
		ok   bool
	}{
		{2024, "2024-02-10", true}, {2025, "2025-01-29", true}, {2026, "2026-02-17", true},
		{2033, "2033-01-31", true}, {2035, "2035-02-08", true}, {2036, "2036-01-28", true},
		{2040, "2040-02-12", true}, {2050, "2050-01-23", true}, {2061, "2061-01-21", true},
		{1800, "", false},
	} {
		got, ok := SpringFestival(tc.year)
		if ok != tc.ok || (ok && got.Format("2006-01-02") != tc.want) {
			t.Errorf("%d: %s %v, want %s %v", tc.year, got.Format("2006-01-02"), ok, tc.want, tc.ok)
		}
	}
	// A schedule keeps firing after 2035: seven days before 2036's festival.
	loc, _ := time.LoadLocation("Asia/Shanghai")
	s, err := NewSchedule([]string{"0 10 * * *"}, []int{7}, loc)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Next(time.Date(2035, 3, 1, 0, 0, 0, 0, loc)); got.Format("2006-01-02 15:04") != "2036-01-21 10:00" {
		t.Errorf("after 2035: %s", got)
	}
}
