package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
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
	ctx  context.Context
	fn   func(context.Context, *Tx) error
	err  error
	lead bool          // set before wake is closed: this request runs the next group
	wake chan struct{} // closed when done, or when made the leader
}

type groupCommit struct {
	mu      sync.Mutex
	queue   []*groupReq
	running bool

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
// hooks run only after the commit.
//
// fn must use the context it is given, which is not cancelled: a statement
// interrupted by a cancelled context would roll back the whole shared
// transaction, other callers' work included. If ctx ends before fn's turn,
// fn is not run and ctx's error is returned.
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
			return r.err
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
	return r.err
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
	if db.group.ran != nil {
		db.group.ran(len(live))
	}
	if len(live) == 1 {
		r := live[0]
		r.err = db.Update(r.ctx, func(t *Tx) error { return r.fn(context.WithoutCancel(r.ctx), t) })
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
	var after []func()
	for _, r := range live {
		t := &Tx{tx: tx}
		if err := t.savepoint(ctx, "shared", func() error { return r.fn(context.WithoutCancel(r.ctx), t) }); err != nil {
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
		after = append(after, t.after...)
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("commit: %w", err))
		return
	}
	for _, f := range after {
		f()
	}
}
