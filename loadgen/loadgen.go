// Package loadgen fills a database with a year of tickets through the
// project's own intake and lifecycle code (tickets.Open, Accept, Resolve,
// Rate, Unresolved and CheckDeadline over the demo roster), for benchmarks
// and for trying the reports and the desk at scale:
//
//	hotline gen --tickets 1000000 --db big.db
//
// The spreads are those of a busy year: villages weighted by households
// (town communities write far more), categories weighted, most tickets
// accepted and resolved in time, some late, a few neglected until the
// deadline job escalates them, ratings mostly 4–5, some 未解决. Times run
// over the year before End; the tickets of the last days are still open.
// Everything is seeded: a size and a seed always give the same history.
package loadgen

import (
	"container/heap"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"hotline/assets"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// Options says what to generate. Zero fields take the defaults.
type Options struct {
	Tickets   int
	Residents int                   // default 20,000
	End       time.Time             // the year ends here; default now
	Seed      uint64                // default 1
	Batch     int                   // operations per transaction; default 2,000
	Progress  func(done, total int) // after every transaction; may be nil
}

// Stats says what a generation did.
type Stats struct {
	Tickets     int
	Accepted    int
	Resolved    int
	Rated       int
	Reopened    int
	Escalations int
}

// action is one thing that happens to the history at a time.
type action struct {
	at     time.Time
	kind   int
	ticket storage.TicketID
	n      int // open: the ticket's index; rate: the stars
}

const (
	doOpen = iota
	doAccept
	doResolve
	doRate
	doUnresolved
	doCheck // the deadline job's look at a neglected ticket
)

// queue orders actions by time.
type queue []action

func (q queue) Len() int           { return len(q) }
func (q queue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q queue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)        { *q = append(*q, x.(action)) }
func (q *queue) Pop() any {
	old := *q
	a := old[len(old)-1]
	*q = old[:len(old)-1]
	return a
}

// gen is one generation in progress.
type gen struct {
	db       *storage.DB
	a        *assets.Assets
	svc      *tickets.Service
	rnd      *rand.Rand
	now      time.Time
	end      time.Time
	villages []roster.Village
	weights  []float64 // cumulative, by village
	cats     []taxonomy.Category
	catW     []float64 // cumulative, by category
	base     int64     // first resident id
	nres     int
	stats    Stats
	q        queue
}

// Generate fills db (an open, migrated database) with opts.Tickets tickets
// over the demo roster, which it imports if the database has none.
func Generate(ctx context.Context, db *storage.DB, opts Options) (Stats, error) {
	if opts.Residents <= 0 {
		opts.Residents = 20000
	}
	if opts.End.IsZero() {
		opts.End = time.Now()
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Batch <= 0 {
		opts.Batch = 2000
	}
	g := &gen{db: db, rnd: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)), end: opts.End,
		base: 8_000_000_000, nres: opts.Residents}
	start := opts.End.AddDate(-1, 0, 0)
	g.now = start
	g.svc = tickets.New(routing.DefaultPolicy(), func() time.Time { return g.now }, slog.New(slog.DiscardHandler), nil)
	if err := g.setUp(ctx); err != nil {
		return g.stats, err
	}
	// Creation times: uniform over the year, in order.
	step := opts.End.Sub(start) / time.Duration(opts.Tickets+1)
	for i := range opts.Tickets {
		at := start.Add(step*time.Duration(i+1) + time.Duration(g.rnd.Int64N(int64(step))))
		heap.Push(&g.q, action{at: at, kind: doOpen, n: i})
	}
	done := 0
	for g.q.Len() > 0 && !g.q[0].at.After(opts.End) {
		n := 0
		err := db.Update(ctx, func(tx *storage.Tx) error {
			for ; n < opts.Batch && g.q.Len() > 0 && !g.q[0].at.After(opts.End); n++ {
				act := heap.Pop(&g.q).(action)
				g.now = act.at
				if err := g.do(ctx, tx, act); err != nil {
					return fmt.Errorf("generate at %s: %w", act.at.Format(time.RFC3339), err)
				}
				if act.kind == doOpen {
					done++
				}
			}
			// As if the sender had sent everything: no backlog of a year.
			return tx.MarkPendingSent(ctx, g.now)
		})
		if err != nil {
			return g.stats, err
		}
		if opts.Progress != nil {
			opts.Progress(done, opts.Tickets)
		}
	}
	return g.stats, nil
}

// setUp imports the demo roster (unless there is one), and registers and
// starts the staff and the residents.
func (g *gen) setUp(ctx context.Context) error {
	return g.db.Update(ctx, func(tx *storage.Tx) error {
		if err := tx.LargeCache(ctx, 256); err != nil {
			return err
		}
		r, ok, err := tx.Roster(ctx)
		if err != nil {
			return err
		}
		if !ok {
			r = roster.Demo()
			if err := tx.ReplaceRoster(ctx, r, "generated", g.now); err != nil {
				return err
			}
		}
		g.a = assets.New(0, r, nil)
		g.villages = r.Villages
		total := 0.0
		for _, v := range r.Villages {
			total += float64(max(v.Households, 50))
			g.weights = append(g.weights, total)
		}
		for i, c := range taxonomy.Categories {
			total := 0.0
			if i > 0 {
				total = g.catW[i-1]
			}
			g.cats = append(g.cats, c)
			g.catW = append(g.catW, total+categoryWeight(c))
		}
		for _, s := range r.Staff {
			if err := tx.MarkStarted(ctx, int64(s.TelegramID), g.now); err != nil {
				return err
			}
		}
		for i := range g.nres {
			id := g.base + int64(i)
			if _, err := tx.EnsureResident(ctx, id, fmt.Sprintf("居民%d", i), g.now); err != nil {
				return err
			}
			if err := tx.SetResidentVillage(ctx, id, g.pickVillage().Name, g.now); err != nil {
				return err
			}
			if err := tx.MarkStarted(ctx, id, g.now); err != nil {
				return err
			}
		}
		return nil
	})
}

// categoryWeight is how often a category comes in a year, roughly.
func categoryWeight(c taxonomy.Category) float64 {
	switch c {
	case taxonomy.Roads, taxonomy.Sanitation, taxonomy.Water, taxonomy.Heating, taxonomy.Power:
		return 10
	case taxonomy.Consultation, taxonomy.Dispute, taxonomy.Welfare:
		return 6
	case taxonomy.Other, taxonomy.Feedback:
		return 2
	}
	return 3
}

func pick(cum []float64, r *rand.Rand) int {
	x := r.Float64() * cum[len(cum)-1]
	for i, w := range cum {
		if x < w {
			return i
		}
	}
	return len(cum) - 1
}

func (g *gen) pickVillage() roster.Village { return g.villages[pick(g.weights, g.rnd)] }

// later schedules an action d after now.
func (g *gen) later(d time.Duration, kind int, id storage.TicketID, n int) {
	heap.Push(&g.q, action{at: g.now.Add(d), kind: kind, ticket: id, n: n})
}

// within is a random duration up to d.
func (g *gen) within(d time.Duration) time.Duration {
	return time.Duration(g.rnd.Int64N(int64(d))) + time.Second
}
