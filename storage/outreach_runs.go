package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hotline/taxonomy"
)

// Run statuses of an outreach run.
const (
	RunRunning = "running"
	RunDone    = "done"
	RunSkipped = "skipped"
)

// Run is one outreach run: a campaign at one scheduled time (its slot).
// (campaign, slot) is unique, so a slot runs at most once.
type Run struct {
	ID         int64
	Campaign   string
	Slot       time.Time
	Kind       CampaignKind
	Segment    string
	Text       string
	Category   taxonomy.Category // "" for a campaign whose answers open no ticket
	ActorID    int64
	Status     string
	Note       string
	Cursor     int64 // fan-out progress: residents with a larger id are still to do
	Recipients int
	StartedAt  time.Time
	FinishedAt time.Time
}

const runCols = `id, campaign, slot, kind, segment, text, category, actor_id, status, note, cursor, recipients, started_at, finished_at`

func scanRun(sc scanner) (Run, error) {
	var r Run
	var slot, started, finished sql.NullString
	err := sc.Scan(&r.ID, &r.Campaign, &slot, &r.Kind, &r.Segment, &r.Text, &r.Category, &r.ActorID, &r.Status,
		&r.Note, &r.Cursor, &r.Recipients, &started, &finished)
	if err != nil {
		return Run{}, err
	}
	r.Slot, r.StartedAt, r.FinishedAt = parseTime(slot), parseTime(started), parseTime(finished)
	switch {
	case !r.Kind.Valid():
		return Run{}, fmt.Errorf("run %d: unknown campaign kind %q", r.ID, r.Kind)
	case r.Category != "" && !r.Category.Valid():
		return Run{}, fmt.Errorf("run %d: unknown category %q", r.ID, r.Category)
	}
	return r, nil
}

// StartRun records run r (status running) unless its (campaign, slot) is
// already recorded, and returns the stored run; created says which.
func (t *Tx) StartRun(ctx context.Context, r Run, now time.Time) (Run, bool, error) {
	status := r.Status
	if status == "" {
		status = RunRunning
	}
	var finished any
	if status != RunRunning {
		finished = fmtTime(now)
	}
	res, err := t.exec(ctx, `INSERT INTO outreach_runs (campaign, slot, kind, segment, text, category, actor_id, status, note,
		started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign, slot) DO NOTHING`,
		r.Campaign, fmtTime(r.Slot), r.Kind, r.Segment, r.Text, r.Category, r.ActorID, status, r.Note, fmtTime(now), finished)
	if err != nil {
		return Run{}, false, fmt.Errorf("start run %s@%s: %w", r.Campaign, fmtTime(r.Slot), err)
	}
	n, _ := res.RowsAffected()
	stored, err := t.RunBySlot(ctx, r.Campaign, r.Slot)
	return stored, n == 1, err
}

// RunBySlot returns the run of a campaign at a slot, or ErrNotFound.
func (t *Tx) RunBySlot(ctx context.Context, campaign string, slot time.Time) (Run, error) {
	return t.oneRun(ctx, `SELECT `+runCols+` FROM outreach_runs WHERE campaign = ? AND slot = ?`, campaign, fmtTime(slot))
}

// Run returns a run by id, or ErrNotFound.
func (t *Tx) Run(ctx context.Context, id int64) (Run, error) {
	return t.oneRun(ctx, `SELECT `+runCols+` FROM outreach_runs WHERE id = ?`, id)
}

func (t *Tx) oneRun(ctx context.Context, q string, args ...any) (Run, error) {
	r, err := scanRun(t.tx.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, ErrNotFound
	}
	if err != nil {
		return Run{}, fmt.Errorf("read run: %w", err)
	}
	return r, nil
}

// AdvanceRun moves a run's fan-out cursor, adds to its recipient count and,
// when done, finishes it — in the transaction that queued the batch.
func (t *Tx) AdvanceRun(ctx context.Context, id, cursor int64, added int, done bool, now time.Time) error {
	status, finished := RunRunning, any(nil)
	if done {
		status, finished = RunDone, fmtTime(now)
	}
	_, err := t.exec(ctx, `UPDATE outreach_runs SET cursor = ?, recipients = recipients + ?, status = ?, finished_at = ?
		WHERE id = ?`, cursor, added, status, finished, id)
	if err != nil {
		return fmt.Errorf("advance run %d: %w", id, err)
	}
	return nil
}

// ReviveRun turns a skipped run back into a running one, for a slot that
// staff run by hand after it was skipped. It takes what to send from r
// (segment, text, category, note): a skipped record carries only why it
// was skipped, and a run resumed from it must not go out empty.
func (t *Tx) ReviveRun(ctx context.Context, id int64, r Run) error {
	if _, err := t.exec(ctx, `UPDATE outreach_runs SET status = 'running', finished_at = NULL,
		segment = ?, text = ?, category = ?, note = ? WHERE id = ? AND status = 'skipped'`,
		r.Segment, r.Text, r.Category, r.Note, id); err != nil {
		return fmt.Errorf("revive run %d: %w", id, err)
	}
	return nil
}

// RunFilter selects runs. Zero fields do not filter.
type RunFilter struct {
	Campaign string
	Kind     CampaignKind
	Status   string
	Limit    int
}

// Runs lists runs, newest slot first.
func (t *Tx) Runs(ctx context.Context, f RunFilter) ([]Run, error) {
	q := `SELECT ` + runCols + ` FROM outreach_runs WHERE 1=1`
	var args []any
	for _, c := range []struct {
		col string
		v   string
	}{{"campaign", f.Campaign}, {"kind", string(f.Kind)}, {"status", f.Status}} {
		if c.v != "" {
			q += " AND " + c.col + " = ?"
			args = append(args, c.v)
		}
	}
	q += " ORDER BY slot DESC, id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return queryAll(ctx, t.tx, "list runs", scanRun, q, args...)
}

// kindList is kinds as SQL placeholders and their arguments.
func kindList(kinds []CampaignKind) (string, []any) {
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = k
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?,", len(kinds)), ",") + ")", args
}

// LastScheduled returns the last scheduled fire time handled for a
// campaign; ok is false when the campaign was never seen.
func (t *Tx) LastScheduled(ctx context.Context, campaign string) (time.Time, bool, error) {
	return queryTime(ctx, t.tx, "read schedule of "+campaign,
		`SELECT last_scheduled FROM outreach_schedules WHERE campaign = ?`, campaign)
}

// SetLastScheduled stores the last scheduled fire time handled for a campaign.
func (t *Tx) SetLastScheduled(ctx context.Context, campaign string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO outreach_schedules (campaign, last_scheduled) VALUES (?, ?)
		ON CONFLICT (campaign) DO UPDATE SET last_scheduled = excluded.last_scheduled`, campaign, fmtTime(at))
	if err != nil {
		return fmt.Errorf("store schedule of %s: %w", campaign, err)
	}
	return nil
}
