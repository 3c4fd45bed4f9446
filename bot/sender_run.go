package bot

import (
	"cmp"
	"context"
	"slices"
	"time"

	"hotline/storage"
)

// item is one outbox row held in memory until it is settled.
type item struct {
	row   storage.OutboxMessage
	parts []string // the text of a send, split to Telegram's limit
	sent  []int    // Telegram ids of the parts sent so far
}

func (it *item) isEdit() bool { return it.row.Method == "edit" }

// senderChat is one chat's queue and limiter state.
type senderChat struct {
	id      int64
	queue   []*item // id order; the head is the next to go
	busy    bool    // a call is in flight
	pauseTo time.Time
	bucket  bucket
	group   window // groups only
}

// readyAt is when the chat's own limits let its next call start.
func (c *senderChat) readyAt(now time.Time) time.Time {
	t := c.bucket.readyAt(now)
	if c.pauseTo.After(t) {
		t = c.pauseTo
	}
	if c.id < 0 {
		if g, ok := c.group.readyAt(now, 0); ok && g.After(t) {
			t = g
		}
	}
	return t
}

// outcome is what one call came back with.
type outcome struct {
	chat  *senderChat
	it    *item
	msgID int
	err   error
}

// run is the state of one Sender.Run; only the loop goroutine touches it.
type run struct {
	s     *Sender
	lim   Limits
	store context.Context // outbox writes outlive Run's ctx so that shutdown can record outcomes

	calls       context.Context // parent of the calls in flight
	cancelCalls context.CancelFunc

	chats    map[int64]*senderChat
	held     map[int64]*item
	inFlight int
	results  chan outcome
	global   window
	pauseTo  time.Time // all chats, after a 429

	fetchNow       bool      // at start and on Notify
	more           bool      // the last fetch was full: rows wait beyond those held
	doneSinceFetch int       // calls finished since the last fetch
	dueAt          time.Time // when a row not held becomes due (zero: none known)
	storeRetryAt   time.Time // no outbox reads before this, after an error
	storePause     time.Duration

	unmarked    map[int64][]int // sent rows whose MarkSent failed, with their ids
	markRetryAt time.Time
	markPause   time.Duration
}

func newRun(s *Sender) *run {
	calls, cancel := context.WithCancel(context.Background())
	return &run{
		s: s, lim: s.limits, store: context.Background(),
		calls: calls, cancelCalls: cancel,
		chats:    map[int64]*senderChat{},
		held:     map[int64]*item{},
		results:  make(chan outcome, s.limits.InFlight),
		global:   window{lim: s.limits.Global},
		fetchNow: true,
		unmarked: map[int64][]int{},
	}
}

func (r *run) needFetch(now time.Time) bool {
	return r.fetchNow ||
		(!r.dueAt.IsZero() && !now.Before(r.dueAt)) ||
		(r.more && len(r.held) < r.lim.Batch && r.doneSinceFetch > 0)
}

// fetch reads the due rows. It asks for as many rows as it holds plus a
// batch: Due orders by id, so the held rows come first and the batch is
// what lies beyond them.
func (r *run) fetch(ctx context.Context, now time.Time) {
	limit := len(r.held) + r.lim.Batch
	rows, err := r.s.outbox.Due(ctx, now, limit)
	if err != nil {
		if ctx.Err() == nil {
			r.storeFailed(now, "read due outbox", err)
		}
		return
	}
	r.storePause, r.fetchNow, r.doneSinceFetch, r.dueAt = 0, false, 0, time.Time{}
	r.more = len(rows) == limit
	for _, row := range rows {
		if r.held[row.ID] != nil || r.unmarked[row.ID] != nil {
			continue
		}
		r.hold(row)
	}
	if len(r.held) == 0 {
		at, ok, err := r.s.outbox.NextDue(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			r.storeFailed(now, "read next due", err)
			r.fetchNow = true
		case ok && at.After(now):
			r.dueAt = at
		}
	}
	r.sweep(now)
}

func (r *run) storeFailed(now time.Time, what string, err error) {
	r.storePause = min(max(2*r.storePause, storeRetry), maxStoreRetry)
	r.storeRetryAt = now.Add(r.storePause)
	r.s.log.Error("sender: "+what, "err", err, "retry_in", r.storePause)
}

func (r *run) hold(row storage.OutboxMessage) {
	it := &item{row: row}
	if !it.isEdit() {
		it.parts = splitHTML(row.Text, maxTextUnits)
		if len(it.parts) == 0 {
			it.parts = []string{row.Text} // blank: let Telegram refuse it
		}
		// Parts sent before a restart are not sent again. (More parts
		// than the text has now cannot be ours: send it whole.)
		if n := len(row.SentParts); n > 0 && n < len(it.parts) {
			it.sent = slices.Clone(row.SentParts)
		}
	}
	c := r.chats[row.ChatID]
	if c == nil {
		c = &senderChat{id: row.ChatID, bucket: bucket{lim: r.lim.PerChat}, group: window{lim: r.lim.PerGroup}}
		r.chats[row.ChatID] = c
	}
	i, _ := slices.BinarySearchFunc(c.queue, row.ID, func(x *item, id int64) int { return cmp.Compare(x.row.ID, id) })
	c.queue = slices.Insert(c.queue, i, it)
	r.held[row.ID] = it
}

// sweep forgets chats with nothing queued whose limits have recovered.
func (r *run) sweep(now time.Time) {
	for id, c := range r.chats {
		if len(c.queue) > 0 || c.busy || c.pauseTo.After(now) || !c.bucket.idle(now) {
			continue
		}
		if c.group.prune(now); len(c.group.times) > 0 {
			continue
		}
		delete(r.chats, id)
	}
}

// dispatch starts calls while the global limit, the in-flight cap and
// some chat allow; each time the ready chat whose next row is oldest.
func (r *run) dispatch(ctx context.Context, now time.Time) {
	for r.inFlight < r.lim.InFlight && ctx.Err() == nil {
		if now.Before(r.pauseTo) {
			return
		}
		if at, ok := r.global.readyAt(now, r.inFlight); !ok || at.After(now) {
			return
		}
		var pick *senderChat
		for _, c := range r.chats {
			if c.busy || len(c.queue) == 0 || c.readyAt(now).After(now) {
				continue
			}
			if pick == nil || c.queue[0].row.ID < pick.queue[0].row.ID {
				pick = c
			}
		}
		if pick == nil {
			return
		}
		r.start(pick)
	}
}

func (r *run) start(c *senderChat) {
	it := c.queue[0]
	c.busy = true
	r.inFlight++
	editID := 0
	if it.isEdit() && it.row.EditMessageID == 0 {
		if ids := r.unmarked[it.row.EditRef]; len(ids) > 0 {
			editID = ids[len(ids)-1] // sent, not yet recorded
		}
	}
	go func() {
		o := r.s.call(r.calls, it, editID)
		o.chat, o.it = c, it
		r.results <- o
	}()
}

// nextWake is the earliest moment something can move without an outcome
// or a Notify; ok is false when nothing is waiting on time.
func (r *run) nextWake(now time.Time) (time.Time, bool) {
	var best time.Time
	have := false
	consider := func(t time.Time) {
		if !have || t.Before(best) {
			best, have = t, true
		}
	}
	if r.inFlight < r.lim.InFlight {
		if g, ok := r.global.readyAt(now, r.inFlight); ok {
			if r.pauseTo.After(g) {
				g = r.pauseTo
			}
			var chat time.Time
			found := false
			for _, c := range r.chats {
				if c.busy || len(c.queue) == 0 {
					continue
				}
				if t := c.readyAt(now); !found || t.Before(chat) {
					chat, found = t, true
				}
			}
			if found {
				consider(maxTime(g, chat))
			}
		}
	}
	if !r.dueAt.IsZero() {
		consider(r.dueAt)
	}
	if r.needFetch(now) {
		consider(r.storeRetryAt)
	}
	if len(r.unmarked) > 0 {
		consider(r.markRetryAt)
	}
	return best, have
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// remark retries recording rows that were sent but not marked.
func (r *run) remark(now time.Time) {
	for id, ids := range r.unmarked {
		if err := r.s.outbox.MarkSent(r.store, id, ids, now); err != nil {
			r.markPause = min(max(2*r.markPause, storeRetry), maxStoreRetry)
			r.markRetryAt = now.Add(r.markPause)
			r.s.log.Error("sender: mark sent", "outbox_id", id, "err", err, "retry_in", r.markPause)
			return
		}
		delete(r.unmarked, id)
	}
	r.markPause = 0
}
