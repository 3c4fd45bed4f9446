package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Audience returns, in id order, up to limit registered residents with an
// id above after who may receive campaigns — started the bot, did not block
// it, did not /stop — and for whom keep is true. One query replaces a
// Reachable call per resident, which matters at 50,000 residents.
func (t *Tx) Audience(ctx context.Context, after int64, limit int, keep func(Resident) bool) ([]Resident, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT r.telegram_id, r.name, r.village, r.phone, r.tags, r.opted_out,
		r.registered_at, r.created_at FROM residents r JOIN chats c ON c.chat_id = r.telegram_id
		WHERE r.telegram_id > ? AND r.village <> '' AND r.opted_out = 0
		AND c.started_at IS NOT NULL AND c.blocked_at IS NULL ORDER BY r.telegram_id`, after)
	if err != nil {
		return nil, fmt.Errorf("list audience: %w", err)
	}
	defer rows.Close()
	var out []Resident
	for rows.Next() && (limit <= 0 || len(out) < limit) {
		r, err := scanResident(rows)
		if err != nil {
			return nil, fmt.Errorf("list audience: %w", err)
		}
		if keep == nil || keep(r) {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

// Recipient is one resident asked in a run, with their answer.
type Recipient struct {
	RunID      int64
	ChatID     int64
	Village    string
	AskedAt    time.Time
	Answer     string // "" while unanswered
	AnsweredAt time.Time
	TicketID   int64
}

const recipientCols = `run_id, chat_id, village, asked_at, answer, answered_at, ticket_id`

func scanRecipient(sc scanner) (Recipient, error) {
	var r Recipient
	var asked, answered sql.NullString
	if err := sc.Scan(&r.RunID, &r.ChatID, &r.Village, &asked, &r.Answer, &answered, &r.TicketID); err != nil {
		return Recipient{}, err
	}
	r.AskedAt, r.AnsweredAt = parseTime(asked), parseTime(answered)
	return r, nil
}

// AddRecipient records that a run asked a resident; a second call is a no-op.
func (t *Tx) AddRecipient(ctx context.Context, runID, chatID int64, village string, now time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO outreach_recipients (run_id, chat_id, village, asked_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, runID, chatID, village, fmtTime(now))
	if err != nil {
		return fmt.Errorf("record recipient %d of run %d: %w", chatID, runID, err)
	}
	return nil
}

// Recipient returns a resident's row of a run, or ErrNotFound.
func (t *Tx) Recipient(ctx context.Context, runID, chatID int64) (Recipient, error) {
	r, err := scanRecipient(t.tx.QueryRowContext(ctx, `SELECT `+recipientCols+` FROM outreach_recipients
		WHERE run_id = ? AND chat_id = ?`, runID, chatID))
	if errors.Is(err, sql.ErrNoRows) {
		return Recipient{}, ErrNotFound
	}
	if err != nil {
		return Recipient{}, fmt.Errorf("read recipient: %w", err)
	}
	return r, nil
}

// AnswerRecipient stores the first answer of a recipient; ok is false when
// it had already answered (the answer is kept).
func (t *Tx) AnswerRecipient(ctx context.Context, runID, chatID int64, answer string, ticketID int64, now time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE outreach_recipients SET answer = ?, answered_at = ?, ticket_id = ?
		WHERE run_id = ? AND chat_id = ? AND answer = ''`, answer, fmtTime(now), ticketID, runID, chatID)
	if err != nil {
		return false, fmt.Errorf("answer run %d for %d: %w", runID, chatID, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// AwaitingCheckin returns the resident's latest unanswered question of a
// run of one of kinds (those whose answer may be a text) asked at or after
// since, with its run; ok is false when there is none.
func (t *Tx) AwaitingCheckin(ctx context.Context, chatID int64, since time.Time, kinds []CampaignKind) (Recipient, Run, bool, error) {
	if len(kinds) == 0 {
		return Recipient{}, Run{}, false, nil
	}
	var runID int64
	in, args := kindList(kinds)
	err := t.tx.QueryRowContext(ctx, `SELECT p.run_id FROM outreach_recipients p JOIN outreach_runs r ON r.id = p.run_id
		WHERE p.chat_id = ? AND p.answer = '' AND p.asked_at >= ? AND r.kind IN `+in+`
		ORDER BY p.asked_at DESC, p.run_id DESC LIMIT 1`, append([]any{chatID, fmtTime(since)}, args...)...).Scan(&runID)
	if errors.Is(err, sql.ErrNoRows) {
		return Recipient{}, Run{}, false, nil
	}
	if err != nil {
		return Recipient{}, Run{}, false, fmt.Errorf("find awaiting check-in of %d: %w", chatID, err)
	}
	rc, err := t.Recipient(ctx, runID, chatID)
	if err != nil {
		return Recipient{}, Run{}, false, err
	}
	run, err := t.Run(ctx, runID)
	return rc, run, err == nil, err
}

// Unanswered lists recipients of runs of one of kinds asked in
// [from, before) who never answered and are not yet on a visit list.
func (t *Tx) Unanswered(ctx context.Context, from, before time.Time, kinds []CampaignKind) ([]Recipient, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	in, args := kindList(kinds)
	return queryAll(ctx, t.tx, "list unanswered", scanRecipient, `SELECT `+prefixed("p.", recipientCols)+` FROM outreach_recipients p
		JOIN outreach_runs r ON r.id = p.run_id
		WHERE p.answer = '' AND p.asked_at >= ? AND p.asked_at < ? AND r.kind IN `+in+`
		AND NOT EXISTS (SELECT 1 FROM outreach_visits v WHERE v.resident_id = p.chat_id AND v.run_id = p.run_id)
		ORDER BY p.village, p.chat_id`, append([]any{fmtTime(from), fmtTime(before)}, args...)...)
}

// RunAnswers lists the answered recipients of a run.
func (t *Tx) RunAnswers(ctx context.Context, runID int64) ([]Recipient, error) {
	return queryAll(ctx, t.tx, fmt.Sprintf("list answers of run %d", runID), scanRecipient, `SELECT `+recipientCols+` FROM outreach_recipients
		WHERE run_id = ? AND answer <> '' ORDER BY chat_id`, runID)
}

func prefixed(p, cols string) string {
	out := p
	for _, c := range cols {
		out += string(c)
		if c == ' ' {
			out += p
		}
	}
	return out
}

// Visit is a resident on a cadre's visit list.
type Visit struct {
	ResidentID int64
	RunID      int64
	Village    string
	AddedAt    time.Time
}

// AddVisit puts a resident on the visit list for a run; a repeat is a no-op.
func (t *Tx) AddVisit(ctx context.Context, v Visit) error {
	_, err := t.exec(ctx, `INSERT INTO outreach_visits (resident_id, run_id, village, added_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, v.ResidentID, v.RunID, v.Village, fmtTime(v.AddedAt))
	if err != nil {
		return fmt.Errorf("add visit of %d: %w", v.ResidentID, err)
	}
	return nil
}

// Visits lists the visit list of a village added at or after since.
func (t *Tx) Visits(ctx context.Context, village string, since time.Time) ([]Visit, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT resident_id, run_id, village, added_at FROM outreach_visits
		WHERE village = ? AND added_at >= ? ORDER BY added_at, resident_id`, village, fmtTime(since))
	if err != nil {
		return nil, fmt.Errorf("list visits: %w", err)
	}
	defer rows.Close()
	var out []Visit
	for rows.Next() {
		var v Visit
		var at sql.NullString
		if err := rows.Scan(&v.ResidentID, &v.RunID, &v.Village, &at); err != nil {
			return nil, fmt.Errorf("list visits: %w", err)
		}
		v.AddedAt = parseTime(at)
		out = append(out, v)
	}
	return out, rows.Err()
}
