package workdays

import (
	"testing"
	"time"
)

var cst = time.FixedZone("CST", 8*3600)

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

// The State Council's notices for 2025 and 2026: 春节 and 国庆 with the
// weekend days worked in exchange (调休).
func TestIsWorkday(t *testing.T) {
	c := New(cst)
	tests := []struct {
		date    string
		work    bool
		holiday string
	}{
		// 2025 春节: off 1/28–2/4; Sunday 1/26 and Saturday 2/8 worked.
		{"2025-01-24 12:00", true, ""},
		{"2025-01-25 12:00", false, ""},
		{"2025-01-26 12:00", true, "春节"},
		{"2025-01-27 12:00", true, ""},
		{"2025-01-28 12:00", false, "春节"},
		{"2025-01-29 12:00", false, "春节"},
		{"2025-02-04 12:00", false, "春节"},
		{"2025-02-05 12:00", true, ""},
		{"2025-02-08 12:00", true, "春节"},
		{"2025-02-09 12:00", false, ""},
		// 2025 国庆中秋: off 10/1–10/8; Sunday 9/28 and Saturday 10/11 worked.
		{"2025-09-27 12:00", false, ""},
		{"2025-09-28 12:00", true, "国庆中秋"},
		{"2025-10-01 12:00", false, "国庆中秋"},
		{"2025-10-08 12:00", false, "国庆中秋"},
		{"2025-10-09 12:00", true, ""},
		{"2025-10-11 12:00", true, "国庆中秋"},
		{"2025-10-12 12:00", false, ""},
		// 2026 春节: off 2/15–2/23; Saturdays 2/14 and 2/28 worked.
		{"2026-02-13 12:00", true, ""},
		{"2026-02-14 12:00", true, "春节"},
		{"2026-02-15 12:00", false, "春节"},
		{"2026-02-17 12:00", false, "春节"},
		{"2026-02-23 12:00", false, "春节"},
		{"2026-02-24 12:00", true, ""},
		{"2026-02-28 12:00", true, "春节"},
		{"2026-03-01 12:00", false, ""},
		// 2026 中秋 9/25–27 and 国庆 10/1–10/7; Sunday 9/20 and Saturday 10/10 worked.
		{"2026-09-19 12:00", false, ""},
		{"2026-09-20 12:00", true, "国庆节"},
		{"2026-09-25 12:00", false, "中秋节"},
		{"2026-10-01 12:00", false, "国庆节"},
		{"2026-10-07 12:00", false, "国庆节"},
		{"2026-10-08 12:00", true, ""},
		{"2026-10-10 12:00", true, "国庆节"},
		{"2026-10-11 12:00", false, ""},
		// An ordinary week.
		{"2026-11-27 12:00", true, ""},
		{"2026-11-28 12:00", false, ""},
	}
	for _, tt := range tests {
		got := c.On(day(tt.date))
		if got.Work != tt.work || got.Holiday != tt.holiday {
			t.Errorf("%s: %+v, want work=%v holiday=%q", tt.date, got, tt.work, tt.holiday)
		}
		if c.IsWorkday(day(tt.date)) != tt.work {
			t.Errorf("IsWorkday(%s) != %v", tt.date, tt.work)
		}
	}
}

func TestAdd(t *testing.T) {
	c := New(cst)
	tests := []struct {
		name     string
		from     string
		n        int
		want     string
		fromTime time.Time // when set, used instead of from (another zone)
	}{
		{"ordinary week", "2026-11-24 10:00", 3, "2026-11-27 10:00", time.Time{}},
		{"over a weekend", "2026-11-27 16:30", 1, "2026-11-30 16:30", time.Time{}},
		{"zero days", "2026-11-24 10:00", 0, "2026-11-24 10:00", time.Time{}},
		{"zero days from a day off: the next working day starts", "2026-11-28 10:00", 0, "2026-11-30 00:00", time.Time{}},
		{"dispatched on Saturday: due when Monday ends", "2026-11-28 10:00", 1, "2026-12-01 00:00", time.Time{}},
		{"dispatched on Sunday, two days", "2026-11-29 22:00", 2, "2026-12-02 00:00", time.Time{}},

		{"2025 春节: into the make-up Sunday", "2025-01-24 16:00", 1, "2025-01-26 16:00", time.Time{}},
		{"2025 春节: across the holiday", "2025-01-27 10:00", 3, "2025-02-07 10:00", time.Time{}},
		{"2025 春节: the make-up Saturday after", "2025-02-07 09:00", 1, "2025-02-08 09:00", time.Time{}},
		{"2025 春节: dispatched during the holiday", "2025-01-30 11:00", 1, "2025-02-06 00:00", time.Time{}},
		{"2025 国庆: make-up Sunday before", "2025-09-26 10:00", 2, "2025-09-29 10:00", time.Time{}},
		{"2025 国庆: eight days off", "2025-09-30 10:00", 1, "2025-10-09 10:00", time.Time{}},
		{"2025 国庆: dispatched during, make-up Saturday counts", "2025-10-03 14:00", 3, "2025-10-12 00:00", time.Time{}},

		{"2026 春节: the make-up Saturday before", "2026-02-13 10:00", 1, "2026-02-14 10:00", time.Time{}},
		{"2026 春节: five days across nine off", "2026-02-12 10:00", 5, "2026-02-26 10:00", time.Time{}},
		{"2026 春节: the make-up Saturday after", "2026-02-27 10:00", 2, "2026-03-02 10:00", time.Time{}},
		{"2026 春节: late on Friday UTC is the make-up Saturday in CST", "", 1, "2026-02-24 01:00",
			time.Date(2026, 2, 13, 17, 0, 0, 0, time.UTC)},
		{"2026 国庆: make-up Sunday before", "2026-09-18 10:00", 1, "2026-09-20 10:00", time.Time{}},
		{"2026 中秋: Friday off", "2026-09-24 10:00", 1, "2026-09-28 10:00", time.Time{}},
		{"2026 国庆: make-up Saturday after", "2026-09-30 10:00", 3, "2026-10-10 10:00", time.Time{}},
	}
	for _, tt := range tests {
		from := tt.fromTime
		if from.IsZero() {
			from = day(tt.from)
		}
		if got := c.Add(from, tt.n); !got.Equal(day(tt.want)) {
			t.Errorf("%s: Add(%s, %d) = %s, want %s", tt.name, from.In(cst).Format("2006-01-02 15:04"), tt.n,
				got.In(cst).Format("2006-01-02 15:04"), tt.want)
		}
	}
}
