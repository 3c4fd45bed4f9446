package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Chat is a Telegram chat that has talked to the bot, with its conversation
// state.
type Chat struct {
	ID        int64
	Name      string
	StartedAt time.Time
	BlockedAt time.Time
	State     string
	StateData string
}

// Chat returns the chat; a chat never seen is returned empty with ok false.
func (t *Tx) Chat(ctx context.Context, id int64) (c Chat, ok bool, err error) {
	var started, blocked sql.NullString
	err = t.tx.QueryRowContext(ctx, `SELECT chat_id, name, started_at, blocked_at, state, state_data FROM chats WHERE chat_id = ?`, id).
		Scan(&c.ID, &c.Name, &started, &blocked, &c.State, &c.StateData)
	if errors.Is(err, sql.ErrNoRows) {
		return Chat{ID: id}, false, nil
	}
	if err != nil {
		return Chat{}, false, fmt.Errorf("read chat %d: %w", id, err)
	}
	c.StartedAt, c.BlockedAt = parseTime(started), parseTime(blocked)
	return c, true, nil
}

// TouchChat records that the chat wrote to the bot (it is reachable again
// after a block) and keeps its display name current.
func (t *Tx) TouchChat(ctx context.Context, id int64, name string, now time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO chats (chat_id, name, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET name = excluded.name, blocked_at = NULL, updated_at = excluded.updated_at`,
		id, name, fmtTime(now))
	if err != nil {
		return fmt.Errorf("touch chat %d: %w", id, err)
	}
	return nil
}

// MarkStarted records that the chat sent /start, so the bot may write to it.
func (t *Tx) MarkStarted(ctx context.Context, id int64, now time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO chats (chat_id, started_at, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET started_at = coalesce(chats.started_at, excluded.started_at), blocked_at = NULL, updated_at = excluded.updated_at`,
		id, fmtTime(now), fmtTime(now))
	if err != nil {
		return fmt.Errorf("mark chat %d started: %w", id, err)
	}
	return nil
}

// SetChatState stores the conversation step of a chat ("" clears it).
func (t *Tx) SetChatState(ctx context.Context, id int64, state, data string, now time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO chats (chat_id, state, state_data, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, state_data = excluded.state_data, updated_at = excluded.updated_at`,
		id, state, data, fmtTime(now))
	if err != nil {
		return fmt.Errorf("set chat %d state: %w", id, err)
	}
	return nil
}

// Resident is a person who reports to the hotline.
type Resident struct {
	ID           int64 // Telegram user id (= private chat id)
	Name         string
	Village      string // "" until registered
	Phone        string
	Tags         []string
	OptedOut     bool
	RegisteredAt time.Time
	CreatedAt    time.Time
}

// HasTag reports whether the resident carries tag.
func (r Resident) HasTag(tag string) bool {
	for _, t := range r.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

const residentCols = `telegram_id, name, village, phone, tags, opted_out, registered_at, created_at`

func scanResident(sc scanner) (Resident, error) {
	var r Resident
	var tags string
	var reg, created sql.NullString
	if err := sc.Scan(&r.ID, &r.Name, &r.Village, &r.Phone, &tags, &r.OptedOut, &reg, &created); err != nil {
		return Resident{}, err
	}
	r.Tags = splitList(tags)
	r.RegisteredAt, r.CreatedAt = parseTime(reg), parseTime(created)
	return r, nil
}

// Resident returns a resident by Telegram id, or ErrNotFound.
func (t *Tx) Resident(ctx context.Context, id int64) (Resident, error) {
	r, err := scanResident(t.tx.QueryRowContext(ctx, `SELECT `+residentCols+` FROM residents WHERE telegram_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Resident{}, ErrNotFound
	}
	if err != nil {
		return Resident{}, fmt.Errorf("read resident %d: %w", id, err)
	}
	return r, nil
}

// EnsureResident creates the resident row if missing and refreshes the name.
func (t *Tx) EnsureResident(ctx context.Context, id int64, name string, now time.Time) (Resident, error) {
	_, err := t.exec(ctx, `INSERT INTO residents (telegram_id, name, created_at) VALUES (?, ?, ?)
		ON CONFLICT (telegram_id) DO UPDATE SET name = CASE WHEN excluded.name = '' THEN residents.name ELSE excluded.name END`,
		id, name, fmtTime(now))
	if err != nil {
		return Resident{}, fmt.Errorf("ensure resident %d: %w", id, err)
	}
	return t.Resident(ctx, id)
}

// SetResidentVillage registers (or moves) a resident to a village.
func (t *Tx) SetResidentVillage(ctx context.Context, id int64, village string, now time.Time) error {
	_, err := t.exec(ctx, `UPDATE residents SET village = ?, registered_at = coalesce(registered_at, ?) WHERE telegram_id = ?`,
		village, fmtTime(now), id)
	if err != nil {
		return fmt.Errorf("set village of %d: %w", id, err)
	}
	return nil
}

// SetResidentPhone stores a phone number the resident shared.
func (t *Tx) SetResidentPhone(ctx context.Context, id int64, phone string) error {
	if _, err := t.exec(ctx, `UPDATE residents SET phone = ? WHERE telegram_id = ?`, phone, id); err != nil {
		return fmt.Errorf("set phone of %d: %w", id, err)
	}
	return nil
}

// SetResidentTags replaces the resident's tags.
func (t *Tx) SetResidentTags(ctx context.Context, id int64, tags []string) error {
	if _, err := t.exec(ctx, `UPDATE residents SET tags = ? WHERE telegram_id = ?`, strings.Join(tags, ";"), id); err != nil {
		return fmt.Errorf("set tags of %d: %w", id, err)
	}
	return nil
}

// SetOptedOut records /stop (true) or /start (false) for campaigns.
func (t *Tx) SetOptedOut(ctx context.Context, id int64, out bool) error {
	if _, err := t.exec(ctx, `UPDATE residents SET opted_out = ? WHERE telegram_id = ?`, out, id); err != nil {
		return fmt.Errorf("set opt-out of %d: %w", id, err)
	}
	return nil
}

// Residents lists registered residents in id order. Opted-out residents are
// included; callers filter by purpose.
func (t *Tx) Residents(ctx context.Context) ([]Resident, error) {
	return queryAll(ctx, t.tx, "list residents", scanResident, `SELECT `+residentCols+` FROM residents WHERE village <> '' ORDER BY telegram_id`)
}

// Reachable reports whether the bot may write to the chat: it has started
// the bot and has not blocked it.
func (t *Tx) Reachable(ctx context.Context, id int64) (bool, error) {
	c, ok, err := t.Chat(ctx, id)
	if err != nil || !ok {
		return false, err
	}
	return !c.StartedAt.IsZero() && c.BlockedAt.IsZero(), nil
}

// AddPendingText keeps a text a resident sent before registering.
func (t *Tx) AddPendingText(ctx context.Context, residentID int64, text string, now time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO pending_texts (resident_id, text, received_at) VALUES (?, ?, ?)`, residentID, text, fmtTime(now))
	if err != nil {
		return fmt.Errorf("keep pending text: %w", err)
	}
	return nil
}

// TakePendingTexts returns and deletes the resident's pending texts, oldest first.
func (t *Tx) TakePendingTexts(ctx context.Context, residentID int64) ([]PendingText, error) {
	out, err := queryAll(ctx, t.tx, "read pending texts", func(sc scanner) (PendingText, error) {
		var p PendingText
		var received sql.NullString
		err := sc.Scan(&p.ID, &p.Text, &received)
		p.ReceivedAt = parseTime(received)
		return p, err
	}, `SELECT id, text, received_at FROM pending_texts WHERE resident_id = ? ORDER BY id`, residentID)
	if err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, `DELETE FROM pending_texts WHERE resident_id = ?`, residentID); err != nil {
		return nil, fmt.Errorf("delete pending texts: %w", err)
	}
	return out, nil
}
