package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"hotline/roster"
)

func TestTryUndoesOnlyTheFailedPart(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	refused := errors.New("refused")
	err := db.Update(ctx, func(tx *Tx) error {
		if ok, err := tx.ClaimUpdate(ctx, 7, now); err != nil || !ok {
			return errors.Join(err, errors.New("claim"))
		}
		got := tx.Try(ctx, func() error {
			if _, err := tx.Enqueue(ctx, OutboxMessage{ChatID: 1, Text: "undone"}, now); err != nil {
				return err
			}
			return refused
		})
		if !errors.Is(got, refused) {
			t.Errorf("Try = %v", got)
		}
		return tx.Try(ctx, func() error {
			_, err := tx.Enqueue(ctx, OutboxMessage{ChatID: 1, Text: "kept"}, now)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var ms []OutboxMessage
	db.View(ctx, func(tx *Tx) error {
		ms, err = tx.OutboxMessages(ctx, OutboxFilter{})
		return err
	})
	if len(ms) != 1 || ms[0].Text != "kept" {
		t.Fatalf("outbox = %+v", ms)
	}
	if j, p, err := db.UpdateProcessed(ctx, 7); !j || !p || err != nil {
		t.Errorf("claim lost: %v %v %v", j, p, err)
	}
	if j, p, err := db.UpdateProcessed(ctx, 8); j || p || err != nil {
		t.Errorf("unknown update: %v %v %v", j, p, err)
	}
}

func TestLatestRosterImport(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if id, err := db.LatestRosterImport(ctx); err != nil || id != 0 {
		t.Fatalf("empty = %d, %v", id, err)
	}
	for want := int64(1); want <= 2; want++ {
		if err := db.Update(ctx, func(tx *Tx) error { return tx.ReplaceRoster(ctx, roster.Demo(), "t", time.Now()) }); err != nil {
			t.Fatal(err)
		}
		if id, err := db.LatestRosterImport(ctx); err != nil || id != want {
			t.Errorf("after import %d: %d, %v", want, id, err)
		}
	}
}

// When a refused part cannot be undone, Try's error must not read as the
// refusal: the caller would commit the part that was not undone.
func TestTryUndoFailureIsNotARefusal(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		got := tx.Try(ctx, func() error {
			if _, err := tx.exec(ctx, "RELEASE try"); err != nil { // the savepoint is gone
				return err
			}
			return ErrNotFound
		})
		if got == nil || errors.Is(got, ErrNotFound) {
			t.Errorf("Try = %v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
