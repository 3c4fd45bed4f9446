// Package bot is the Telegram adapter: it receives updates (long polling or
// webhook), journals them, hands each to the conversation service in one
// transaction, and drains the outbox into Telegram under its rate limits.
// It knows Telegram's types; nothing below it does.
//
// Every update is handled the same way: it is journalled with its raw JSON,
// then one write transaction claims its update id and runs the
// conversation, which queues every reply in the outbox. Nothing is sent
// from here except the answer to a callback query and the command menus,
// which carry no state; the sender delivers the rest after the commit.
package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/assets"
	"hotline/conversation"
	"hotline/notice"
	"hotline/outreach"
	"hotline/storage"
)

// Notifier is told that new outbox rows were committed; the sender wakes
// up and sends them.
type Notifier interface {
	Notify()
}

// API is the part of the Bot API that is called directly rather than
// through the outbox: calls that carry no state. *tg.Bot is one.
type API interface {
	AnswerCallbackQuery(ctx context.Context, params *tg.AnswerCallbackQueryParams) (bool, error)
	CommandSetter
}

// Handler handles updates. It is safe for concurrent use: updates of
// different chats are handled side by side, while those of one chat (and
// of one person) are handled one at a time, in the order they are given
// to it — so whoever gives it updates of one chat gives them in order.
type Handler struct {
	db       *storage.DB
	assets   assets.Source
	conv     *conversation.Service
	outreach *outreach.Service // fans out notices recorded by an update; nil when off
	notify   Notifier
	api      API
	obs      Observer
	now      func() time.Time
	log      *slog.Logger

	chats    chatLocks
	inFlight chan struct{} // Dispatch's bound
	answers  sync.WaitGroup
}

// NewHandler returns a handler. notify and api may be nil in tests that do
// not look at them; out may be nil when outreach is off; obs may be nil
// for no observer.
func NewHandler(db *storage.DB, as assets.Source, conv *conversation.Service, out *outreach.Service,
	notify Notifier, api API, obs Observer, now func() time.Time, log *slog.Logger) *Handler {
	if obs == nil {
		obs = nopObserver{}
	}
	return &Handler{db: db, assets: as, conv: conv, outreach: out, notify: notify, api: api, obs: obs, now: now, log: log,
		inFlight: make(chan struct{}, maxInFlight)}
}

// Handle journals an update and processes it. Tests and callers that have
// no raw JSON use it; raw is re-encoded from upd.
func (h *Handler) Handle(ctx context.Context, upd *models.Update) error {
	raw, err := json.Marshal(upd)
	if err != nil {
		return fmt.Errorf("encode update %d: %w", upd.ID, err)
	}
	if err := h.db.JournalUpdate(ctx, upd.ID, raw, h.now()); err != nil {
		return err
	}
	return h.Process(ctx, upd)
}

// Process handles an update that is already journalled. A redelivered or
// replayed update that was processed before does nothing. It waits for
// the updates of the same chat or person that are being handled; an
// update with neither (a kind the hotline does not read) has no order to
// keep and waits for nobody.
func (h *Handler) Process(ctx context.Context, upd *models.Update) error {
	in, queryID := inbound(upd)
	return h.process(ctx, upd.ID, in, queryID, h.chats.reserve(in.ChatID, in.UserID))
}

// maxInFlight bounds the updates Dispatch has taken and not yet
// processed; past it, Dispatch waits, and so does whoever feeds it.
const maxInFlight = 128

// Dispatch takes an update's place among its chat's at once and processes
// it in the background, so that the poll loop, which hands updates over
// one at a time and in order, can go on to the next: updates of different
// chats are then handled side by side and share the writer's
// transactions (storage.DB.UpdateShared), while one chat's keep their
// order. The update must be journalled. Wait waits for the ones under way.
func (h *Handler) Dispatch(ctx context.Context, upd *models.Update) {
	h.inFlight <- struct{}{}
	in, queryID := inbound(upd)
	t := h.chats.reserve(in.ChatID, in.UserID)
	h.answers.Add(1)
	go func() {
		defer func() { <-h.inFlight; h.answers.Done() }()
		// process logs and counts a failure; the update stays journalled
		// for RetryFailed.
		_ = h.process(ctx, upd.ID, in, queryID, t)
	}()
}

// process processes update id, read as in, once its turn among its
// chat's has come.
func (h *Handler) process(ctx context.Context, id int64, in conversation.Inbound, queryID string, t *turn) error {
	start := time.Now()
	h.chats.wait(t)
	defer h.chats.release(t)
	out, err := h.apply(ctx, id, in)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			// Shutting down mid-update: not the update's fault, so not
			// counted; it is replayed at the next start.
			h.log.Info("update not processed; it stays journalled and is replayed at the next start",
				"update", id, "err", err)
		} else {
			h.failed(ctx, id, in, err)
		}
		h.answerQuery(ctx, queryID, notice.RefuseBusy)
		return fmt.Errorf("update %d: %w", id, err)
	}
	if !out.Handled {
		h.log.Debug("update already processed", "update", id)
		return nil
	}
	h.obs.UpdateHandled(time.Since(start))
	if h.notify != nil {
		h.notify.Notify()
	}
	if out.Menu.TelegramID != 0 {
		st := out.Menu
		h.background(ctx, func(ctx context.Context) { h.staffCommands(ctx, st) })
	}
	if out.FanOut {
		h.fanOut(ctx)
	}
	h.answerQuery(ctx, queryID, out.Answer)
	return nil
}

// apply runs the conversation on an update in a write transaction, which
// it may share with other updates. A panic — a bug that this update trips —
// is this update's failure alone, counted like any other, so that it is
// given up after a few attempts instead of taking the service down at
// every start (Replay would meet it again each time).
func (h *Handler) apply(ctx context.Context, id int64, in conversation.Inbound) (out conversation.Outcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
			h.log.Error("update panicked", "update", id, "panic", p, "stack", string(debug.Stack()))
		}
	}()
	a := h.assets.Assets() // one snapshot for the whole update
	prep := h.conv.Prepare(ctx, h.db, a, in)
	err = h.db.UpdateShared(ctx, func(ctx context.Context, tx *storage.Tx) error {
		now := h.now()
		fresh, err := tx.ClaimUpdate(ctx, id, now)
		if err != nil || !fresh {
			return err
		}
		out, err = h.conv.Handle(ctx, tx, a, now, in, prep)
		return err
	})
	return out, err
}

// maxUpdateAttempts bounds the attempts at an update whose handling fails.
// A poison update — a bug, or a roster with nobody to route to — fails the
// same way every time; retried without end it would also never tell its
// sender that nothing came of it.
const maxUpdateAttempts = 3

// failed counts a failed attempt at an update, which stays journalled for
// RetryFailed and Replay. At the last attempt it is given up: marked
// processed, and whoever sent the message is asked, kindly, to send it
// again — in one transaction, so it is not both given up and retried.
func (h *Handler) failed(ctx context.Context, id int64, in conversation.Inbound, cause error) {
	ctx = context.WithoutCancel(ctx)
	var attempts int
	gaveUp := false
	err := h.db.Update(ctx, func(tx *storage.Tx) error {
		now := h.now()
		var err error
		if attempts, err = tx.FailUpdate(ctx, id, cause.Error(), now); err != nil || attempts < maxUpdateAttempts {
			return err
		}
		if gaveUp, err = tx.ClaimUpdate(ctx, id, now); err != nil || !gaveUp {
			return err
		}
		if in.Message && in.Private && in.UserID != 0 {
			m := notice.NotHandled()
			m.ChatID = in.ChatID
			_, err = tx.Enqueue(ctx, m, now)
		}
		return err
	})
	switch {
	case err != nil:
		h.log.Error("update not processed, and its failure not recorded; it is replayed at the next start",
			"update", id, "err", cause, "record_err", err)
	case gaveUp:
		h.log.Error("update given up after repeated failures; its sender was asked to send it again",
			"update", id, "attempts", attempts, "err", cause)
		if h.notify != nil {
			h.notify.Notify()
		}
	default:
		h.log.Error("update not processed; it stays journalled and is retried",
			"update", id, "attempt", attempts, "err", cause)
	}
}

// RetryFailed retries, every interval until ctx ends, the updates whose
// handling failed, until each succeeds or is given up. It leaves alone the
// journalled updates not tried yet: they are on their way through Poll or
// the webhook, and must not overtake the earlier updates of their chat.
func (h *Handler) RetryFailed(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := h.retryFailed(ctx); err != nil && ctx.Err() == nil {
				h.log.Warn("retry failed updates", "err", err)
			}
		}
	}
}

func (h *Handler) retryFailed(ctx context.Context) (int, error) {
	ids, raws, err := h.db.FailedUpdates(ctx)
	if err != nil {
		return 0, err
	}
	return h.processJournalled(ctx, ids, raws)
}

// answerQuery stops the button's spinner and shows a short toast. It runs
// in the background: it carries no state, and Telegram's round trip should
// not delay the next update. Failure (an expired query) is only logged.
func (h *Handler) answerQuery(ctx context.Context, id, text string) {
	if id == "" || h.api == nil {
		return
	}
	h.background(ctx, func(ctx context.Context) {
		if _, err := h.api.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text}); err != nil {
			h.log.Warn("answer callback query", "err", err)
		}
	})
}

// background runs a stateless Bot API call off the update loop, with its
// own deadline so that shutdown does not cut it short.
func (h *Handler) background(ctx context.Context, fn func(context.Context)) {
	h.answers.Add(1)
	go func() {
		defer h.answers.Done()
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		fn(actx)
	}()
}

// Wait blocks until background work is done — dispatched updates,
// callback answers and the fan-out of notices sent with /notify — for
// shutdown and for tests.
func (h *Handler) Wait() { h.answers.Wait() }

// Replay processes the journalled updates that were never processed: the
// service stopped after receiving them and before committing their
// effects. Call it at start, before polling or serving the webhook.
func (h *Handler) Replay(ctx context.Context) (int, error) {
	ids, raws, err := h.db.UnprocessedUpdates(ctx)
	if err != nil {
		return 0, err
	}
	return h.processJournalled(ctx, ids, raws)
}

// processJournalled processes journalled updates in order and returns how
// many succeeded.
func (h *Handler) processJournalled(ctx context.Context, ids []int64, raws [][]byte) (int, error) {
	n := 0
	for i, raw := range raws {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		var upd models.Update
		if err := json.Unmarshal(raw, &upd); err != nil {
			// A journal row we cannot read would be replayed forever;
			// claim it so it stops, and say so.
			h.log.Error("journalled update is unreadable; skipped", "update", ids[i], "err", err)
			if err := h.db.Update(ctx, func(tx *storage.Tx) error {
				_, err := tx.ClaimUpdate(ctx, ids[i], h.now())
				return err
			}); err != nil {
				return n, err
			}
			continue
		}
		upd.ID = ids[i]
		// One update that keeps failing must not keep the service from
		// starting: Process counts the failure, and gives the update up
		// after maxUpdateAttempts.
		if err := h.Process(ctx, &upd); err == nil {
			n++
		}
	}
	return n, nil
}

// fanOut queues the residents of a notice recorded by an update, after its
// commit and off the update loop (a township is tens of thousands of
// messages). A fan-out cut short — shutdown, an error — is finished by the
// scheduler's follow-up job or at the next start; dedupe keys make the
// second attempt send nobody anything twice.
func (h *Handler) fanOut(ctx context.Context) {
	if h.outreach == nil {
		return
	}
	h.answers.Add(1)
	go func() {
		defer h.answers.Done()
		n, err := h.outreach.ResumeRuns(ctx)
		if err != nil {
			h.log.Warn("notice fan-out stopped; the follow-up job finishes it", "err", err)
		}
		if n > 0 && h.notify != nil {
			h.notify.Notify()
		}
	}()
}
