package bot

import (
	"context"
	"log/slog"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// SenderAPI is the part of the Bot API the sender calls; *tg.Bot is one.
type SenderAPI interface {
	SendMessage(ctx context.Context, params *tg.SendMessageParams) (*models.Message, error)
	EditMessageText(ctx context.Context, params *tg.EditMessageTextParams) (*models.Message, error)
	CopyMessage(ctx context.Context, params *tg.CopyMessageParams) (*models.MessageID, error)
}

// Clock is the sender's time. After must fire once d has passed on this
// clock; a test clock may simply move itself forward by d and fire at once,
// which makes the sender run in virtual time.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now is time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// After is time.After.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

const (
	requestTimeout = 30 * time.Second // one Bot API call
	drainTimeout   = 10 * time.Second // in-flight calls and bookkeeping at shutdown
	minBackoff     = 2 * time.Second  // a row after a 5xx or network error; doubles
	maxBackoff     = 5 * time.Minute
	storeRetry     = time.Second // after an outbox error; doubles
	maxStoreRetry  = time.Minute
	historySpan    = time.Minute // the longest window a limit looks back (a group's)
)

// Sender drains the outbox into Telegram under the flood limits.
//
// Ticket traffic goes first: the sender reads both lanes of the outbox and
// starts a campaign row only when no ticket row can go (see dispatch), so
// a report's card never waits behind a broadcast; both share the same
// global and per-chat limits. Within a lane, one chat's rows go out one at
// a time in id order; a chat that must wait (its own limit, a 429, a
// backoff) does not hold up the others.
//
// A "copy" row (a resident's photo, voice or place for the handler) is
// one copyMessage call; it is queued right after the card it belongs to,
// so the chat's order puts it after the card.
//
// A row is recorded as sent only after Telegram's OK, with the ids of
// every part; the parts of a split row are recorded as they go, so a
// restart between them sends only the rest. Outcomes are written in
// batches beside the sending (see recorder), so that a busy writer never
// slows the sending and an OK is on disk milliseconds later. A crash in
// those milliseconds sends the row again after the restart: Telegram has
// no way to say "this one you already have".
//
// A 429 pauses the chat, or the whole bot and lowers its rate (see flood
// and adaptive), and the row is tried again; 5xx and network errors back
// the row off exponentially; 403 marks the chat blocked; any other 400
// fails the row, except "message is not modified" on an edit, which is
// success. The flood limiter's recent history and rate are saved, so a
// restart neither bursts into 429s nor forgets a storm.
type Sender struct {
	api    SenderAPI
	outbox Outbox
	clock  Clock
	limits Limits
	obs    Observer
	log    *slog.Logger
	wake   chan struct{}
}

// NewSender returns a sender; zero InFlight, Batch and Watch take the
// defaults, a zero rate is unlimited, and a nil observer observes nothing.
func NewSender(api SenderAPI, outbox Outbox, clock Clock, limits Limits, obs Observer, log *slog.Logger) *Sender {
	if obs == nil {
		obs = nopObserver{}
	}
	return &Sender{
		api: api, outbox: outbox, clock: clock, limits: limits.withDefaults(), obs: obs, log: log,
		wake: make(chan struct{}, 1),
	}
}

// Notify tells the sender that rows were committed. It never blocks.
func (s *Sender) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run sends until ctx ends, then lets the calls in flight finish (up to
// drainTimeout) and records their outcome. It returns nil on a clean stop.
// Only one Run may be active per outbox.
func (s *Sender) Run(ctx context.Context) error {
	r := newRun(s)
	defer r.cancelCalls()
	r.restore(ctx)
	go s.watch(ctx)
	r.loop(ctx)
	r.drain()
	return nil
}

// watch wakes the sender when the outbox head moves, so that rows another
// process wrote (hotline outreach broadcast while serve runs) go out
// within Watch. It reads one index page per tick, never the table, and in
// wall time: it watches other processes, not the sender's clock.
func (s *Sender) watch(ctx context.Context) {
	t := time.NewTicker(s.limits.Watch)
	defer t.Stop()
	var seen int64
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		head, err := s.outbox.Head(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("sender: read outbox head", "err", err)
			}
			continue
		}
		if head != seen {
			seen = head
			s.Notify()
		}
	}
}

// loop is the single goroutine that owns the run state: it fetches,
// dispatches calls to goroutines, hands outcomes to the recorder and
// handles what comes back. It blocks on Notify, an outcome, a recorded
// batch, ctx, or one timer for the earliest moment something can move; it
// never polls.
func (r *run) loop(ctx context.Context) {
	var (
		timer   <-chan time.Time
		timerAt time.Time
	)
	for {
		now := r.s.clock.Now()
		if r.needFetch() && !now.Before(r.storeRetryAt) {
			r.fetch(ctx, now)
		}
		r.dispatch(ctx, now)
		if r.global.changed {
			r.rec.rate(r.global.rate(), now)
			r.global.changed = false
		}
		r.rec.flush(now)
		if at, ok := r.nextWake(now); !ok {
			timer, timerAt = nil, time.Time{}
		} else if timer == nil || !at.Equal(timerAt) {
			timer, timerAt = r.s.clock.After(max(at.Sub(now), time.Millisecond)), at
		}
		select {
		case <-ctx.Done():
			return
		case <-r.s.wake:
			r.fetchNow = true
		case o := <-r.results:
			r.finish(o)
		case d := <-r.rec.done:
			r.rec.landed(d, r.s.clock.Now())
		case <-timer:
			timer = nil
		}
	}
}

// drain waits for the calls in flight and records their outcomes, so that
// a message Telegram accepted during shutdown is not sent again later.
func (r *run) drain() {
	stop := time.AfterFunc(drainTimeout, r.cancelCalls)
	defer stop.Stop()
	for r.inFlight > 0 {
		r.finish(<-r.results)
	}
	r.rec.finish(r.s.clock.Now(), drainTimeout)
}
