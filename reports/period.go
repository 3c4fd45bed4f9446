package reports

import (
	"fmt"
	"time"
)

// PeriodKind names a digest's period.
type PeriodKind string

// Period kinds. Custom is any span the desk or the API asks for.
const (
	Daily   PeriodKind = "daily"   // 日调度: the day so far
	Weekly  PeriodKind = "weekly"  // 周专题: the seven days before
	Monthly PeriodKind = "monthly" // 月综合: the previous calendar month
	Custom  PeriodKind = "custom"
)

// Period is the stretch of time a report covers: [From, To).
type Period struct {
	Kind     PeriodKind
	From, To time.Time
}

// PeriodFor is the period of a digest made at at in loc: daily is the day
// so far, weekly the seven days before at, monthly the previous calendar
// month (the 月综合 goes out on the 1st).
func PeriodFor(kind PeriodKind, at time.Time, loc *time.Location) (Period, error) {
	l := at.In(loc)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	switch kind {
	case Daily:
		return Period{kind, midnight, at}, nil
	case Weekly:
		return Period{kind, at.AddDate(0, 0, -7), at}, nil
	case Monthly:
		first := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
		return Period{kind, first.AddDate(0, -1, 0), first}, nil
	}
	return Period{}, fmt.Errorf("digest %q: want daily, weekly or monthly", kind)
}

// Between is a custom period [from, to), e.g. from the desk's date range.
func Between(from, to time.Time) (Period, error) {
	if !from.Before(to) {
		return Period{}, fmt.Errorf("period %s – %s: the start must be before the end", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	return Period{Custom, from, to}, nil
}

// Previous is the period of the same length just before p, for trends: the
// calendar month before a monthly one.
func (p Period) Previous() Period {
	if p.Kind == Monthly {
		return Period{p.Kind, p.From.AddDate(0, -1, 0), p.From}
	}
	return Period{p.Kind, p.From.Add(-p.To.Sub(p.From)), p.From}
}
