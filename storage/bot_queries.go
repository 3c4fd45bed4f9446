package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Try runs fn inside a savepoint of the transaction. If fn fails, its
// writes are undone and the rest of the transaction stays: the bot uses it
// so that a refused button press changes nothing while the update is still
// marked processed.
func (t *Tx) Try(ctx context.Context, fn func() error) error {
	return t.savepoint(ctx, "try", fn)
}

// undoError says that a savepoint could not be undone: the writes of the
// function that failed may still be in the transaction, which must then
// fail whole.
type undoError struct{ err error }

func (e undoError) Error() string { return e.err.Error() }
func (e undoError) Unwrap() error { return e.err }

// savepoint runs fn inside the savepoint name, undoing its writes and
// hooks if it fails.
func (t *Tx) savepoint(ctx context.Context, name string, fn func() error) error {
	if _, err := t.exec(ctx, "SAVEPOINT "+name); err != nil {
		return undoError{fmt.Errorf("savepoint: %w", err)}
	}
	hooks := len(t.after)
	if err := fn(); err != nil {
		t.after, t.open = t.after[:hooks], nil
		_, rbErr := t.exec(ctx, "ROLLBACK TO "+name)
		_, relErr := t.exec(ctx, "RELEASE "+name)
		if e := errors.Join(rbErr, relErr); e != nil {
			// err is only quoted, lest a caller read a refusal in it
			// and commit.
			return undoError{fmt.Errorf("undo savepoint after %q: %w", err, e)}
		}
		return err
	}
	if _, err := t.exec(ctx, "RELEASE "+name); err != nil {
		return undoError{fmt.Errorf("release savepoint: %w", err)}
	}
	return nil
}

// LatestRosterImport returns the id of the last roster import (0 when none),
// so a running service can notice a re-import and reload the roster.
func (db *DB) LatestRosterImport(ctx context.Context) (int64, error) {
	var id int64
	if err := db.read.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM roster_imports`).Scan(&id); err != nil {
		return 0, fmt.Errorf("read last roster import: %w", err)
	}
	return id, nil
}

// UpdateProcessed reports whether an update was journalled and whether it
// has been processed, for tests and diagnostics.
func (db *DB) UpdateProcessed(ctx context.Context, updateID int64) (journalled, processed bool, err error) {
	var done int
	err = db.read.QueryRowContext(ctx, `SELECT processed_at IS NOT NULL FROM updates WHERE update_id = ?`, updateID).Scan(&done)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return false, false, nil
		}
		return false, false, fmt.Errorf("read update %d: %w", updateID, err)
	}
	return true, done == 1, nil
}
