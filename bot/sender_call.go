package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/storage"
)

// permanentError is a failure Telegram would refuse again: the row fails.
type permanentError struct{ reason string }

func (e *permanentError) Error() string { return e.reason }

// call makes one Bot API call for the row: the next part of a send, or the
// edit. editID, when not 0, is the message to edit for an EditRef whose
// MarkSent is still pending.
func (s *Sender) call(parent context.Context, it *item, editID int) outcome {
	ctx, cancel := context.WithTimeout(parent, requestTimeout)
	defer cancel()
	row := it.row
	if it.isEdit() {
		return s.edit(ctx, row, editID)
	}
	i := len(it.sent)
	p := &tg.SendMessageParams{
		ChatID: row.ChatID, Text: it.parts[i], ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
	}
	if i == len(it.parts)-1 && len(row.Buttons) > 0 {
		p.ReplyMarkup = keyboard(row.Buttons) // buttons ride on the last part
	}
	m, err := s.api.SendMessage(ctx, p)
	if err != nil {
		return outcome{err: err}
	}
	return outcome{msgID: m.ID}
}

func (s *Sender) edit(ctx context.Context, row storage.OutboxMessage, editID int) outcome {
	id := row.EditMessageID
	if id == 0 {
		id = editID
	}
	if id == 0 {
		if row.EditRef == 0 {
			return outcome{err: &permanentError{"edit names no message"}}
		}
		mid, ok, err := s.outbox.MessageID(ctx, row.EditRef)
		if err != nil {
			return outcome{err: fmt.Errorf("look up message of outbox %d: %w", row.EditRef, err)}
		}
		if !ok {
			return outcome{err: &permanentError{fmt.Sprintf("outbox %d, the message to edit, was never sent", row.EditRef)}}
		}
		id = mid
	}
	// A message cannot grow into two. The message edited is the last part
	// of a split card (it carries the buttons), so a text too long for one
	// message is cut the way the send cut it and its last part goes there:
	// the state, the result and the prompt are at the end, and the earlier
	// parts still show the rest. Failing instead would leave a long card
	// unable to show its transfer menu or its new state.
	text := row.Text
	if parts := splitHTML(text, maxTextUnits); len(parts) > 1 {
		text = parts[len(parts)-1]
	}
	p := &tg.EditMessageTextParams{
		ChatID: row.ChatID, MessageID: id, Text: text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
	}
	// Without reply_markup Telegram removes the keyboard, which is what an
	// edit without buttons means.
	if len(row.Buttons) > 0 {
		p.ReplyMarkup = keyboard(row.Buttons)
	}
	_, err := s.api.EditMessageText(ctx, p)
	if err != nil && errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "message is not modified") {
		err = nil // already as wanted: a retried edit, or a press that changed nothing
	}
	return outcome{msgID: id, err: err}
}

func keyboard(rows [][]storage.Button) *models.InlineKeyboardMarkup {
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: make([][]models.InlineKeyboardButton, 0, len(rows))}
	for _, row := range rows {
		r := make([]models.InlineKeyboardButton, 0, len(row))
		for _, b := range row {
			r = append(r, models.InlineKeyboardButton{Text: b.Text, CallbackData: b.Data})
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, r)
	}
	return kb
}

type verdict int

const (
	verdictOK verdict = iota
	verdictFlood
	verdictBlocked
	verdictRejected
	verdictTransient
)

// judge sorts an error by what the sender does about it.
func judge(err error) (verdict, time.Duration) {
	var flood *tg.TooManyRequestsError
	var migrate *tg.MigrateError
	var permanent *permanentError
	switch {
	case err == nil:
		return verdictOK, 0
	case errors.As(err, &flood):
		return verdictFlood, time.Duration(max(flood.RetryAfter, 1)) * time.Second
	case errors.Is(err, tg.ErrorForbidden):
		return verdictBlocked, 0
	case errors.Is(err, tg.ErrorBadRequest), errors.As(err, &migrate), errors.As(err, &permanent):
		return verdictRejected, 0
	}
	return verdictTransient, 0 // 5xx, network, timeouts, 401/404/409
}

// backoff is the pause before attempt n+1 after n failed attempts.
func backoff(n int) time.Duration {
	d := minBackoff
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// finish handles an outcome in the loop goroutine.
func (r *run) finish(o outcome) {
	c, it := o.chat, o.it
	c.busy = false
	r.inFlight--
	r.doneSinceFetch++
	now := r.s.clock.Now()
	// Counted at completion, whatever the result: see limiter.go.
	c.bucket.done(now)
	if c.id < 0 {
		c.group.done(now)
	}
	r.global.done(now)

	row := it.row
	log := r.s.log.With("outbox_id", row.ID, "chat_id", row.ChatID)
	v, wait := judge(o.err)
	switch v {
	case verdictOK:
		if it.isEdit() {
			r.settle(c, it, []int{o.msgID}, now)
			return
		}
		it.sent = append(it.sent, o.msgID)
		if len(it.sent) == len(it.parts) {
			r.settle(c, it, it.sent, now)
			return
		}
		// Recorded part by part, so that a crash before the last part
		// repeats at most the part whose OK was not yet recorded.
		if err := r.s.outbox.MarkPartSent(r.store, row.ID, it.sent); err != nil {
			log.Error("sender: record part sent", "err", err)
		}
	case verdictFlood:
		// Telegram does not say which limit was hit: pause the chat and,
		// to be safe, everything else for as long as it asks.
		until := now.Add(wait)
		c.pauseTo = maxTime(c.pauseTo, until)
		r.pauseTo = maxTime(r.pauseTo, until)
		log.Warn("sender: flood wait", "retry_after", wait)
	case verdictBlocked:
		if err := r.s.outbox.Blocked(r.store, row.ChatID, now); err != nil {
			log.Error("sender: record blocked chat", "err", err)
		}
		log.Info("sender: chat blocked the bot", "err", o.err)
		for _, x := range c.queue {
			delete(r.held, x.row.ID)
		}
		c.queue = nil
	case verdictRejected:
		reason := o.err.Error()
		if len(it.sent) > 0 {
			reason += fmt.Sprintf(" (after %d of %d parts)", len(it.sent), len(it.parts))
		}
		if err := r.s.outbox.Fail(r.store, row.ID, reason); err != nil {
			// Keep the row: the call will be refused again and Fail retried.
			log.Error("sender: record failure", "err", err)
			c.pauseTo = maxTime(c.pauseTo, now.Add(storeRetry))
			return
		}
		log.Warn("sender: message refused", "reason", reason)
		r.pop(c, it)
	case verdictTransient:
		it.row.Attempts++
		d := backoff(it.row.Attempts)
		c.pauseTo = maxTime(c.pauseTo, now.Add(d))
		if err := r.s.outbox.Retry(r.store, row.ID, now.Add(d), o.err.Error()); err != nil {
			log.Error("sender: record retry", "err", err)
		}
		log.Warn("sender: send failed, will retry", "err", o.err, "attempt", it.row.Attempts, "retry_in", d)
	}
}

// settle records Telegram's OK and lets the chat's next row go.
func (r *run) settle(c *senderChat, it *item, ids []int, now time.Time) {
	r.pop(c, it)
	if err := r.s.outbox.MarkSent(r.store, it.row.ID, ids, now); err != nil {
		r.s.log.Error("sender: mark sent", "outbox_id", it.row.ID, "err", err)
		r.unmarked[it.row.ID] = ids
		if r.markRetryAt.Before(now) {
			r.markPause = storeRetry
			r.markRetryAt = now.Add(storeRetry)
		}
	}
}

func (r *run) pop(c *senderChat, it *item) {
	if len(c.queue) > 0 && c.queue[0] == it {
		c.queue = c.queue[1:]
	}
	delete(r.held, it.row.ID)
}
