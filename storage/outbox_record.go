package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// OpKind is what the sender learned about an outbox row.
type OpKind int

// The sender's outcomes, as recorded.
const (
	// OpParts: the first parts of a split row were sent; it stays pending,
	// and a restart sends only the parts still missing.
	OpParts OpKind = iota + 1
	// OpSent: Telegram accepted the whole row.
	OpSent
	// OpRetry: the attempt failed and counts; the row waits until At.
	OpRetry
	// OpFail: Telegram refused the row for good.
	OpFail
	// OpBlocked: the chat blocked the bot. It becomes unreachable and opted
	// out, and its pending rows fail.
	OpBlocked
)

// OutboxOp is one outcome to record.
type OutboxOp struct {
	Kind        OpKind
	ID          int64     // the row; for OpBlocked, none
	ChatID      int64     // OpBlocked
	TelegramIDs []int     // OpSent, OpParts: every message id the row became so far
	At          time.Time // OpSent: Telegram's OK; OpRetry: the next attempt; OpBlocked: when
	Reason      string    // OpRetry, OpFail
}

// Send is one message Telegram accepted, for the flood limiter's history.
type Send struct {
	ChatID int64
	At     time.Time
}

// SendBatch is the sender's bookkeeping since it last wrote: outcomes in
// the order they happened and the flood limiter's history.
type SendBatch struct {
	Ops    []OutboxOp
	Sends  []Send
	Rate   float64   // the global rate in messages a second; 0 leaves the saved one
	RateAt time.Time // when the sender settled on Rate
	Forget time.Time // sends before this leave the history; zero keeps them
}

// Empty reports whether there is nothing to write.
func (b SendBatch) Empty() bool {
	return len(b.Ops) == 0 && len(b.Sends) == 0 && b.Rate == 0 && b.Forget.IsZero()
}

// Record writes a batch in one transaction. The sender calls it with what
// gathered while the previous batch was being written, so that Telegram's
// OK is on disk within milliseconds even when intake keeps the writer busy,
// at the cost of one short transaction instead of one per message.
func (db *DB) Record(ctx context.Context, b SendBatch) error {
	return db.Update(ctx, func(t *Tx) error {
		for _, op := range b.Ops {
			if err := t.record(ctx, op); err != nil {
				return err
			}
		}
		return t.saveHistory(ctx, b)
	})
}

func (t *Tx) record(ctx context.Context, op OutboxOp) error {
	var err error
	switch op.Kind {
	case OpParts:
		_, err = t.exec(ctx, `UPDATE outbox SET tg_message_ids = ? WHERE id = ? AND status = 'pending'`,
			joinIDs(op.TelegramIDs), op.ID)
	case OpSent:
		_, err = t.exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, tg_message_ids = ?, attempts = attempts + 1
			WHERE id = ?`, fmtTime(op.At), joinIDs(op.TelegramIDs), op.ID)
	case OpRetry:
		_, err = t.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
			WHERE id = ? AND status = 'pending'`, fmtTime(op.At), op.Reason, op.ID)
	case OpFail:
		_, err = t.exec(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`,
			op.Reason, op.ID)
	case OpBlocked:
		return t.blocked(ctx, op.ChatID, op.At)
	default:
		return fmt.Errorf("outbox %d: unknown outcome %d", op.ID, op.Kind)
	}
	if err != nil {
		return fmt.Errorf("record outcome %d of outbox %d: %w", op.Kind, op.ID, err)
	}
	return nil
}

// Blocked records that the chat blocked the bot: it is unreachable, opted
// out of campaigns, and its pending messages are failed.
func (db *DB) Blocked(ctx context.Context, chatID int64, now time.Time) error {
	return db.Update(ctx, func(t *Tx) error { return t.blocked(ctx, chatID, now) })
}

func (t *Tx) blocked(ctx context.Context, chatID int64, now time.Time) error {
	if _, err := t.exec(ctx, `INSERT INTO chats (chat_id, blocked_at, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET blocked_at = excluded.blocked_at, updated_at = excluded.updated_at`,
		chatID, fmtTime(now), fmtTime(now)); err != nil {
		return fmt.Errorf("mark chat %d blocked: %w", chatID, err)
	}
	if _, err := t.exec(ctx, `UPDATE residents SET opted_out = 1 WHERE telegram_id = ?`, chatID); err != nil {
		return fmt.Errorf("opt out chat %d: %w", chatID, err)
	}
	// The lanes named let the pending index find the chat's rows.
	if _, err := t.exec(ctx, `UPDATE outbox SET status = 'failed', last_error = 'blocked by the user'
		WHERE status = 'pending' AND lane IN (?, ?) AND chat_id = ?`, LaneTicket, LaneCampaign, chatID); err != nil {
		return fmt.Errorf("fail pending for chat %d: %w", chatID, err)
	}
	return nil
}

func (t *Tx) saveHistory(ctx context.Context, b SendBatch) error {
	for _, s := range b.Sends {
		if _, err := t.exec(ctx, `INSERT INTO sender_sends (chat_id, at) VALUES (?, ?)`, s.ChatID, fmtTime(s.At)); err != nil {
			return fmt.Errorf("save send to %d: %w", s.ChatID, err)
		}
	}
	if !b.Forget.IsZero() {
		if _, err := t.exec(ctx, `DELETE FROM sender_sends WHERE at < ?`, fmtTime(b.Forget)); err != nil {
			return fmt.Errorf("forget old sends: %w", err)
		}
	}
	if b.Rate > 0 {
		if _, err := t.exec(ctx, `INSERT INTO sender_rate (id, rate, at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET rate = excluded.rate, at = excluded.at`, b.Rate, fmtTime(b.RateAt)); err != nil {
			return fmt.Errorf("save send rate: %w", err)
		}
	}
	return nil
}

// SenderHistory is what Record saved of the flood limiter.
type SenderHistory struct {
	Rate  float64 // the global rate last saved; 0 for none
	Sends []Send  // in time order
}

// SenderHistory returns the saved rate and the sends since since.
func (db *DB) SenderHistory(ctx context.Context, since time.Time) (SenderHistory, error) {
	var h SenderHistory
	err := db.read.QueryRowContext(ctx, `SELECT rate FROM sender_rate WHERE id = 1`).Scan(&h.Rate)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return SenderHistory{}, fmt.Errorf("read send rate: %w", err)
	}
	h.Sends, err = queryAll(ctx, db.read, "read recent sends", func(sc scanner) (Send, error) {
		var s Send
		var at sql.NullString
		err := sc.Scan(&s.ChatID, &at)
		s.At = parseTime(at)
		return s, err
	}, `SELECT chat_id, at FROM sender_sends WHERE at >= ? ORDER BY at, id`, fmtTime(since))
	if err != nil {
		return SenderHistory{}, err
	}
	return h, nil
}
