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
	switch {
	case it.isEdit():
		return s.edit(ctx, row, editID)
	case it.isCopy():
		return s.copy(ctx, row)
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

// copy sends a copy of another chat's message (a resident's photo or voice
// to the handler) with copyMessage: the copy does not say whom it came
// from, and the row's text, when given, replaces the caption.
func (s *Sender) copy(ctx context.Context, row storage.OutboxMessage) outcome {
	if row.FromChat == 0 || row.FromMessageID <= 0 {
		return outcome{err: &permanentError{"copy names no message"}}
	}
	p := &tg.CopyMessageParams{ChatID: row.ChatID, FromChatID: row.FromChat, MessageID: row.FromMessageID}
	if row.Text != "" {
		p.Caption, p.ParseMode = row.Text, models.ParseModeHTML
	}
	if len(row.Buttons) > 0 {
		p.ReplyMarkup = keyboard(row.Buttons)
	}
	m, err := s.api.CopyMessage(ctx, p)
	if err != nil {
		return outcome{err: err}
	}
	return outcome{msgID: m.ID}
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

// judge sorts an error by what the sender does about it; for a 429, wait
// is Telegram's retry_after.
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

// status is the HTTP status of a failed call as Telegram answered it (429,
// 403, 400, 5xx...), or 0 when no answer came (network, timeout).
func status(err error) int {
	var flood *tg.TooManyRequestsError
	var migrate *tg.MigrateError
	switch {
	case errors.As(err, &flood):
		return 429
	case errors.Is(err, tg.ErrorForbidden):
		return 403
	case errors.Is(err, tg.ErrorBadRequest), errors.As(err, &migrate):
		return 400
	case errors.Is(err, tg.ErrorUnauthorized):
		return 401
	case errors.Is(err, tg.ErrorNotFound):
		return 404
	case errors.Is(err, tg.ErrorConflict):
		return 409
	}
	// go-telegram/bot words any other answer as "error response from
	// telegram for method M, CODE DESCRIPTION".
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, "error response from telegram for method "); ok {
		if _, code, ok := strings.Cut(rest, ", "); ok {
			var n int
			if _, err := fmt.Sscan(code, &n); err == nil {
				return n
			}
		}
	}
	return 0
}
