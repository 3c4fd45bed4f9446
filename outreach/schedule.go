package outreach

import (
	"fmt"
	"time"

	"github.com/6tail/lunar-go/calendar"
	"github.com/robfig/cron/v3"
)

// Schedule is a campaign's fire times: the earliest of several cron specs,
// optionally kept only on days a set number of days before the Spring
// Festival. It implements cron.Schedule.
type Schedule struct {
	specs    []cron.Schedule
	raw      []string
	festival []int
	loc      *time.Location
}

// NewSchedule parses standard 5-field specs in loc. A spec that can never
// fire (0 9 31 2 *) is rejected: cron parses it but Next returns zero.
func NewSchedule(specs []string, daysBeforeFestival []int, loc *time.Location) (*Schedule, error) {
	s := &Schedule{raw: specs, festival: daysBeforeFestival, loc: loc}
	for _, spec := range specs {
		p, err := cron.ParseStandard(spec)
		if err != nil {
			return nil, fmt.Errorf("schedule %q: %w", spec, err)
		}
		if p.Next(time.Date(2026, 1, 1, 0, 0, 0, 0, loc)).IsZero() {
			return nil, fmt.Errorf("schedule %q never fires", spec)
		}
		s.specs = append(s.specs, p)
	}
	for _, d := range daysBeforeFestival {
		if d < 0 || d > 60 {
			return nil, fmt.Errorf("spring_festival_days_before %d: want 0..60", d)
		}
	}
	if s.Next(time.Date(2026, 1, 1, 0, 0, 0, 0, loc)).IsZero() {
		return nil, fmt.Errorf("schedule %v never fires", specs)
	}
	return s, nil
}

// String is the specs as written.
func (s *Schedule) String() string { return fmt.Sprint(s.raw) }

// Next returns the first fire time after t, or zero if there is none.
//
// Fire times are wall-clock times in the zone, each at most once: where
// clocks go back (a zone with daylight saving), cron would fire a time in
// the repeated hour twice, an hour apart, and every resident would get
// the campaign twice; the second is dropped. Where clocks go forward, a
// time that does not exist that day does not fire (cron's behaviour);
// Asia/Shanghai has neither.
func (s *Schedule) Next(t time.Time) time.Time {
	t = t.In(s.loc)
	// Steps skip whole days that are not festival days, so the bound is
	// about 13 years of days whatever the spec; it keeps a pathological
	// spec from looping for ever.
	for range 5000 {
		next := s.earliest(t)
		switch {
		case next.IsZero():
			return next
		case repeatedWallClock(next):
			t = next
		case len(s.festival) > 0 && !s.festivalDay(next):
			// Not a festival day: go on from the end of that day,
			// not from the next fire time, or an hourly spec would need
			// thousands of steps to reach the next festival.
			t = time.Date(next.Year(), next.Month(), next.Day()+1, 0, 0, 0, 0, s.loc).Add(-time.Second)
		default:
			return next
		}
	}
	return time.Time{}
}

// repeatedWallClock reports whether t's wall-clock minute already happened
// a little earlier, in the hour repeated when clocks go back (30 minutes,
// 1 or 2 hours in the zones there are).
func repeatedWallClock(t time.Time) bool {
	y, mo, d := t.Date()
	h, mi, _ := t.Clock()
	for _, back := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		e := t.Add(-back)
		ey, emo, ed := e.Date()
		eh, emi, _ := e.Clock()
		if ey == y && emo == mo && ed == d && eh == h && emi == mi {
			return true
		}
	}
	return false
}

func (s *Schedule) earliest(t time.Time) time.Time {
	var best time.Time
	for _, sp := range s.specs {
		if n := sp.Next(t); !n.IsZero() && (best.IsZero() || n.Before(best)) {
			best = n
		}
	}
	return best
}

// NextN returns up to n fire times after t.
func (s *Schedule) NextN(t time.Time, n int) []time.Time {
	var out []time.Time
	for len(out) < n {
		t = s.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}

func (s *Schedule) festivalDay(t time.Time) bool {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for _, y := range []int{t.Year(), t.Year() + 1} {
		f, ok := SpringFestival(y)
		if !ok {
			continue
		}
		for _, d := range s.festival {
			if f.AddDate(0, 0, -d).Equal(day) {
				return true
			}
		}
	}
	return false
}

// SpringFestival returns the Spring Festival (春节, the first day of the
// first lunar month) of a year, as a date at 00:00 UTC to compare calendar
// days. It moves every year, so reminders are scheduled relative to it; the
// lunar calendar library computes it, with no table to run out. ok is
// false outside the years the library is trusted for.
func SpringFestival(year int) (time.Time, bool) {
	if year < 1901 || year > 2099 {
		return time.Time{}, false
	}
	s := calendar.NewLunarFromYmd(year, 1, 1).GetSolar()
	return time.Date(s.GetYear(), time.Month(s.GetMonth()), s.GetDay(), 0, 0, 0, 0, time.UTC), true
}
