package storage

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"hotline/routing"
)

// TestRollupBuiltAtOpen: a database from before the rollup gets it filled
// from its tickets that are no longer open when it is opened, and so does
// one whose rollup was cleared; a database with no tickets needs nothing.
func TestRollupBuiltAtOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := open(ctx, path, rollupVersion-1)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC) // 23:00 in the township: its 2 November
	for i := range 6 {
		at := day.Add(time.Duration(i) * 30 * time.Minute) // the last four fall on 3 November there
		state, resolved := "resolved", any(fmtTime(at.Add(time.Hour)))
		if i == 5 {
			state, resolved = "accepted", nil // open: judged live, not rolled up
		}
		_, err := old.write.ExecContext(ctx, `INSERT INTO tickets (number, text, category, urgency, state, village, accept_by,
			resolve_by, created_at, accepted_at, resolved_at, rating) VALUES (?, 'x', 'roads', 'normal', ?, '翟各庄村', ?, ?, ?, ?, ?, ?)`,
			fmt.Sprintf("2026-%06d", i+1), state, fmtTime(at.Add(time.Hour)), fmtTime(at.Add(48*time.Hour)), fmtTime(at),
			fmtTime(at.Add(10*time.Minute)), resolved, 5)
		if err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// Accepted and resolved in time, rated 5, by day and by month.
	want := []string{
		"day|2026-11-02|翟各庄村||roads|0||telegram|2,2,2,2,2,2,2,2,10,0,0,2,0,2,0,0,0,0,0,0,0,0,0,0,0,0",
		"day|2026-11-03|翟各庄村||roads|0||telegram|3,3,3,3,3,3,3,3,15,0,0,3,0,3,0,0,0,0,0,0,0,0,0,0,0,0",
		"month|2026-11|翟各庄村||roads|0||telegram|5,5,5,5,5,5,5,5,25,0,0,5,0,5,0,0,0,0,0,0,0,0,0,0,0,0",
	}
	if got := rollupRows(t, db); !slices.Equal(got, want) {
		t.Fatalf("rollup after migrating:\n got %q\nwant %q", got, want)
	}
	if _, err := db.write.ExecContext(ctx, `DELETE FROM ticket_rollup`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := rollupRows(t, db); !slices.Equal(got, want) {
		t.Fatalf("rollup rebuilt at open:\n got %q\nwant %q", got, want)
	}

	empty, err := Open(ctx, filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	if built, err := empty.rebuildRollup(ctx); err != nil || built {
		t.Fatalf("an empty database: rebuilt %v, %v", built, err)
	}
}

func rollupRows(t *testing.T, db *DB) []string {
	t.Helper()
	var rows []string
	err := db.View(context.Background(), func(tx *Tx) error {
		var err error
		rows, err = tx.RollupRows(context.Background())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestRollupAfterUndoneSavepoint: a change undone with its savepoint
// (Try) leaves the rollup as the tickets are, and a later save counts the
// ticket once.
func TestRollupAfterUndoneSavepoint(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "try.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	refused := errors.New("refused")
	err = db.Update(ctx, func(tx *Tx) error {
		tk := Ticket{Text: "x", Category: "roads", Urgency: "normal", State: routing.Resolved, Village: "翟各庄村",
			CreatedAt: at, AcceptBy: at.Add(time.Hour), ResolveBy: at.Add(48 * time.Hour), ResolvedAt: at.Add(time.Hour)}
		if err := tx.InsertTicket(ctx, &tk); err != nil {
			return err
		}
		if err := tx.Try(ctx, func() error {
			reopened := tk
			reopened.State, reopened.Reopened = routing.Accepted, 1
			if err := tx.SaveTicket(ctx, reopened); err != nil {
				return err
			}
			return refused // the reopening is undone: the ticket stays resolved
		}); !errors.Is(err, refused) {
			return fmt.Errorf("try = %v", err)
		}
		tk.Rating = 5
		return tx.SaveTicket(ctx, tk)
	})
	if err != nil {
		t.Fatal(err)
	}
	kept := rollupRows(t, db)
	if err := db.RebuildRollup(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt := rollupRows(t, db); !slices.Equal(kept, rebuilt) || len(kept) != 2 {
		t.Fatalf("rollup after an undone savepoint:\n kept    %q\n rebuilt %q", kept, rebuilt)
	}
}
