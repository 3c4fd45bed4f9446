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
	drainTimeout   = 10 * time.Second // in-flight calls at shutdown
	minBackoff     = 2 * time.Second  // after a 5xx or network error; doubles
	maxBackoff     = 5 * time.Minute
	storeRetry     = time.Second // after an outbox error; doubles
	maxStoreRetry  = time.Minute
)

// Sender drains the outbox into Telegram under the flood limits.
//
// Rows of one chat go out one at a time in id order; a chat that must wait
// (its own limit, a 429, a backoff) does not hold up the others. A row is
// marked sent only after Telegram's OK, with the ids of every part; the
// parts of a split row are recorded as they go, so a restart between them
// sends only the rest. On 429
// the chat and the whole bot pause for retry_after and the row is tried
// again; 5xx and network errors back off exponentially (Outbox.Retry);
// 403 marks the chat blocked; any other 400 fails the row, except "message
// is not modified" on an edit, which is success. After a restart the sender
// simply resumes from Due.
type Sender struct {
	api    SenderAPI
	outbox Outbox
	clock  Clock
	limits Limits
	log    *slog.Logger
	wake   chan struct{}
}

// NewSender returns a sender; zero InFlight and Batch take the defaults,
// zero rates are unlimited.
func NewSender(api SenderAPI, outbox Outbox, clock Clock, limits Limits, log *slog.Logger) *Sender {
	return &Sender{
		api: api, outbox: outbox, clock: clock, limits: limits.withDefaults(), log: log,
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
	r.loop(ctx)
	r.drain()
	return nil
}

// loop is the single goroutine that owns the run state: it fetches,
// dispatches calls to goroutines, and handles their outcomes. It blocks on
// Notify, an outcome, ctx, or one timer for the earliest moment something
// can move; it never polls.
func (r *run) loop(ctx context.Context) {
	var (
		timer   <-chan time.Time
		timerAt time.Time
	)
	for {
		now := r.s.clock.Now()
		if len(r.unmarked) > 0 && !now.Before(r.markRetryAt) {
			r.remark(now)
		}
		if r.needFetch(now) && !now.Before(r.storeRetryAt) {
			r.fetch(ctx, now)
		}
		r.dispatch(ctx, now)
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
		case <-timer:
			timer = nil
		}
	}
}

// drain waits for the calls in flight and records their outcomes, so that
// a message Telegram accepted during shutdown is not sent again later.
func (r *run) drain() {
	if r.inFlight == 0 {
		return
	}
	stop := time.AfterFunc(drainTimeout, r.cancelCalls)
	defer stop.Stop()
	for r.inFlight > 0 {
		r.finish(<-r.results)
	}
	r.remark(r.s.clock.Now())
}
