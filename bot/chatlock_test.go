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
	if len(c.held) != 0 {
		t.Errorf("%d locks kept", len(c.held))
	}
	c.lock()() // no keys: nothing to wait for
}
