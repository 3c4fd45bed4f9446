package bot

import (
	"slices"
	"sync"
)

// chatLocks lets updates of different chats be handled side by side while
// the updates of one chat, and of one person, are handled one at a time:
// a registration and the report right after it, a 办结 press and the note
// that follows, must not overtake each other. Locks exist only while
// someone holds or waits for them, so the map stays as small as the
// number of chats being handled at once.
type chatLocks struct {
	mu   sync.Mutex
	held map[int64]*keyLock

	// waiting, when set, is called when a lock is taken by another update
	// and this one must wait; tests use it to know the order is kept.
	waiting func(key int64)
}

type keyLock struct {
	sync.Mutex
	refs int // holders and waiters
}

// lock takes the locks of keys (zeros ignored) and returns their release.
// They are taken in ascending order, so two updates sharing two keys
// cannot each hold one and wait for the other.
func (c *chatLocks) lock(keys ...int64) (unlock func()) {
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	keys = slices.DeleteFunc(keys, func(k int64) bool { return k == 0 })
	ls := make([]*keyLock, len(keys))
	c.mu.Lock()
	if c.held == nil {
		c.held = map[int64]*keyLock{}
	}
	for i, k := range keys {
		l := c.held[k]
		if l == nil {
			l = &keyLock{}
			c.held[k] = l
		}
		l.refs++
		ls[i] = l
	}
	c.mu.Unlock()
	for i, l := range ls {
		if !l.TryLock() {
			if c.waiting != nil {
				c.waiting(keys[i])
			}
			l.Lock()
		}
	}
	return func() {
		for i := len(ls) - 1; i >= 0; i-- {
			ls[i].Unlock()
		}
		c.mu.Lock()
		for i, k := range keys {
			if ls[i].refs--; ls[i].refs == 0 {
				delete(c.held, k)
			}
		}
		c.mu.Unlock()
	}
}
