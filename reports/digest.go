package reports

import (
	"context"
	"time"

	"hotline/storage"
	"hotline/taxonomy"
)

// Digest is what the 日调度, 周专题 and 月综合 report.
type Digest struct {
	Period    Period
	Generated time.Time
	New       int // created in the period
	Accepted  int // accepted in the period, whenever created
	Resolved  int // resolved in the period, whenever created
	Overdue   int // created before the period's end, still open, and past a deadline at its end
	PrevNew   int // created in the previous period of the same length

	ByCategory []CategoryCount // new tickets, most first
	ByVillage  []Count
	PrevByCat  map[taxonomy.Category]int

	Total    Rates
	Villages []Rates
	Areas    []Rates
	Handlers []Rates
	Sources  []Rates // by source id (telegram, checkin, visit, phone, walkin, 12345)

	// Backlog is the outbound traffic waiting, for the centre's daily
	// digest; nil when not asked for (see WithBacklog).
	Backlog *Backlog
}

// LoadDigest makes the digest of kind as of at in loc (the whole township).
func LoadDigest(ctx context.Context, tx *storage.Tx, kind PeriodKind, at time.Time, loc *time.Location) (Digest, error) {
	p, err := PeriodFor(kind, at, loc)
	if err != nil {
		return Digest{}, err
	}
	d, err := DigestOf(ctx, tx, storage.Scope{All: true}, p)
	d.Generated = at
	return d, err
}

// DigestOf makes the digest of any period within scope.
func DigestOf(ctx context.Context, tx *storage.Tx, scope storage.Scope, p Period) (Digest, error) {
	d := Digest{Period: p, Generated: p.To}
	sheet, err := LoadSheet(ctx, tx, scope, p)
	if err != nil {
		return d, err
	}
	prev := p.Previous()
	if d.PrevByCat, err = tx.CreatedByCategory(ctx, scope, prev.From, prev.To); err != nil {
		return d, err
	}
	for _, n := range d.PrevByCat {
		d.PrevNew += n
	}
	if d.Accepted, err = tx.CountAccepted(ctx, scope, p.From, p.To); err != nil {
		return d, err
	}
	if d.Resolved, err = tx.CountResolved(ctx, scope, p.From, p.To); err != nil {
		return d, err
	}
	open, err := tx.OpenByVillage(ctx, scope, p.To, p.To)
	if err != nil {
		return d, err
	}
	for _, o := range open {
		d.Overdue += o.Overdue
	}
	d.Total = sheet.Total()
	d.New = d.Total.Tickets
	d.ByCategory, d.ByVillage = sheet.ByCategory(), sheet.ByVillage()
	d.Villages, d.Areas, d.Handlers = sheet.By(ByVillage), sheet.By(ByArea), sheet.By(ByHandler)
	d.Sources = sheet.By(BySource)
	return d, nil
}

// Change compares a count with the previous period's.
type Change struct{ Now, Before int }

// Percent is the change in whole percent (negative for fewer); ok is
// false when the previous period had none.
func (c Change) Percent() (pct int, ok bool) {
	if c.Before == 0 {
		return 0, false
	}
	return (c.Now - c.Before) * 100 / c.Before, true
}

// NewChange compares the new tickets with the previous period's.
func (d Digest) NewChange() Change { return Change{d.New, d.PrevNew} }

// Top is the category with the most new tickets and how it compares with
// the previous period; ok is false when there were none.
func (d Digest) Top() (c CategoryCount, change Change, ok bool) {
	if len(d.ByCategory) == 0 {
		return CategoryCount{}, Change{}, false
	}
	c = d.ByCategory[0]
	return c, Change{c.N, d.PrevByCat[c.Category]}, true
}
