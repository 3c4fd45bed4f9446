// Package workdays counts China's working days: Monday to Friday, less the
// public holidays, plus the weekend days worked in exchange (调休). 12345
// work orders count their deadlines in working days from dispatch.
//
// The holiday table is github.com/6tail/lunar-go's, which follows the
// State Council's yearly notice; a year the notice has not covered yet
// counts weekends only, so the module is updated when the notice comes
// out (usually in November).
package workdays

import (
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Calendar answers working-day questions for dates in one time zone.
type Calendar struct {
	loc *time.Location
}

// New returns the calendar of dates as seen in loc.
func New(loc *time.Location) *Calendar { return &Calendar{loc: loc} }

// Day says what kind of day a date is.
type Day struct {
	Work    bool   // a working day
	Holiday string // the holiday it is, or is worked in exchange for (春节, 国庆节); "" for an ordinary day
}

// On says what kind of day t falls on.
func (c *Calendar) On(t time.Time) Day {
	l := t.In(c.loc)
	if h := HolidayUtil.GetHolidayByYmd(l.Year(), int(l.Month()), l.Day()); h != nil {
		return Day{Work: h.IsWork(), Holiday: h.GetName()}
	}
	wd := l.Weekday()
	return Day{Work: wd != time.Saturday && wd != time.Sunday}
}

// IsWorkday reports whether t falls on a working day.
func (c *Calendar) IsWorkday(t time.Time) bool { return c.On(t).Work }

// Add is the deadline n working days after from. From a working day it is
// the same time of day n working days later; from a day off the count
// starts at the beginning of the next working day, so an order dispatched
// on Saturday with one working day is due when Monday ends.
func (c *Calendar) Add(from time.Time, n int) time.Time {
	t := from.In(c.loc)
	if c.IsWorkday(t) {
		for ; n > 0; n-- {
			t = c.nextWorkday(t.AddDate(0, 0, 1))
		}
		return t
	}
	t = c.nextWorkday(midnight(t))
	if n == 0 {
		return t
	}
	for ; n > 1; n-- {
		t = c.nextWorkday(t.AddDate(0, 0, 1))
	}
	return t.AddDate(0, 0, 1) // the end of the n-th working day
}

// nextWorkday is t moved forward by whole days until it is on a working
// day (t itself when it already is).
func (c *Calendar) nextWorkday(t time.Time) time.Time {
	for !c.IsWorkday(t) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}
