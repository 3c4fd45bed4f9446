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
	Method        string // "send", "edit" or "copy"
	Text          string // safe HTML; for "copy", the caption ("" keeps the original's)
	Buttons       [][]Button
	EditMessageID int   // for "edit": the Telegram message id
	EditRef       int64 // for "edit": outbox id of the message to edit, when its Telegram id is not yet known
	FromChat      int64 // for "copy": the chat of the message to copy (a resident's photo, to the handler)
	FromMessageID int   // for "copy": that message's Telegram id
	TicketID      TicketID
	Kind          string // what it is: card, accepted, digest... for tests and reports
	Lane          Lane   // "" is the ticket lane
	DedupeKey     string // at most one message per key; "" for none
	Status        string
	Attempts      int
	CreatedAt     time.Time
	NotBefore     time.Time // a pending row backing off after a failure is not tried before this
	SentParts     []int     // a pending split message: Telegram ids of the parts already sent, in order
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
	lane := m.Lane
	if lane == "" {
		lane = LaneTicket
	}
	if !lane.valid() {
		return 0, fmt.Errorf("enqueue %s for %d: unknown lane %q", m.Kind, m.ChatID, lane)
	}
	var dedupe, ticket any
	if m.DedupeKey != "" {
		dedupe = m.DedupeKey
	}
	if m.TicketID != 0 {
		ticket = m.TicketID
	}
	if m.Method == "copy" && (m.FromChat == 0 || m.FromMessageID <= 0) {
		return 0, fmt.Errorf("enqueue %s for %d: a copy names no message to copy", m.Kind, m.ChatID)
	}
	res, err := t.exec(ctx, `INSERT INTO outbox (chat_id, method, text, buttons, edit_message_id, edit_ref,
		ticket_id, kind, lane, dedupe_key, next_attempt_at, created_at, from_chat, from_message_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
		m.ChatID, m.Method, m.Text, buttons, m.EditMessageID, m.EditRef, ticket, m.Kind, lane, dedupe,
		fmtTime(now), fmtTime(now), m.FromChat, m.FromMessageID)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s for %d: %w", m.Kind, m.ChatID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, nil
	}
	return res.LastInsertId()
}

func (l Lane) valid() bool { return l == LaneTicket || l == LaneCampaign }

const outboxCols = `id, chat_id, method, text, buttons, edit_message_id, edit_ref, coalesce(ticket_id, 0), kind, lane,
	coalesce(dedupe_key, ''), status, attempts, created_at, next_attempt_at, tg_message_ids, from_chat, from_message_id`

func scanOutbox(sc scanner) (OutboxMessage, error) {
	var m OutboxMessage
	var buttons, sentIDs string
	var created, next sql.NullString
	err := sc.Scan(&m.ID, &m.ChatID, &m.Method, &m.Text, &buttons, &m.EditMessageID, &m.EditRef, &m.TicketID,
		&m.Kind, &m.Lane, &m.DedupeKey, &m.Status, &m.Attempts, &created, &next, &sentIDs, &m.FromChat, &m.FromMessageID)
	if err != nil {
		return OutboxMessage{}, err
	}
	if !m.Lane.valid() {
		return OutboxMessage{}, fmt.Errorf("outbox %d: unknown lane %q", m.ID, m.Lane)
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
	if m.Status == OutboxPending {
		m.NotBefore = parseTime(next)
	}
	return m, nil
}

// Pending returns up to limit pending rows of lane with ids above after,
// in id order (the order they were caused in), whether due or backing off
// (NotBefore). The sender reads each lane onward from the last id it read,
// so each read costs the rows it returns, however many wait.
func (db *DB) Pending(ctx context.Context, lane Lane, after int64, limit int) ([]OutboxMessage, error) {
	return queryAll(ctx, db.read, "read pending outbox", scanOutbox, `SELECT `+outboxCols+` FROM outbox
		WHERE lane = ? AND status = 'pending' AND id > ? ORDER BY id LIMIT ?`, lane, after, limit)
}

// Head is the highest outbox id, 0 for none: a reader that has seen every
// row up to it has seen every row written so far, by this process or any
// other (ids grow in commit order: SQLite has one writer at a time). It
// reads one page, so it can be asked often.
func (db *DB) Head(ctx context.Context) (int64, error) {
	var id int64
	if err := db.read.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM outbox`).Scan(&id); err != nil {
		return 0, fmt.Errorf("read outbox head: %w", err)
	}
	return id, nil
}

// MessageID returns the Telegram message id of a sent outbox row (the last
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
