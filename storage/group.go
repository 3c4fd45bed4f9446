package storage

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Group commit. A commit costs about as much as the work of one update
// (BEGIN, writing the dirty pages to the WAL, COMMIT), so when several
// updates wait for the single writer at once, UpdateShared runs them one
// after another in one transaction, each in its own savepoint, and commits
// them together. A lone caller runs at once, in its own transaction as
// with Update; sharing only happens when others are already waiting.
//
// It is leader-based: the caller that finds the writer free takes every
// waiting request, runs them, then hands the writer to the first request
// that arrived meanwhile. No goroutine is started and none is left behind.

// maxGroup bounds a shared transaction, so that no caller waits behind an
// unbounded queue of others, and the WAL grows by a bounded step.
const maxGroup = 64

type groupReq struct {
	ctx   context.Context
	fn    func(context.Context, *Tx) error
	err   error
	after []func()      // fn's AfterCommit hooks, run by its caller once committed
	panic error         // set when fn panicked: its caller panics with it
	lead  bool          // set before wake is closed: this request runs the next group
	wake  chan struct{} // closed when done, or when made the leader
}

// run runs fn in t. A panic is caught and becomes fn's error, so that its
// savepoint is undone, the others' work committed and the writer handed
// on: the caller panics with it, in its own goroutine (finish).
func (r *groupReq) run(t *Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.panic = fmt.Errorf("storage: fn panicked: %v\n%s", p, debug.Stack())
			err = r.panic
		}
	}()
	return r.fn(context.WithoutCancel(r.ctx), t)
}

// finish is the end of r's UpdateShared, in its caller's goroutine: fn's
// panic is raised there, and its hooks run there once it committed, as
// with Update (a hook that panics must not take down whoever led).
func (r *groupReq) finish() error {
	if r.panic != nil {
		panic(r.panic)
	}
	if r.err == nil {
		for _, f := range r.after {
			f()
		}
	}
	return r.err
}

type groupCommit struct {
	mu      sync.Mutex
	queue   []*groupReq
	running bool

	commits, requests atomic.Int64 // SharedCommits

	// Tests set these: queued is called, under mu, with the queue's
	// length each time a request joins it; ran with the number of
	// requests each transaction ran.
	queued func(n int)
	ran    func(n int)
}

// UpdateShared runs fn in a write transaction, which it may share with
// other callers' fns (each in a savepoint of its own, so that one failing
// undoes only its own writes), and returns once the transaction has
// committed. Its guarantees are Update's: fn's writes are committed if it
// returns nil and undone if it returns an error, and its AfterCommit
// hooks run only after the commit, in the caller's goroutine. If fn
// panics, its writes are undone, the others' are not, and UpdateShared
// panics in the caller's goroutine, whichever goroutine ran fn.
//
// fn must use the context it is given, which is not cancelled: a statement
// interrupted by a cancelled context would roll back the whole shared
// transaction, other callers' work included. If ctx ends before fn's turn,
// fn is not run and ctx's error is returned; once fn has started, it runs
// to the end and its writes are committed or undone as it says, whether
// or not ctx ends meanwhile.
func (db *DB) UpdateShared(ctx context.Context, fn func(context.Context, *Tx) error) error {
	r := &groupReq{ctx: ctx, fn: fn, wake: make(chan struct{})}
	g := &db.group
	g.mu.Lock()
	g.queue = append(g.queue, r)
	if g.queued != nil {
		g.queued(len(g.queue))
	}
	if g.running {
		g.mu.Unlock()
		<-r.wake
		if !r.lead {
			return r.finish()
		}
		g.mu.Lock() // the previous leader handed the writer to r
	}
	g.running = true
	batch := g.queue[:min(len(g.queue), maxGroup)]
	g.queue = g.queue[len(batch):]
	g.mu.Unlock()

	db.runGroup(batch)

	g.mu.Lock()
	if len(g.queue) == 0 {
		g.running = false
	} else {
		next := g.queue[0]
		next.lead = true
		close(next.wake)
	}
	g.mu.Unlock()
	for _, o := range batch {
		if o != r {
			close(o.wake)
		}
	}
	return r.finish()
}

// runGroup runs a batch in one transaction and sets each request's error.
func (db *DB) runGroup(batch []*groupReq) {
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	db.group.commits.Add(1)
	db.group.requests.Add(int64(len(live)))
	if db.group.ran != nil {
		db.group.ran(len(live))
	}
	if len(live) == 1 {
		// Not cancelled either: fn has started, and runs to the end as
		// it would in a shared transaction.
		r := live[0]
		r.err = db.Update(context.WithoutCancel(r.ctx), func(t *Tx) error {
			if err := r.run(t); err != nil {
				return err
			}
			r.after, t.after = t.after, nil
			return nil
		})
		return
	}
	fail := func(err error) {
		for _, r := range live {
			if r.err == nil {
				r.err = err
			}
		}
	}
	ctx := context.Background() // no one caller's end may cut the others' transaction short
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	for _, r := range live {
		t := &Tx{tx: tx}
		if err := t.savepoint(ctx, "shared", func() error { return r.run(t) }); err != nil {
			var undo undoError
			if errors.As(err, &undo) {
				// fn's writes may still be in the transaction: nobody's
				// work can be committed with them.
				tx.Rollback()
				fail(err)
				return
			}
			r.err = err
			continue
		}
		r.after = t.after
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("commit: %w", err))
	}
}

// SharedCommits counts UpdateShared's transactions since Open, and the
// requests they ran: how much the writer's commits are being shared
// (/metrics).
func (db *DB) SharedCommits() (transactions, requests int64) {
	return db.group.commits.Load(), db.group.requests.Load()
}
