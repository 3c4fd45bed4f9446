package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// blockWriter holds the write connection until the returned release is
// called, so that UpdateShared callers queue up behind it.
func blockWriter(t *testing.T, db *DB) (release func()) {
	t.Helper()
	held, done := make(chan struct{}), make(chan struct{})
	go func() {
		_ = db.Update(context.Background(), func(*Tx) error {
			close(held)
			<-done
			return nil
		})
	}()
	<-held
	return func() { close(done) }
}

func residentCount(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.read.QueryRow("SELECT count(*) FROM residents").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func addResident(id int64) func(context.Context, *Tx) error {
	return func(ctx context.Context, tx *Tx) error {
		_, err := tx.EnsureResident(ctx, id, "", t0)
		return err
	}
}

// Callers that wait for the writer together share one transaction; one
// that fails has its writes and hooks undone, the others' stay; one whose
// context ended before its turn is not run.
func TestUpdateSharedGroups(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	errRefused := errors.New("refused")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()

	type call struct {
		ctx  context.Context
		id   int64
		fail bool
		want error
	}
	calls := []call{
		{ctx, 1, false, nil}, // the leader, alone: it was first while the writer was busy
		{ctx, 2, false, nil},
		{ctx, 3, true, errRefused},
		{cancelled, 4, false, context.Canceled},
		{ctx, 5, false, nil},
	}
	queued := make(chan int, len(calls))
	var sizes []int
	db.group.queued = func(n int) { queued <- n }
	db.group.ran = func(n int) { sizes = append(sizes, n) }

	release := blockWriter(t, db)
	var wg sync.WaitGroup
	errs := make([]error, len(calls))
	var hooksMu sync.Mutex
	hooks := map[int64]bool{}
	for i, c := range calls {
		wg.Go(func() {
			errs[i] = db.UpdateShared(c.ctx, func(ctx context.Context, tx *Tx) error {
				if ctx.Err() != nil {
					return fmt.Errorf("fn was given a cancelled context")
				}
				if err := addResident(c.id)(ctx, tx); err != nil {
					return err
				}
				tx.AfterCommit(func() { hooksMu.Lock(); hooks[c.id] = true; hooksMu.Unlock() })
				if c.fail {
					return errRefused
				}
				return nil
			})
		})
		// Wait until it is in the queue, so the order is known: the first
		// becomes the leader and waits for the writer alone.
		if n := <-queued; i > 0 && n != i {
			t.Fatalf("call %d: queue of %d, want %d", i, n, i)
		}
	}
	release()
	wg.Wait()

	for i, c := range calls {
		if !errors.Is(errs[i], c.want) {
			t.Errorf("resident %d: err %v, want %v", c.id, errs[i], c.want)
		}
	}
	if c, r := db.SharedCommits(); c != 2 || r != 4 {
		t.Errorf("SharedCommits = %d transactions, %d requests; want 2, 4", c, r)
	}
	if fmt.Sprint(sizes) != "[1 3]" {
		t.Errorf("transactions ran %v requests, want [1 3] (the leader alone, then the rest together)", sizes)
	}
	if n := residentCount(t, db); n != 3 {
		t.Errorf("%d residents, want 3 (1, 2 and 5)", n)
	}
	if len(hooks) != 3 || !hooks[1] || !hooks[2] || !hooks[5] {
		t.Errorf("hooks ran for %v, want 1, 2 and 5", hooks)
	}
}

// A request whose savepoint cannot be undone fails the whole shared
// transaction: nobody's writes are committed, everybody hears of it.
func TestUpdateSharedUndoFailureFailsAll(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	queued := make(chan int, 3)
	db.group.queued = func(n int) { queued <- n }
	release := blockWriter(t, db)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	fns := []func(context.Context, *Tx) error{
		addResident(1),
		addResident(2),
		func(ctx context.Context, tx *Tx) error {
			if err := addResident(3)(ctx, tx); err != nil {
				return err
			}
			// Releasing the savepoint here makes the undo fail.
			if _, err := tx.exec(ctx, "RELEASE shared"); err != nil {
				return err
			}
			return errors.New("refused")
		},
	}
	for i, fn := range fns {
		wg.Go(func() { errs[i] = db.UpdateShared(ctx, fn) })
		<-queued
	}
	release()
	wg.Wait()
	if errs[0] != nil {
		t.Fatalf("the leader ran alone and should have committed: %v", errs[0])
	}
	for i := 1; i < 3; i++ {
		if errs[i] == nil {
			t.Errorf("request %d: no error", i)
		}
	}
	if n := residentCount(t, db); n != 1 {
		t.Errorf("%d residents, want 1 (only the leader's)", n)
	}
	// The writer is usable afterwards.
	if err := db.UpdateShared(ctx, addResident(9)); err != nil {
		t.Fatal(err)
	}
}

// Many callers at once: every one returns, and exactly the writes of
// those that succeeded are kept.
func TestUpdateSharedUnderLoad(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	const n = 300
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = db.UpdateShared(ctx, func(ctx context.Context, tx *Tx) error {
				if err := addResident(int64(1000+i))(ctx, tx); err != nil {
					return err
				}
				if i%7 == 0 {
					return errors.New("refused")
				}
				return nil
			})
		})
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case i%7 == 0 && err == nil:
			t.Errorf("request %d should have failed", i)
		case i%7 != 0 && err != nil:
			t.Errorf("request %d: %v", i, err)
		case err == nil:
			ok++
		}
	}
	if got := residentCount(t, db); got != ok {
		t.Errorf("%d residents, want %d", got, ok)
	}
	db.group.mu.Lock()
	defer db.group.mu.Unlock()
	if db.group.running || len(db.group.queue) != 0 {
		t.Errorf("left running=%v with %d queued", db.group.running, len(db.group.queue))
	}
}

// The writer keeps its temporary files (a shared transaction's savepoint
// journals) in memory, except while it recounts the rollup.
func TestWriterTempStore(t *testing.T) {
	db := openTest(t)
	temp := func() int {
		var n int
		if err := db.write.QueryRow("PRAGMA temp_store").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := temp(); n != 2 {
		t.Fatalf("temp_store = %d after Open, want 2 (memory)", n)
	}
	if err := db.RebuildRollup(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := temp(); n != 2 {
		t.Fatalf("temp_store = %d after RebuildRollup, want 2 (memory)", n)
	}
}

// A writer connection opened later — database/sql replaces the writer's
// connection when an Update's context ends mid-transaction — keeps its
// temporary files in memory too.
func TestWriterTempStoreAfterReconnect(t *testing.T) {
	db := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	err := db.Update(ctx, func(tx *Tx) error {
		cancel() // database/sql rolls back and discards the connection
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Update with its context cancelled: %v", err)
	}
	var n int
	if err := db.write.QueryRow("PRAGMA temp_store").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("temp_store = %d on the new writer connection, want 2 (memory)", n)
	}
}

// A fn that panics, or whose AfterCommit hook panics, panics in its own
// caller's goroutine, whichever goroutine ran it, and leaves neither the
// shared transaction nor the other callers behind: their writes are
// committed, a panicking fn's are undone, and the writer goes on.
func TestUpdateSharedPanic(t *testing.T) {
	for _, where := range []string{"fn", "hook"} {
		t.Run(where, func(t *testing.T) {
			db := openTest(t)
			ctx := context.Background()
			queued := make(chan int, 4)
			db.group.queued = func(n int) { queued <- n }
			const panicking = 2
			type result struct {
				i     int
				err   error
				panic any
			}
			results := make(chan result, 4)
			release := blockWriter(t, db)
			for i := range 4 {
				go func() {
					r := result{i: i}
					defer func() { r.panic = recover(); results <- r }()
					r.err = db.UpdateShared(ctx, func(ctx context.Context, tx *Tx) error {
						if err := addResident(int64(i+1))(ctx, tx); err != nil {
							return err
						}
						if i == panicking && where == "fn" {
							panic("boom")
						}
						if i == panicking {
							tx.AfterCommit(func() { panic("boom") })
						}
						return nil
					})
				}()
				<-queued
			}
			release() // 0 runs alone, then 1, 2 and 3 together, run by 1
			for range 4 {
				r := <-results
				switch {
				case r.i == panicking && r.panic == nil:
					t.Errorf("request %d did not panic (err %v)", r.i, r.err)
				case r.i != panicking && r.panic != nil:
					t.Fatalf("request %d panicked with another's panic: %v", r.i, r.panic)
				case r.i != panicking && r.err != nil:
					t.Errorf("request %d: %v", r.i, r.err)
				}
			}
			want := 3 // the panicking fn's writes are undone
			if where == "hook" {
				want = 4 // the hook ran after the commit
			}
			if n := residentCount(t, db); n != want {
				t.Errorf("%d residents, want %d", n, want)
			}
			if err := db.UpdateShared(ctx, addResident(9)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A lone caller's fn, like a sharing one's, runs to the end once its turn
// has come, whatever becomes of its context: it is given a context that is
// not cancelled, and its transaction is not cut short either.
func TestUpdateSharedAloneIgnoresCancelOnceRunning(t *testing.T) {
	db := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	hooked := false
	err := db.UpdateShared(ctx, func(ctx context.Context, tx *Tx) error {
		cancel() // say, the service stops while fn runs
		if err := addResident(1)(ctx, tx); err != nil {
			return err
		}
		tx.AfterCommit(func() { hooked = true })
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateShared: %v", err)
	}
	if n := residentCount(t, db); n != 1 || !hooked {
		t.Errorf("%d residents, hook ran %v; want 1 and true", n, hooked)
	}
}

// More callers than a transaction takes: the first maxGroup share one,
// and the first of the rest, handed the writer, runs the others in the
// next; everyone returns and every write is kept.
func TestUpdateSharedCapsAGroup(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	const n = maxGroup + 6
	queued := make(chan int, n+1)
	var sizes []int
	db.group.queued = func(int) { queued <- 0 }
	db.group.ran = func(k int) { sizes = append(sizes, k) }
	release := blockWriter(t, db)
	var wg sync.WaitGroup
	errs := make([]error, n+1)
	for i := range n + 1 {
		wg.Go(func() { errs[i] = db.UpdateShared(ctx, addResident(int64(i+1))) })
		<-queued
	}
	release()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if want := fmt.Sprint([]int{1, maxGroup, n - maxGroup}); fmt.Sprint(sizes) != want {
		t.Errorf("transactions ran %v requests, want %s", sizes, want)
	}
	if got := residentCount(t, db); got != n+1 {
		t.Errorf("%d residents, want %d", got, n+1)
	}
}
