package bot

import (
	"slices"
	"sync"
)

// chatLocks lets updates of different chats be handled side by side while
// the updates of one chat, and of one person, are handled one at a time
// and in the order they arrived: a registration and the report right
// after it, a 办结 press and the note that follows, must not overtake each
// other.
//
// An update takes its place in the queue of each of its keys (chat and
// person) at once, when it arrives, and may start once it is first in all
// of them. Places are taken for all keys in one step, so the queues agree
// on the order of any two updates and none can wait for another that
// waits for it. Queues exist only while someone is in them, so the map
// stays as small as the number of chats being handled at once.
type chatLocks struct {
	mu     sync.Mutex
	queues map[int64][]*turn

	// waiting, when set, is called when an update must wait for another
	// with the key given; tests use it to know the order is kept.
	waiting func(key int64)
}

// turn is one update's place in the queues of its keys.
type turn struct {
	keys    []int64
	ahead   int   // keys whose queue has another turn before this one
	blocked int64 // the first such key
	ready   chan struct{}
}

// reserve takes a place in the queue of each key (zeros ignored), behind
// everyone already there.
func (c *chatLocks) reserve(keys ...int64) *turn {
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	keys = slices.DeleteFunc(keys, func(k int64) bool { return k == 0 })
	t := &turn{keys: keys, ready: make(chan struct{})}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.queues == nil {
		c.queues = map[int64][]*turn{}
	}
	for _, k := range keys {
		if len(c.queues[k]) > 0 {
			if t.ahead == 0 {
				t.blocked = k
			}
			t.ahead++
		}
		c.queues[k] = append(c.queues[k], t)
	}
	if t.ahead == 0 {
		close(t.ready)
	}
	return t
}

// wait blocks until t is first in every queue it is in.
func (c *chatLocks) wait(t *turn) {
	select {
	case <-t.ready:
		return
	default:
	}
	if c.waiting != nil {
		c.waiting(t.blocked)
	}
	<-t.ready
}

// release leaves the queues, letting whoever is next in them start once
// they are first everywhere.
func (c *chatLocks) release(t *turn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range t.keys {
		q := c.queues[k][1:] // t is first: it waited for that
		if len(q) == 0 {
			delete(c.queues, k)
			continue
		}
		c.queues[k] = q
		next := q[0]
		if next.ahead--; next.ahead == 0 {
			close(next.ready)
		}
	}
}

// lock reserves a place for keys, waits for it and returns its release.
func (c *chatLocks) lock(keys ...int64) (unlock func()) {
	t := c.reserve(keys...)
	c.wait(t)
	return func() { c.release(t) }
}
