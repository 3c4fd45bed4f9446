package bot

import (
	"context"
	"slices"
	"time"

	"hotline/storage"
)

// lanes are the outbox lanes in the order the sender serves them.
var lanes = [...]storage.Lane{storage.LaneTicket, storage.LaneCampaign}

// starvedBatches bounds the ticket rows held, in batches, when none of
// those held can go (all wait for their chats' limits) and more are
// unread: the sender reads on rather than give the slot to a campaign row,
// up to this much memory; beyond it, campaign rows use the slot.
const starvedBatches = 8

// item is one outbox row held in memory until it is settled.
type item struct {
	row       storage.OutboxMessage
	lane      int       // index into lanes
	parts     []string  // the text of a send, split to Telegram's limit
	sent      []int     // Telegram ids of the parts sent so far
	notBefore time.Time // backing off after a failure
}

func (it *item) isEdit() bool { return it.row.Method == "edit" }

func (it *item) isCopy() bool { return it.row.Method == "copy" }

// oneCall reports whether the row goes in one call, never split: an edit
// or a copy. Only a send's text is cut into parts.
func (it *item) oneCall() bool { return it.isEdit() || it.isCopy() }

// senderChat is one chat's queues and limiter state.
//
// Each lane keeps its own queue, and the chat's next call is the head of
// its ticket queue when that may go, else the head of its campaign queue.
// So within one chat a ticket row can overtake a campaign row queued
// earlier, never a row of its own lane. That is right: a campaign message
// and the answer to what the resident just wrote or pressed say nothing
// about each other (a press on a campaign message comes only after it was
// sent), and the answer should not wait a minute behind a chat that the
// same broadcast also reaches; order matters, and is kept, among one
// ticket's notices (accepted before resolved) and among a campaign's.
type senderChat struct {
	id      int64
	queue   [len(lanes)][]*item // id order; the head is the next to go
	busy    bool                // a call is in flight
	pauseTo time.Time           // a 429 meant for this chat
	limit   limiter
	group   limiter // groups only
}

// readyAt is when the chat's own limits let its next call start.
func (c *senderChat) readyAt(now time.Time) time.Time {
	t, _ := c.limit.readyAt(now, 0)
	t = maxTime(t, c.pauseTo)
	if c.id < 0 {
		g, _ := c.group.readyAt(now, 0)
		t = maxTime(t, g)
	}
	return t
}

// laneReadyAt is when the head of lane l may go; ok is false for an empty lane.
func (c *senderChat) laneReadyAt(now time.Time, l int) (time.Time, bool) {
	if len(c.queue[l]) == 0 {
		return time.Time{}, false
	}
	return maxTime(c.readyAt(now), c.queue[l][0].notBefore), true
}

// outcome is what one call came back with.
type outcome struct {
	chat     *senderChat
	it       *item
	msgID    int
	err      error
	started  time.Time
	doneAt   time.Time // when the answer came
	chatIdle bool      // the chat's bucket was full when the call started
}

// laneState is how far the sender has read a lane.
type laneState struct {
	cursor int64 // the highest id read
	held   int   // rows held in memory
	more   bool  // the last read was full: rows wait beyond those held
}

// run is the state of one Sender.Run; only the loop goroutine touches it.
type run struct {
	s     *Sender
	lim   Limits
	store context.Context // outbox writes outlive Run's ctx so that shutdown can record outcomes

	calls       context.Context // parent of the calls in flight
	cancelCalls context.CancelFunc

	chats    map[int64]*senderChat
	lanes    [len(lanes)]laneState
	inFlight int
	results  chan outcome
	global   *adaptive
	pauseTo  time.Time // all chats, after a 429 meant for the bot
	lastDone time.Time // the latest answer handled: answers are counted in time order
	flooded  struct {  // the last 429
		chat int64
		at   time.Time
	}

	fetchNow     bool      // at start, on Notify and when the head moved
	readMore     bool      // no ticket row held can go, and more are unread
	storeRetryAt time.Time // no outbox reads before this, after an error
	storePause   *pause

	rec *recorder
}

func newRun(s *Sender) *run {
	calls, cancel := context.WithCancel(context.Background())
	r := &run{
		s: s, lim: s.limits, store: context.Background(),
		calls: calls, cancelCalls: cancel,
		chats:      map[int64]*senderChat{},
		results:    make(chan outcome, s.limits.InFlight),
		global:     newAdaptive(s.limits.Global),
		fetchNow:   true,
		storePause: newPause(storeRetry, maxStoreRetry),
	}
	r.rec = newRecorder(r.store, s.outbox, s.log)
	return r
}

// restore loads the flood limiter's history: the global rate and every
// message accepted within historySpan, replayed into the buckets, so that
// a restart does not burst past what Telegram still counts.
func (r *run) restore(ctx context.Context) {
	now := r.s.clock.Now()
	h, err := r.s.outbox.SenderHistory(ctx, now.Add(-historySpan))
	if err != nil {
		r.s.log.Warn("sender: limiter history not read; starting with full buckets", "err", err)
		return
	}
	for _, s := range h.Sends {
		c := r.chat(s.ChatID)
		c.limit.accepted(s.At)
		c.group.accepted(s.At)
		r.global.accepted(s.At)
	}
	if h.Rate > 0 {
		r.global.set(now, h.Rate)
		r.global.changed = false
	}
}

func (r *run) chat(id int64) *senderChat {
	c := r.chats[id]
	if c == nil {
		c = &senderChat{id: id, limit: newLimiter(r.lim.PerChat)}
		if id < 0 {
			c.group = newLimiter(r.lim.PerGroup)
		}
		r.chats[id] = c
	}
	return c
}

// needFetch: at start, on a wake, when a lane read full has run low, or
// when ticket rows beyond those held may be ready.
func (r *run) needFetch() bool {
	if r.fetchNow || r.readMore {
		return true
	}
	for _, ls := range r.lanes {
		if ls.more && ls.held <= r.lim.Batch/2 {
			return true
		}
	}
	return false
}

// fetch reads each lane onward from where it last read, up to Batch rows
// held per lane. Rows are read once per run: ids grow in commit order, so
// nothing new can appear below a cursor, and a row stays held (backing
// off, if need be) until it is settled.
func (r *run) fetch(ctx context.Context, now time.Time) {
	for i, lane := range lanes {
		ls := &r.lanes[i]
		room := r.lim.Batch - ls.held
		if i == 0 && r.readMore {
			room = min(r.lim.Batch, starvedBatches*r.lim.Batch-ls.held)
		}
		if room <= 0 {
			ls.more = true
			continue
		}
		if !r.fetchNow && !(i == 0 && r.readMore) && !(ls.more && ls.held <= r.lim.Batch/2) {
			continue
		}
		rows, err := r.s.outbox.Pending(ctx, lane, ls.cursor, room)
		if err != nil {
			if ctx.Err() == nil {
				r.storeFailed(now, err)
			}
			return
		}
		ls.more = len(rows) == room
		for _, row := range rows {
			r.hold(i, row)
			ls.cursor = row.ID
		}
	}
	r.fetchNow, r.readMore = false, false
	r.storePause.reset()
	r.sweep(now)
}

func (r *run) storeFailed(now time.Time, err error) {
	d := r.storePause.next()
	r.storeRetryAt = now.Add(d)
	r.s.log.Error("sender: read pending outbox", "err", err, "retry_in", d)
}

func (r *run) hold(lane int, row storage.OutboxMessage) {
	it := &item{row: row, lane: lane, notBefore: row.NotBefore}
	if !it.oneCall() {
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
	c := r.chat(row.ChatID)
	c.queue[lane] = append(c.queue[lane], it) // read in id order
	r.lanes[lane].held++
}

// sweep forgets chats with nothing queued whose limits have recovered.
func (r *run) sweep(now time.Time) {
	for id, c := range r.chats {
		if c.busy || c.pauseTo.After(now) || !c.limit.idle(now) || !c.group.idle(now) ||
			len(c.queue[0])+len(c.queue[1]) > 0 {
			continue
		}
		delete(r.chats, id)
	}
}

// dispatch starts calls while the global limit and the in-flight cap
// allow: each time the ready ticket row that was queued first, and only
// when no ticket row is ready, the ready campaign row queued first.
// Campaign traffic so uses what ticket traffic leaves of the same limits.
func (r *run) dispatch(ctx context.Context, now time.Time) {
	for r.inFlight < r.lim.InFlight && ctx.Err() == nil {
		if now.Before(r.pauseTo) {
			return
		}
		if at, ok := r.global.readyAt(now, r.inFlight); !ok || at.After(now) {
			return
		}
		c, lane := r.pick(now)
		if c == nil {
			return
		}
		r.start(c, lane, now)
	}
}

func (r *run) pick(now time.Time) (*senderChat, int) {
	for l := range lanes {
		var pick *senderChat
		for _, c := range r.chats {
			if c.busy {
				continue
			}
			if at, ok := c.laneReadyAt(now, l); !ok || at.After(now) {
				continue
			}
			if pick == nil || c.queue[l][0].row.ID < pick.queue[l][0].row.ID {
				pick = c
			}
		}
		if pick != nil {
			return pick, l
		}
		// No ticket row held can go, but unread ones might: read on
		// before a campaign row takes the slot (up to starvedBatches).
		if t := r.lanes[0]; l == 0 && t.more && t.held < starvedBatches*r.lim.Batch {
			r.readMore = true
			return nil, 0
		}
	}
	return nil, 0
}

func (r *run) start(c *senderChat, lane int, now time.Time) {
	it := c.queue[lane][0]
	c.busy = true
	r.inFlight++
	editID := 0
	if it.isEdit() && it.row.EditMessageID == 0 {
		editID = r.rec.unrecordedID(it.row.EditRef) // sent, not yet on disk
	}
	idle := c.limit.idle(now)
	go func() {
		o := r.s.call(r.calls, it, editID)
		o.doneAt = r.s.clock.Now()
		o.chat, o.it, o.started, o.chatIdle = c, it, now, idle
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
			g = maxTime(g, r.pauseTo)
			for _, c := range r.chats {
				if c.busy {
					continue
				}
				for l := range lanes {
					if t, ok := c.laneReadyAt(now, l); ok {
						consider(maxTime(g, t))
					}
				}
			}
		}
	}
	if r.needFetch() {
		consider(r.storeRetryAt)
	}
	if at, ok := r.rec.wakeAt(); ok {
		consider(at)
	}
	return best, have
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
