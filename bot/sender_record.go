package bot

import (
	"context"
	"log/slog"
	"time"

	"hotline/storage"
)

// recorder writes the sender's bookkeeping beside the sending. Outcomes
// gather into a batch while the previous batch is being written, one batch
// at a time (group commit): the loop never waits for the writer, however
// busy intake keeps it, an OK is on disk as soon as the writer is free,
// and a busy minute costs a few transactions, not one per message.
//
// Until its batch lands, a sent row is still pending on disk; an edit of
// it takes the message id from here (unrecordedID), and a crash in that
// moment sends the row again after the restart.
type recorder struct {
	outbox Outbox
	ctx    context.Context
	log    *slog.Logger

	batch      storage.SendBatch  // gathering
	flying     *storage.SendBatch // being written
	done       chan landing
	retryAt    time.Time // after a failed write
	pause      *pause
	unrecorded map[int64][]int // sent rows not yet on disk, with their message ids
}

// landing is a written batch coming back.
type landing struct {
	batch storage.SendBatch
	err   error
}

func newRecorder(ctx context.Context, o Outbox, log *slog.Logger) *recorder {
	return &recorder{
		outbox: o, ctx: ctx, log: log, done: make(chan landing, 1),
		pause: newPause(storeRetry, maxStoreRetry), unrecorded: map[int64][]int{},
	}
}

// add queues an outcome.
func (rc *recorder) add(op storage.OutboxOp) {
	if op.Kind == storage.OpSent {
		rc.unrecorded[op.ID] = op.TelegramIDs
	}
	rc.batch.Ops = append(rc.batch.Ops, op)
}

// sent queues a message Telegram accepted for the limiter's history.
func (rc *recorder) sent(chatID int64, at time.Time) {
	rc.batch.Sends = append(rc.batch.Sends, storage.Send{ChatID: chatID, At: at})
}

// rate queues the global rate to save.
func (rc *recorder) rate(r float64, at time.Time) {
	rc.batch.Rate, rc.batch.RateAt = r, at
}

// unrecordedID is the message id (the last part) of a row sent but not yet
// on disk; 0 if there is none.
func (rc *recorder) unrecordedID(outboxID int64) int {
	if ids := rc.unrecorded[outboxID]; len(ids) > 0 {
		return ids[len(ids)-1]
	}
	return 0
}

// flush hands the gathered batch to a writer goroutine, unless one is
// still writing or a failed write waits for its retry.
func (rc *recorder) flush(now time.Time) {
	if rc.flying != nil || rc.batch.Empty() || now.Before(rc.retryAt) {
		return
	}
	b := rc.batch
	rc.batch = storage.SendBatch{}
	// History older than the longest window goes with the next write.
	b.Forget = now.Add(-historySpan)
	rc.flying = &b
	go func() { rc.done <- landing{b, rc.outbox.Record(rc.ctx, b)} }()
}

// landed takes a written batch back. A failed one goes before what
// gathered meanwhile and is tried again after a pause; its sent rows stay
// unrecorded until then.
func (rc *recorder) landed(l landing, now time.Time) {
	rc.flying = nil
	if l.err != nil {
		d := rc.pause.next()
		rc.retryAt = now.Add(d)
		rc.log.Error("sender: record outcomes", "err", l.err, "outcomes", len(l.batch.Ops), "retry_in", d)
		rc.batch = merge(l.batch, rc.batch)
		return
	}
	rc.pause.reset()
	for _, op := range l.batch.Ops {
		if op.Kind == storage.OpSent {
			delete(rc.unrecorded, op.ID)
		}
	}
}

// merge is a then b, as if gathered in one batch.
func merge(a, b storage.SendBatch) storage.SendBatch {
	a.Ops = append(a.Ops, b.Ops...)
	a.Sends = append(a.Sends, b.Sends...)
	if b.Rate > 0 {
		a.Rate, a.RateAt = b.Rate, b.RateAt
	}
	return a
}

// wakeAt is when the loop must come back to write; ok is false when it
// need not.
func (rc *recorder) wakeAt() (time.Time, bool) {
	if rc.flying != nil || rc.batch.Empty() {
		return time.Time{}, false
	}
	return rc.retryAt, true
}

// finish writes everything still gathered at now (the sender's time),
// waiting up to timeout (wall time) for the writer.
func (rc *recorder) finish(now time.Time, timeout time.Duration) {
	deadline := time.After(timeout)
	for rc.flying != nil || !rc.batch.Empty() {
		if rc.flying == nil {
			rc.retryAt = time.Time{}
			rc.flush(now)
		}
		select {
		case l := <-rc.done:
			rc.landed(l, now)
			if l.err != nil {
				select {
				case <-time.After(rc.retryAt.Sub(now)): // the pause landed chose
				case <-deadline:
					rc.giveUp()
					return
				}
			}
		case <-deadline:
			rc.giveUp()
			return
		}
	}
}

func (rc *recorder) giveUp() {
	rc.log.Error("sender: outcomes not recorded at shutdown; their rows will be sent again",
		"sent", len(rc.unrecorded))
}
