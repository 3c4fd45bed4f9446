package bot

import (
	"context"
	"time"

	"hotline/storage"
)

// Outbox is the sender's view of the outbox table. Rows are
// storage.OutboxMessage: Text is already-safe HTML (callers escape user text
// with notice.Escape and the sender never escapes again), Buttons is the inline
// keyboard, and an "edit" row names the message to edit by EditMessageID or,
// when that is 0, by EditRef (the outbox id of the row that sent it).
//
// It must be safe for concurrent use: MessageID is called from the
// goroutines that make the calls. *storage.DB implements it.
//
// Within one process the sender keeps each chat's rows in id order, also
// across backoffs. Across a restart that holds only if Due leaves out a row
// whose chat has an earlier pending row that is not due yet (a row in
// backoff); otherwise a later row may overtake it.
type Outbox interface {
	// Due returns up to limit pending rows whose next attempt is due at now,
	// in id order.
	Due(ctx context.Context, now time.Time, limit int) ([]storage.OutboxMessage, error)
	// NextDue is when the earliest pending row becomes due; ok is false when
	// nothing is pending.
	NextDue(ctx context.Context) (at time.Time, ok bool, err error)
	// MessageID is the Telegram message id of a sent row (the last part of a
	// split message, which carries the buttons); ok is false while unsent.
	MessageID(ctx context.Context, outboxID int64) (id int, ok bool, err error)
	// MarkPartSent records the ids of the parts of a split row sent so far
	// (the row stays pending); Due returns them as SentParts, and the
	// sender goes on from the next part.
	MarkPartSent(ctx context.Context, id int64, telegramIDs []int) error
	// MarkSent records Telegram's OK with every message id the row became.
	MarkSent(ctx context.Context, id int64, telegramIDs []int, now time.Time) error
	// Retry schedules another attempt and counts this one.
	Retry(ctx context.Context, id int64, notBefore time.Time, reason string) error
	// Fail gives up on a row for good (Telegram said 400).
	Fail(ctx context.Context, id int64, reason string) error
	// Blocked records that a chat blocked the bot (403): it is unreachable,
	// opted out, and its pending rows are failed.
	Blocked(ctx context.Context, chatID int64, now time.Time) error
}

var _ Outbox = (*storage.DB)(nil)
