package bot

import "time"

// RateBucket is a sustained rate with a burst: after an idle spell Burst
// messages may go at once, then one per Every.
type RateBucket struct {
	Every time.Duration
	Burst int
}

// RateWindow allows at most N messages in any span of length Per.
type RateWindow struct {
	N   int
	Per time.Duration
}

// Limits bound what the sender asks of Telegram. A zero rate is unlimited.
type Limits struct {
	Global   RateWindow // the whole bot
	PerChat  RateBucket // every chat
	PerGroup RateWindow // group chats (negative ids), on top of PerChat
	InFlight int        // requests at once (default 8)
	Batch    int        // rows read per fetch beyond those held (default 500)
}

// DefaultLimits stay under Telegram's documented limits (30 messages a
// second overall, about one a second per chat, 20 a minute per group) with
// room for clock skew.
func DefaultLimits() Limits {
	return Limits{
		Global:   RateWindow{N: 25, Per: time.Second},
		PerChat:  RateBucket{Every: time.Second, Burst: 3},
		PerGroup: RateWindow{N: 20, Per: time.Minute},
		InFlight: 8,
		Batch:    500,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.InFlight <= 0 {
		l.InFlight = d.InFlight
	}
	if l.Batch <= 0 {
		l.Batch = d.Batch
	}
	return l
}

// The limiters count a message when its request completes, not when it
// starts, and count a request in flight as already arrived: Telegram sees
// it somewhere in between. That makes the sender's view never more generous
// than Telegram's, however long requests take or however they interleave.

// bucket is RateBucket by the generic cell rate algorithm. It is used per
// chat, where at most one request is in flight.
type bucket struct {
	lim RateBucket
	tat time.Time // theoretical arrival time of the next message
}

// readyAt is the earliest time another message may start.
func (b *bucket) readyAt(now time.Time) time.Time {
	if b.lim.Every <= 0 || b.tat.IsZero() {
		return now
	}
	t := b.tat.Add(-time.Duration(max(b.lim.Burst, 1)-1) * b.lim.Every)
	if t.Before(now) {
		return now
	}
	return t
}

// done records a message that completed at at.
func (b *bucket) done(at time.Time) {
	if b.lim.Every <= 0 {
		return
	}
	if b.tat.Before(at) {
		b.tat = at
	}
	b.tat = b.tat.Add(b.lim.Every)
}

// idle reports whether the bucket is full again, so its state can go.
func (b *bucket) idle(now time.Time) bool { return !b.tat.After(now) }

// window is RateWindow over completion times, oldest first.
type window struct {
	lim   RateWindow
	times []time.Time
}

func (w *window) prune(now time.Time) {
	i := 0
	for i < len(w.times) && !w.times[i].After(now.Add(-w.lim.Per)) {
		i++
	}
	w.times = w.times[i:]
}

// readyAt is the earliest time another message may start with inFlight
// requests outstanding; ok is false when only a completion can make room.
func (w *window) readyAt(now time.Time, inFlight int) (at time.Time, ok bool) {
	if w.lim.N <= 0 {
		return now, true
	}
	w.prune(now)
	room := w.lim.N - inFlight
	if room <= 0 {
		return time.Time{}, false
	}
	if len(w.times) < room {
		return now, true
	}
	// The completion that must leave the window first.
	return w.times[len(w.times)-room].Add(w.lim.Per), true
}

func (w *window) done(at time.Time) {
	if w.lim.N > 0 {
		w.times = append(w.times, at)
	}
}
