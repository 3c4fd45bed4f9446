package bot

import (
	"math"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a sustained rate with a burst, a token bucket: one message per
// Every, and after an idle spell up to Burst at once. A zero Every is
// unlimited.
type Rate struct {
	Every time.Duration
	Burst int
}

// Limits bound what the sender asks of Telegram.
type Limits struct {
	Global   Rate // the whole bot; lowered after 429s, see adaptive
	PerChat  Rate // every chat
	PerGroup Rate // group chats (negative ids), on top of PerChat
	InFlight int  // requests at once (default 8)
	Batch    int  // rows of each lane held in memory (default 500)
	// Watch is how often the sender looks for rows another process wrote
	// (default 250 ms); rows written in this process wake it at once.
	Watch time.Duration
}

// DefaultLimits stay under Telegram's documented limits: 30 messages a
// second overall (25 a second with a burst of 5 never puts more than 30
// into any second), about one a second per chat with short bursts, and 20
// a minute per group (one per 3 s with no burst never puts 21 into a
// minute).
func DefaultLimits() Limits {
	return Limits{
		Global:   Rate{Every: 40 * time.Millisecond, Burst: 5},
		PerChat:  Rate{Every: time.Second, Burst: 3},
		PerGroup: Rate{Every: 3 * time.Second, Burst: 1},
		InFlight: 8,
		Batch:    500,
		Watch:    250 * time.Millisecond,
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
	if l.Watch <= 0 {
		l.Watch = d.Watch
	}
	return l
}

// limiter is a token bucket (golang.org/x/time/rate) that counts a message
// when Telegram accepted it, not when its request started, and counts a
// request in flight as already arrived: Telegram sees it somewhere in
// between. A request may start only when the tokens cover it and every
// request still in flight; its token is taken when it completes
// (ReserveN at that time), and only if it may have been accepted. So the
// sender's count is never more generous than Telegram's, however long
// requests take: Reservation.CancelAt cannot undo a reservation whose time
// has passed, which rules out reserving at the start and cancelling a
// refusal. It also means at most Burst requests are in flight under one
// bucket.
//
// A nil limiter is unlimited.
type limiter struct{ lim *rate.Limiter }

func newLimiter(r Rate) limiter {
	if r.Every <= 0 {
		return limiter{}
	}
	return limiter{rate.NewLimiter(rate.Every(r.Every), max(r.Burst, 1))}
}

// readyAt is the earliest time another request may start with inFlight
// requests outstanding; ok is false when only a completion can make room.
func (l limiter) readyAt(now time.Time, inFlight int) (at time.Time, ok bool) {
	if l.lim == nil {
		return now, true
	}
	need := float64(inFlight + 1)
	if need > float64(l.lim.Burst()) {
		return time.Time{}, false
	}
	// A hair of slack for the bucket's float arithmetic, which may leave a
	// token a trillionth short at the very nanosecond it is due; a
	// billionth would already let a request go a nanosecond early at one
	// a second, and Telegram counts exactly.
	missing := need - l.lim.TokensAt(now)
	if missing <= 1e-12 {
		return now, true
	}
	return now.Add(time.Duration(math.Ceil(missing / float64(l.lim.Limit()) * float64(time.Second)))), true
}

// accepted counts a message Telegram accepted (or may have) at at.
func (l limiter) accepted(at time.Time) {
	if l.lim != nil {
		l.lim.ReserveN(at, 1)
	}
}

// idle reports whether the bucket is full again, so its state can go.
func (l limiter) idle(now time.Time) bool {
	return l.lim == nil || l.lim.TokensAt(now) >= float64(l.lim.Burst())
}

// The global rate adapts, as TCP finds a link's capacity: additive
// increase, multiplicative decrease. Each 429 that the sender blames on
// the bot's own limit (see run.flood) cuts the rate to cutFactor of what
// it was, once per storm; each accepted message then raises it by
// 1/(raise·rate), one message a second more for every raise of sending
// at full speed, up to the configured rate. The burst shrinks with the
// rate, so that a bucket refilled during a pause does not overshoot what
// Telegram allows. Telegram's capacity for a bot is not documented and
// changes; a fixed rate above it is refused again and again (59% of calls
// in a storm, measured), one below it wastes what is there.
const (
	cutFactor = 0.7
	raiseSpan = 10 * time.Second
	floorRate = 1.0 // messages a second; never cut below
)

// adaptive is the global limiter with its adaptive rate.
type adaptive struct {
	limiter
	ceiling float64   // the configured rate, messages a second
	burst   float64   // the configured burst
	cutAt   time.Time // the last cut: a 429 for a call started before it is the same storm
	changed bool      // the rate changed since it was last saved
}

func newAdaptive(r Rate) *adaptive {
	a := &adaptive{limiter: newLimiter(r)}
	if a.lim != nil {
		a.ceiling, a.burst = float64(a.lim.Limit()), float64(a.lim.Burst())
	}
	return a
}

// rate is the current rate in messages a second; 0 when unlimited.
func (a *adaptive) rate() float64 {
	if a.lim == nil {
		return 0
	}
	return float64(a.lim.Limit())
}

// set changes the rate to r (within the floor and the ceiling) at now.
func (a *adaptive) set(now time.Time, r float64) {
	if a.lim == nil {
		return
	}
	r = min(max(r, floorRate), a.ceiling)
	if r == a.rate() {
		return
	}
	a.lim.SetLimitAt(now, rate.Limit(r))
	a.lim.SetBurstAt(now, max(1, int(math.Round(a.burst*r/a.ceiling))))
	a.changed = true
}

// cut lowers the rate after a 429 for a call that started at started. A
// storm refuses every call in flight; only a refusal of a call started
// after the last cut cuts again.
func (a *adaptive) cut(now, started time.Time) bool {
	if a.lim == nil || (!a.cutAt.IsZero() && !started.After(a.cutAt)) {
		return false
	}
	a.cutAt = now
	a.set(now, a.rate()*cutFactor)
	return true
}

// raise lets the rate creep back up after an accepted message.
func (a *adaptive) raise(now time.Time) {
	if r := a.rate(); r > 0 && r < a.ceiling {
		a.set(now, r+1/(raiseSpan.Seconds()*r))
	}
}
