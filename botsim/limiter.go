package botsim

import (
	"math"
	"time"
)

// Bucket is a sustained rate with a burst: after an idle spell Burst calls
// pass at once, then one per Every (the generic cell rate algorithm).
type Bucket struct {
	Every time.Duration
	Burst int
}

// Window allows at most N calls in any span of length Per.
type Window struct {
	N   int
	Per time.Duration
}

// RateLimits are the flood limits the strict limiter enforces on accepted
// sends and edits. A zero field is not enforced; the zero value is off.
type RateLimits struct {
	PerChat  Bucket // every chat, private or group
	PerGroup Window // chats with a negative id, in addition to PerChat
	Global   Window // the whole bot
}

// TelegramLimits are the limits Telegram documents for bots: about one
// message per second per chat (short bursts tolerated), 20 per minute per
// group and 30 per second overall.
func TelegramLimits() RateLimits {
	return RateLimits{
		PerChat:  Bucket{Every: time.Second, Burst: 3},
		PerGroup: Window{N: 20, Per: time.Minute},
		Global:   Window{N: 30, Per: time.Second},
	}
}

type limiter struct {
	l         RateLimits
	tat       map[int64]time.Time   // per chat: theoretical arrival time
	groups    map[int64][]time.Time // per group: accepted calls within Per
	global    []time.Time
	throttled int
}

func newLimiter(l RateLimits) *limiter {
	return &limiter{l: l, tat: map[int64]time.Time{}, groups: map[int64][]time.Time{}}
}

// allow reports whether a call to chatID may pass at now and records it if
// so; otherwise it returns the whole seconds to wait, as retry_after does.
func (lm *limiter) allow(chatID int64, now time.Time) (retryAfter int, ok bool) {
	var wait time.Duration
	if b := lm.l.PerChat; b.Every > 0 {
		burst := max(b.Burst, 1)
		if tat, seen := lm.tat[chatID]; seen {
			wait = max(wait, tat.Add(-time.Duration(burst-1)*b.Every).Sub(now))
		}
	}
	if w := lm.l.PerGroup; w.N > 0 && chatID < 0 {
		lm.groups[chatID] = prune(lm.groups[chatID], now, w.Per)
		wait = max(wait, windowWait(lm.groups[chatID], now, w))
	}
	if w := lm.l.Global; w.N > 0 {
		lm.global = prune(lm.global, now, w.Per)
		wait = max(wait, windowWait(lm.global, now, w))
	}
	if wait > 0 {
		lm.throttled++
		return int(math.Ceil(wait.Seconds())), false
	}
	if b := lm.l.PerChat; b.Every > 0 {
		tat := lm.tat[chatID]
		if tat.Before(now) {
			tat = now
		}
		lm.tat[chatID] = tat.Add(b.Every)
	}
	if lm.l.PerGroup.N > 0 && chatID < 0 {
		lm.groups[chatID] = append(lm.groups[chatID], now)
	}
	if lm.l.Global.N > 0 {
		lm.global = append(lm.global, now)
	}
	return 0, true
}

// prune drops the times that left the window (now-per, now].
func prune(ts []time.Time, now time.Time, per time.Duration) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-per)) {
		i++
	}
	return ts[i:]
}

// windowWait is how long until one more call fits into a window whose calls
// (already pruned, oldest first) are ts.
func windowWait(ts []time.Time, now time.Time, w Window) time.Duration {
	if len(ts) < w.N {
		return 0
	}
	// The call that must leave first is the (len-N+1)-th oldest.
	oldest := ts[len(ts)-w.N]
	return oldest.Add(w.Per).Sub(now)
}
