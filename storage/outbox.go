package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Button is one inline keyboard button: its label and its callback data.
type Button struct {
	Text string `json:"text"`
	Data string `json:"data"`
}

// OutboxMessage is one queued outbound message.
type OutboxMessage struct {
	ID            int64
	ChatID        int64
	Method        string // "send" or "edit"
	Text          string // safe HTML
	Buttons       [][]Button
	EditMessageID int   // for "edit": the Telegram message id
	EditRef       int64 // for "edit": outbox id of the message to edit, when its Telegram id is not yet known
	TicketID      TicketID
	Kind          string // what it is: card, accepted, digest... for tests and reports
	DedupeKey     string // at most one message per key; "" for none
	Status        string
	Attempts      int
	CreatedAt     time.Time
	SentParts     []int // a pending split message: Telegram ids of the parts already sent, in order
}

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// Enqueue adds a message to the outbox and returns its id. A message whose
// DedupeKey was queued before is dropped (id 0, no error): that is how a
// campaign run that is retried after a crash sends nothing twice.
func (t *Tx) Enqueue(ctx context.Context, m OutboxMessage, now time.Time) (int64, error) {
	if m.Method == "" {
		m.Method = "send"
	}
	buttons := ""
	if len(m.Buttons) > 0 {
		b, err := json.Marshal(m.Buttons)
		if err != nil {
			return 0, fmt.Errorf("encode buttons: %w", err)
		}
		buttons = string(b)
	}
	var dedupe, ticket any
	if m.DedupeKey != "" {
		dedupe = m.DedupeKey
	}
	if m.TicketID != 0 {
		ticket = m.TicketID
	}
	res, err := t.exec(ctx, `INSERT INTO outbox (chat_id, method, text, buttons, edit_message_id, edit_ref,
		ticket_id, kind, dedupe_key, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
		m.ChatID, m.Method, m.Text, buttons, m.EditMessageID, m.EditRef, ticket, m.Kind, dedupe,
		fmtTime(now), fmtTime(now))
	if err != nil {
		return 0, fmt.Errorf("enqueue %s for %d: %w", m.Kind, m.ChatID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, nil
	}
	return res.LastInsertId()
}

const outboxCols = `id, chat_id, method, text, buttons, edit_message_id, edit_ref, coalesce(ticket_id, 0), kind,
	coalesce(dedupe_key, ''), status, attempts, created_at, tg_message_ids`

func scanOutbox(sc scanner) (OutboxMessage, error) {
	var m OutboxMessage
	var buttons, sentIDs string
	var created sql.NullString
	err := sc.Scan(&m.ID, &m.ChatID, &m.Method, &m.Text, &buttons, &m.EditMessageID, &m.EditRef, &m.TicketID,
		&m.Kind, &m.DedupeKey, &m.Status, &m.Attempts, &created, &sentIDs)
	if err != nil {
		return OutboxMessage{}, err
	}
	if m.Status == OutboxPending && sentIDs != "" {
		for _, p := range strings.Split(sentIDs, ",") {
			id, err := strconv.Atoi(p)
			if err != nil {
				return OutboxMessage{}, fmt.Errorf("outbox %d message ids %q: %w", m.ID, sentIDs, err)
			}
			m.SentParts = append(m.SentParts, id)
		}
	}
	if buttons != "" {
		if err := json.Unmarshal([]byte(buttons), &m.Buttons); err != nil {
			return OutboxMessage{}, fmt.Errorf("outbox %d buttons: %w", m.ID, err)
		}
	}
	m.CreatedAt = parseTime(created)
	return m, nil
}

// Due returns up to limit pending messages whose next attempt is due, in id
// order (which is the order they were caused in). A message waits while an
// earlier message to the same chat is backing off, so a chat never reads
// "resolved" before "accepted", even across restarts.
func (db *DB) Due(ctx context.Context, now time.Time, limit int) ([]OutboxMessage, error) {
	return queryAll(ctx, db.read, "read due outbox", scanOutbox, `SELECT `+outboxCols+` FROM outbox
		WHERE status = 'pending' AND next_attempt_at <= ?
		AND NOT EXISTS (SELECT 1 FROM outbox o2 WHERE o2.chat_id = outbox.chat_id
			AND o2.status = 'pending' AND o2.id < outbox.id AND o2.next_attempt_at > ?)
		ORDER BY id LIMIT ?`, fmtTime(now), fmtTime(now), limit)
}

// NextDue returns when the earliest pending message becomes due; ok is false
// when nothing is pending.
func (db *DB) NextDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var s sql.NullString
	err = db.read.QueryRowContext(ctx, `SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'`).Scan(&s)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read next due: %w", err)
	}
	if !s.Valid {
		return time.Time{}, false, nil
	}
	return parseTime(s), true, nil
}

// MessageID returns the Telegram message id of a sent outbox row (the first
// part, if it was split). ok is false while it is not sent.
func (db *DB) MessageID(ctx context.Context, outboxID int64) (int, bool, error) {
	var ids, status string
	err := db.read.QueryRowContext(ctx, `SELECT tg_message_ids, status FROM outbox WHERE id = ?`, outboxID).Scan(&ids, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read outbox %d: %w", outboxID, err)
	}
	if status != OutboxSent || ids == "" {
		return 0, false, nil
	}
	// A card split in parts carries its buttons on the last part: that is
	// the one to edit.
	parts := strings.Split(ids, ",")
	id, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil {
		return 0, false, fmt.Errorf("outbox %d message ids %q: %w", outboxID, ids, err)
	}
	return id, true, nil
}

// MarkPartSent records Telegram's OK for the first parts of a split
// message whose row stays pending, so that a restart sends only the parts
// still missing instead of the whole message again.
func (db *DB) MarkPartSent(ctx context.Context, id int64, telegramIDs []int) error {
	ids := joinIDs(telegramIDs)
	return db.Update(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE outbox SET tg_message_ids = ? WHERE id = ? AND status = 'pending'`, ids, id)
		if err != nil {
			return fmt.Errorf("mark parts of outbox %d sent: %w", id, err)
		}
		return nil
	})
}

// MarkSent records Telegram's OK for a row.
func (db *DB) MarkSent(ctx context.Context, id int64, telegramIDs []int, now time.Time) error {
	ids := joinIDs(telegramIDs)
	return db.Update(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, tg_message_ids = ?, attempts = attempts + 1
			WHERE id = ?`, fmtTime(now), ids, id)
		if err != nil {
			return fmt.Errorf("mark outbox %d sent: %w", id, err)
		}
		return nil
	})
}

// Retry schedules another attempt of a row.
func (db *DB) Retry(ctx context.Context, id int64, notBefore time.Time, reason string) error {
	return db.Update(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
			WHERE id = ? AND status = 'pending'`, fmtTime(notBefore), reason, id)
		if err != nil {
			return fmt.Errorf("retry outbox %d: %w", id, err)
		}
		return nil
	})
}

// Fail gives up on a row for good.
func (db *DB) Fail(ctx context.Context, id int64, reason string) error {
	return db.Update(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`, reason, id)
		if err != nil {
			return fmt.Errorf("fail outbox %d: %w", id, err)
		}
		return nil
	})
}

// Blocked records that the chat blocked the bot: it is unreachable, opted
// out of campaigns, and its pending messages are failed.
func (db *DB) Blocked(ctx context.Context, chatID int64, now time.Time) error {
	return db.Update(ctx, func(t *Tx) error {
		if _, err := t.exec(ctx, `INSERT INTO chats (chat_id, blocked_at, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (chat_id) DO UPDATE SET blocked_at = excluded.blocked_at, updated_at = excluded.updated_at`,
			chatID, fmtTime(now), fmtTime(now)); err != nil {
			return fmt.Errorf("mark chat %d blocked: %w", chatID, err)
		}
		if _, err := t.exec(ctx, `UPDATE residents SET opted_out = 1 WHERE telegram_id = ?`, chatID); err != nil {
			return fmt.Errorf("opt out chat %d: %w", chatID, err)
		}
		if _, err := t.exec(ctx, `UPDATE outbox SET status = 'failed', last_error = 'blocked by the user'
			WHERE chat_id = ? AND status = 'pending'`, chatID); err != nil {
			return fmt.Errorf("fail pending for chat %d: %w", chatID, err)
		}
		return nil
	})
}

// OutboxFilter selects outbox rows for inspection.
type OutboxFilter struct {
	ChatID   int64
	TicketID TicketID
	Kind     string
	Status   string
}

// OutboxMessages lists outbox rows matching f in id order.
func (t *Tx) OutboxMessages(ctx context.Context, f OutboxFilter) ([]OutboxMessage, error) {
	q := `SELECT ` + outboxCols + ` FROM outbox WHERE 1=1`
	var args []any
	if f.ChatID != 0 {
		q += " AND chat_id = ?"
		args = append(args, f.ChatID)
	}
	if f.TicketID != 0 {
		q += " AND ticket_id = ?"
		args = append(args, f.TicketID)
	}
	if f.Kind != "" {
		q += " AND kind = ?"
		args = append(args, f.Kind)
	}
	if f.Status != "" {
		q += " AND status = ?"
		args = append(args, f.Status)
	}
	return queryAll(ctx, t.tx, "list outbox", scanOutbox, q+" ORDER BY id", args...)
}

// joinIDs is the tg_message_ids column: Telegram message ids, comma-separated.
func joinIDs(ids []int) string {
	s := make([]string, len(ids))
	for i, v := range ids {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}
