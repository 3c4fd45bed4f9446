package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// MediaKind is what a resident sent besides words.
type MediaKind string

// Media kinds.
const (
	MediaPhoto    MediaKind = "photo"
	MediaVoice    MediaKind = "voice"
	MediaLocation MediaKind = "location" // a shared place; the ticket's card shows it from Ticket.Place
)

func (k MediaKind) valid() bool { return k == MediaPhoto || k == MediaVoice || k == MediaLocation }

// Media is a photo, voice message or shared place of a ticket: the chat's
// file id, and the message in the resident's chat, of which the handler
// gets a copy.
type Media struct {
	ID           int64
	TicketID     TicketID
	Kind         MediaKind
	FileID       string
	FileUniqueID string
	ChatID       int64 // the chat it was sent in
	MessageID    int
	Duration     int // seconds, for a voice message
	Caption      string
	Place        Place  // a location's point
	Title        string // a location's name, when Telegram gave one (a venue)
	Address      string // a location's address, likewise
	AddedAt      time.Time
}

const mediaCols = `id, ticket_id, kind, file_id, file_unique_id, chat_id, message_id, duration, caption,
	coalesce(latitude, 0), coalesce(longitude, 0), place_title, place_address, added_at`

func scanMedia(sc scanner) (Media, error) {
	var m Media
	var added sql.NullString
	if err := sc.Scan(&m.ID, &m.TicketID, &m.Kind, &m.FileID, &m.FileUniqueID, &m.ChatID, &m.MessageID,
		&m.Duration, &m.Caption, &m.Place.Lat, &m.Place.Lon, &m.Title, &m.Address, &added); err != nil {
		return Media{}, err
	}
	if err := m.check(); err != nil {
		return Media{}, fmt.Errorf("ticket media %d: %w", m.ID, err)
	}
	m.AddedAt = parseTime(added)
	return m, nil
}

// check refuses an item of no known kind, and a place with no point.
func (m Media) check() error {
	switch {
	case !m.Kind.valid():
		return fmt.Errorf("unknown kind %q", m.Kind)
	case m.Kind == MediaLocation && !m.Place.Known():
		return errors.New("a location without coordinates")
	}
	return nil
}

// AddTicketMedia stores a photo, voice message or place of a ticket and
// fills in its ID.
func (t *Tx) AddTicketMedia(ctx context.Context, m *Media) error {
	if err := m.check(); err != nil {
		return fmt.Errorf("add media to ticket %d: %w", m.TicketID, err)
	}
	res, err := t.exec(ctx, `INSERT INTO ticket_media (ticket_id, kind, file_id, file_unique_id, chat_id, message_id,
		duration, caption, latitude, longitude, place_title, place_address, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.TicketID, m.Kind, m.FileID, m.FileUniqueID,
		m.ChatID, m.MessageID, m.Duration, m.Caption, m.Place.column(true), m.Place.column(false), m.Title, m.Address,
		fmtTime(m.AddedAt))
	if err != nil {
		return fmt.Errorf("add media to ticket %d: %w", m.TicketID, err)
	}
	m.ID, err = res.LastInsertId()
	return err
}

// TicketMedia lists a ticket's photos and voice messages in the order they
// came: what its handler is sent a copy of. Its places are on its card.
func (t *Tx) TicketMedia(ctx context.Context, id TicketID) ([]Media, error) {
	return queryAll(ctx, t.tx, "list ticket media", scanMedia,
		`SELECT `+mediaCols+` FROM ticket_media WHERE ticket_id = ? AND kind <> 'location' ORDER BY id`, id)
}

// PendingMedia is a photo, place or voice message that waits for its
// ticket: sent before the resident registered, or on its own before they
// said what the problem is.
type PendingMedia struct {
	ID           int64
	ResidentID   int64
	Kind         MediaKind
	FileID       string
	FileUniqueID string
	ChatID       int64
	MessageID    int
	Duration     int
	Caption      string
	Place        Place  // a location's
	Title        string // a location's name, when Telegram gave one
	Address      string // a location's address, likewise
	Transcript   string // a voice message's text, when it was transcribed
	TextID       int64  // the pending text it came with; 0 for none
	ReceivedAt   time.Time
}

// Media is p as a ticket keeps it.
func (p PendingMedia) Media(ticket TicketID) Media {
	return Media{TicketID: ticket, Kind: p.Kind, FileID: p.FileID, FileUniqueID: p.FileUniqueID, ChatID: p.ChatID,
		MessageID: p.MessageID, Duration: p.Duration, Caption: p.Caption, Place: p.Place, Title: p.Title, Address: p.Address,
		AddedAt: p.ReceivedAt}
}

// AddPendingMedia keeps a photo, place or voice message until its ticket
// is opened.
func (t *Tx) AddPendingMedia(ctx context.Context, p PendingMedia) error {
	if !p.Kind.valid() {
		return fmt.Errorf("keep pending media of %d: unknown kind %q", p.ResidentID, p.Kind)
	}
	_, err := t.exec(ctx, `INSERT INTO pending_media (resident_id, kind, file_id, file_unique_id, chat_id, message_id,
		duration, caption, latitude, longitude, place_title, place_address, transcript, text_id, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ResidentID, p.Kind, p.FileID, p.FileUniqueID, p.ChatID, p.MessageID, p.Duration, p.Caption,
		p.Place.column(true), p.Place.column(false), p.Title, p.Address, p.Transcript, p.TextID, fmtTime(p.ReceivedAt))
	if err != nil {
		return fmt.Errorf("keep pending media of %d: %w", p.ResidentID, err)
	}
	return nil
}

// TakePendingMedia returns and deletes the resident's waiting media
// received at or after since (older ones are deleted too: they waited too
// long to belong to what comes now), oldest first.
func (t *Tx) TakePendingMedia(ctx context.Context, residentID int64, since time.Time) ([]PendingMedia, error) {
	out, err := queryAll(ctx, t.tx, "read pending media", scanPendingMedia, `SELECT id, resident_id, kind, file_id,
		file_unique_id, chat_id, message_id, duration, caption, coalesce(latitude, 0), coalesce(longitude, 0),
		place_title, place_address, transcript, text_id, received_at FROM pending_media WHERE resident_id = ? AND received_at >= ? ORDER BY id`,
		residentID, fmtTime(since))
	if err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, `DELETE FROM pending_media WHERE resident_id = ?`, residentID); err != nil {
		return nil, fmt.Errorf("delete pending media of %d: %w", residentID, err)
	}
	return out, nil
}

// HasPendingMedia reports whether the resident has media waiting, received
// at or after since.
func (t *Tx) HasPendingMedia(ctx context.Context, residentID int64, since time.Time) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM pending_media WHERE resident_id = ? AND received_at >= ?`,
		residentID, fmtTime(since)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count pending media of %d: %w", residentID, err)
	}
	return n > 0, nil
}

func scanPendingMedia(sc scanner) (PendingMedia, error) {
	var p PendingMedia
	var received sql.NullString
	if err := sc.Scan(&p.ID, &p.ResidentID, &p.Kind, &p.FileID, &p.FileUniqueID, &p.ChatID, &p.MessageID, &p.Duration,
		&p.Caption, &p.Place.Lat, &p.Place.Lon, &p.Title, &p.Address, &p.Transcript, &p.TextID, &received); err != nil {
		return PendingMedia{}, err
	}
	if !p.Kind.valid() {
		return PendingMedia{}, fmt.Errorf("pending media %d: unknown kind %q", p.ID, p.Kind)
	}
	p.ReceivedAt = parseTime(received)
	return p, nil
}

// PendingText is a text a resident sent before registering.
type PendingText struct {
	ID         int64
	Text       string
	ReceivedAt time.Time
}

// LastPendingText is the resident's newest pending text; ok is false when
// they have none.
func (t *Tx) LastPendingText(ctx context.Context, residentID int64) (p PendingText, ok bool, err error) {
	var received sql.NullString
	err = t.tx.QueryRowContext(ctx, `SELECT id, text, received_at FROM pending_texts WHERE resident_id = ?
		ORDER BY id DESC LIMIT 1`, residentID).Scan(&p.ID, &p.Text, &received)
	if err == sql.ErrNoRows {
		return PendingText{}, false, nil
	}
	if err != nil {
		return PendingText{}, false, fmt.Errorf("read last pending text of %d: %w", residentID, err)
	}
	p.ReceivedAt = parseTime(received)
	return p, true, nil
}

// MediaItem is one photo, voice message or place by its id.
func (t *Tx) MediaItem(ctx context.Context, id int64) (Media, error) {
	m, err := scanMedia(t.tx.QueryRowContext(ctx, `SELECT `+mediaCols+` FROM ticket_media WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return Media{}, fmt.Errorf("media %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Media{}, fmt.Errorf("read media %d: %w", id, err)
	}
	return m, nil
}

// ProblemMedia lists the photos, voice messages and places of ticket id
// and of the reports linked to it (the same problem from other
// requesters), in the order they came: what the desk shows of the
// problem, each with the ticket it came with.
func (t *Tx) ProblemMedia(ctx context.Context, id TicketID) ([]Media, error) {
	if id == 0 {
		return nil, nil // no ticket; linked_to = 0 is every ticket not linked
	}
	return queryAll(ctx, t.tx, "list the problem's media", scanMedia,
		`SELECT `+mediaCols+` FROM ticket_media
		WHERE ticket_id = ? OR ticket_id IN (SELECT id FROM tickets WHERE linked_to = ? AND linked_to <> 0)
		ORDER BY id`, id, id)
}
