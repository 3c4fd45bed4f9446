package bot

import (
	"sync"
	"testing"
)

func TestChatLocks(t *testing.T) {
	var c chatLocks
	waited := make(chan int64, 4)
	c.waiting = func(k int64) { waited <- k }

	// Different chats do not wait for each other.
	a := c.lock(1, 1)
	b := c.lock(2, 0)
	select {
	case k := <-waited:
		t.Fatalf("waited for %d", k)
	default:
	}

	// The same chat waits until the holder is done; so does an update
	// sharing only its user with the holder.
	var wg sync.WaitGroup
	order := make(chan string, 2)
	wg.Go(func() {
		unlock := c.lock(1)
		order <- "second of chat 1"
		unlock()
	})
	if k := <-waited; k != 1 {
		t.Fatalf("waited for %d, want 1", k)
	}
	order <- "first of chat 1"
	a()
	wg.Wait()
	if first, second := <-order, <-order; first != "first of chat 1" || second != "second of chat 1" {
		t.Fatalf("order = %q, %q", first, second)
	}

	// Two updates sharing two keys, taken in opposite order, do not
	// deadlock: both are taken in ascending order.
	wg.Go(func() { c.lock(3, 2)() })
	if k := <-waited; k != 2 {
		t.Fatalf("waited for %d, want 2", k)
	}
	b()
	wg.Wait()

	// Nothing is kept once nobody holds or waits.
	if len(c.queues) != 0 {
		t.Errorf("%d locks kept", len(c.queues))
	}
	c.lock()() // no keys: nothing to wait for
}

// Updates start in the order their places were reserved, whatever order
// their goroutines get to run in: the poll loop reserves in update order
// and processes in the background.
func TestChatLocksKeepReservationOrder(t *testing.T) {
	var c chatLocks
	turns := []*turn{
		c.reserve(1, 10), // chat 1, person 10
		c.reserve(2, 10), // the same person in another chat waits for the first
		c.reserve(1, 11), // chat 1 again, another person: waits for the first
		c.reserve(3, 12), // unrelated: starts at once
	}
	select {
	case <-turns[3].ready:
	default:
		t.Fatal("an unrelated chat waits")
	}
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := len(turns) - 1; i >= 0; i-- { // started in reverse
		wg.Go(func() {
			c.wait(turns[i])
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			c.release(turns[i])
		})
	}
	wg.Wait()
	pos := map[int]int{}
	for p, i := range order {
		pos[i] = p
	}
	if pos[0] > pos[1] || pos[0] > pos[2] {
		t.Errorf("order %v: the first update of chat 1 and person 10 did not go first", order)
	}
	if len(c.queues) != 0 {
		t.Errorf("%d queues kept", len(c.queues))
	}
}
