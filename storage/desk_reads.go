package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Reads the desk shows that nothing else needs.

// RunTally is what one outreach run achieved.
type RunTally struct {
	Asked    int // residents it was sent to
	Answered int // who answered
	Problems int // who answered 有问题 (or wrote a problem)
	Tickets  int // tickets opened from answers
}

// RunTally counts the answers of a run.
func (t *Tx) RunTally(ctx context.Context, runID int64) (RunTally, error) {
	var r RunTally
	err := t.tx.QueryRowContext(ctx, `SELECT count(*), count(answered_at),
		coalesce(sum(answer IN ('bad', 'text')), 0), coalesce(sum(ticket_id <> 0), 0)
		FROM outreach_recipients WHERE run_id = ?`, runID).Scan(&r.Asked, &r.Answered, &r.Problems, &r.Tickets)
	if err != nil {
		return RunTally{}, fmt.Errorf("tally run %d: %w", runID, err)
	}
	return r, nil
}

// RosterImport is one import of the roster.
type RosterImport struct {
	ID       int64
	At       time.Time
	Source   string
	Villages int
	Staff    int
}

// RosterImports lists the latest imports, newest first.
func (t *Tx) RosterImports(ctx context.Context, limit int) ([]RosterImport, error) {
	return queryAll(ctx, t.tx, "list roster imports", func(sc scanner) (RosterImport, error) {
		var r RosterImport
		var at sql.NullString
		err := sc.Scan(&r.ID, &at, &r.Source, &r.Villages, &r.Staff)
		r.At = parseTime(at)
		return r, err
	}, `SELECT id, imported_at, source, villages, staff FROM roster_imports ORDER BY id DESC LIMIT ?`, limit)
}
