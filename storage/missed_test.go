package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestMissedKeptAtMigration: migrating a database with missed deadlines
// keeps on each ticket when it first missed each deadline, and the rollup
// rebuilt from them judges the period as its events do; its acceptances
// and resolutions are counted by day.
func TestMissedKeptAtMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := open(ctx, path, rollupVersion)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	// Ticket 1 missed its accept deadline twice and its resolve deadline
	// once, then was resolved; ticket 2 missed nothing; ticket 3 missed
	// an unknown kind of deadline, which the rates do not count.
	misses := []struct {
		ticket   int
		deadline string
		after    time.Duration
	}{{1, "accept", 3 * time.Hour}, {1, "accept", 2 * time.Hour}, {1, "resolve", 50 * time.Hour}, {3, "reply", time.Hour}}
	for i := range 3 {
		_, err := old.write.ExecContext(ctx, `INSERT INTO tickets (number, text, category, urgency, state, village, accept_by,
			resolve_by, created_at, accepted_at, resolved_at) VALUES (?, 'x', 'roads', 'normal', 'resolved', '翟各庄村', ?, ?, ?, ?, ?)`,
			fmt.Sprintf("2026-%06d", i+1), fmtTime(day.Add(time.Hour)), fmtTime(day.Add(48*time.Hour)), fmtTime(day),
			fmtTime(day.Add(4*time.Hour)), fmtTime(day.Add(60*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range misses {
		_, err := old.write.ExecContext(ctx, `INSERT INTO ticket_events (ticket_id, at, kind, from_state, to_state, data)
			VALUES (?, ?, 'sla_missed', 'assigned', 'assigned', ?)`, m.ticket, fmtTime(day.Add(m.after)),
			fmt.Sprintf(`{"deadline": %q, "handler_id": 7, "handler": "王"}`, m.deadline))
		if err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(ctx, func(tx *Tx) error {
		got, err := queryAll(ctx, tx.tx, "missed", func(sc scanner) (string, error) {
			var s string
			return s, sc.Scan(&s)
		}, `SELECT id || ' ' || coalesce(accept_missed_at, '-') || ' ' || coalesce(resolve_missed_at, '-') FROM tickets ORDER BY id`)
		if err != nil {
			return err
		}
		want := []string{"1 " + fmtTime(day.Add(2*time.Hour)) + " " + fmtTime(day.Add(50*time.Hour)), "2 - -", "3 - -"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("missed deadlines kept:\n got %q\nwant %q", got, want)
		}
		// Judged before, at, between and after the misses, over a period
		// of whole days read from the rollup.
		from := time.Date(2026, 11, 1, 0, 0, 0, 0, rollupZone)
		for _, after := range []time.Duration{time.Hour, 2 * time.Hour, 3 * time.Hour, 50 * time.Hour, 51 * time.Hour, 90 * 24 * time.Hour} {
			at := day.Add(after)
			fast, fastMisses, err := tx.TicketGroups(ctx, Scope{All: true}, from, from.AddDate(0, 0, 7), at)
			if err != nil {
				return err
			}
			ref, refMisses, err := tx.ReferenceGroups(ctx, Scope{All: true}, from, from.AddDate(0, 0, 7), at)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(fast, ref) || !reflect.DeepEqual(fastMisses, refMisses) {
				t.Errorf("judged at +%v:\nrollup    %+v %+v\nreference %+v %+v", after, fast, fastMisses, ref, refMisses)
			}
		}
		// The acceptances and resolutions counted at migrating (0093).
		for _, col := range []string{"accepted_at", "resolved_at"} {
			got, err := tx.countBetween(ctx, col, Scope{All: true}, from, from.AddDate(0, 0, 7))
			if err != nil {
				return err
			}
			if want, err := tx.ReferenceCount(ctx, col, Scope{All: true}, from, from.AddDate(0, 0, 7)); err != nil || got != want || got != 3 {
				t.Errorf("%s: counted %d, reference %d (%v)", col, got, want, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
