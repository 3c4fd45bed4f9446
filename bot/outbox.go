package bot

import (
	"context"
	"time"

	"hotline/storage"
)

// Outbox is the sender's view of the outbox table. Rows are
// storage.OutboxMessage: Text is already-safe HTML (callers escape user text
// with html.EscapeString and the sender never escapes again), Buttons is the
// inline keyboard, and an "edit" row names the message to edit by
// EditMessageID or, when that is 0, by EditRef (the outbox id of the row
// that sent it).
//
// It must be safe for concurrent use: MessageID is called from the
// goroutines that make the calls, Record from the recorder's, Head from
// the watcher's. *storage.DB implements it.
type Outbox interface {
	// Pending returns up to limit pending rows of lane with ids above
	// after, in id order, due or backing off (NotBefore), with the ids of
	// the parts already sent of a split row (SentParts). Ids grow in commit
	// order, so a reader that goes on from the last id it read misses no
	// row.
	Pending(ctx context.Context, lane storage.Lane, after int64, limit int) ([]storage.OutboxMessage, error)
	// Head is the highest outbox id; it moves when anyone writes a row.
	Head(ctx context.Context) (int64, error)
	// MessageID is the Telegram message id of a sent row (the last part of a
	// split message, which carries the buttons); ok is false while unsent.
	MessageID(ctx context.Context, outboxID int64) (id int, ok bool, err error)
	// Record writes outcomes and the limiter's history in one transaction,
	// all or nothing.
	Record(ctx context.Context, b storage.SendBatch) error
	// SenderHistory is the saved global rate and the sends since since.
	SenderHistory(ctx context.Context, since time.Time) (storage.SenderHistory, error)
}

var _ Outbox = (*storage.DB)(nil)
